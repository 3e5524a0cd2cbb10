// Face-value ticket transfer (issue 13.4, docs/TRANSFERS.md): the "transfer" form on a ticket of the order page, and
// the /book/transfers page (offers made to me: accept or pay; tickets I received; offers I made: cancel).
// Loaded before book.js; uses its helpers (h, api, page, say, alertBox, won, when, lang) only when called.
'use strict';

const TRANSFER_T = {
  ko: {
    title: '티켓 양도', offer: '양도하기', to: '받는 분 이메일', price: '양도 가격 (원)', priceHint: '무료(0원) 또는 결제 금액 {max} 이하',
    send: '양도 요청 보내기', sent: '{email} 님께 양도를 요청했습니다.', offeredTo: '{email} 님께 양도 중 · {price}', cancel: '양도 취소',
    cancelled: '양도를 취소했습니다. 티켓을 다시 사용할 수 있습니다.', received: '받은 양도 요청', receivedTickets: '양도받은 티켓',
    mine: '보낸 양도', none: '없습니다.', accept: '받기 (무료)', pay: '{price} 결제하고 받기', accepted: '티켓을 받았습니다. 새 QR 코드로 입장하세요.',
    from: '{title} · {date} · {seat}', free: '무료', expires: '{date}까지', declined: '결제가 거절되었습니다. 다른 카드로 다시 시도할 수 있습니다. ({code})',
    pending: '결제 결과를 확인하고 있습니다. 잠시 후 이 페이지를 다시 열어 주세요.', status_offered: '대기 중', status_paymentPending: '결제 확인 중',
    status_accepted: '완료', status_cancelled: '취소됨', status_expired: '만료됨', payback: '양도 대금 환급: {s}', payback_done: '완료',
    payback_due: '처리 중', payback_needsAttention: '담당자 확인 중', payback_none: '-', rule: '양도 중인 티켓은 입장과 환불이 되지 않으며, 받는 분이 수락하면 기존 QR 코드는 더 이상 사용할 수 없습니다.',
  },
  en: {
    title: 'Ticket transfer', offer: 'Transfer', to: "Recipient's email", price: 'Price (won)', priceHint: 'Free (0) or at most the {max} you paid',
    send: 'Send the offer', sent: 'Offered to {email}.', offeredTo: 'Offered to {email} · {price}', cancel: 'Cancel transfer',
    cancelled: 'Transfer cancelled. Your ticket is valid again.', received: 'Offers to me', receivedTickets: 'Tickets I received',
    mine: 'Offers I made', none: 'None.', accept: 'Accept (free)', pay: 'Pay {price} and accept', accepted: 'The ticket is yours. Use the new QR code at the entrance.',
    from: '{title} · {date} · {seat}', free: 'Free', expires: 'until {date}', declined: 'The payment was declined. You may try another card. ({code})',
    pending: 'We are confirming the payment. Open this page again in a moment.', status_offered: 'Open', status_paymentPending: 'Payment pending',
    status_accepted: 'Accepted', status_cancelled: 'Cancelled', status_expired: 'Expired', payback: 'Payback to the sender: {s}', payback_done: 'done',
    payback_due: 'in progress', payback_needsAttention: 'being settled by staff', payback_none: '-', rule: 'A ticket on offer admits nobody and cannot be refunded; once accepted, the old QR code stops working.',
  },
};

function tr(key, vars) {
  let s = (TRANSFER_T[lang] && TRANSFER_T[lang][key]) ?? TRANSFER_T.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
  return s;
}

// On a ticket of the order page: a "transfer" form for a valid ticket, or the open offer with its cancel button.
function ticketTransferAction(tk, reload) {
  const box = h('div', { class: 'transfer', 'data-ticket': tk.id });
  // A guest session (docs/GUEST-BOOKING.md) reaches no transfer endpoint: no action to offer.
  if (sessionStorage.getItem('guest') === '1') return box;
  if (tk.status === 'transferPending') {
    api('/api/me/transfers').then(r => {
      const open = r.body.sent.find(x => x.ticketId === tk.id && (x.status === 'offered' || x.status === 'paymentPending'));
      if (!open) return;
      box.append(h('p', { class: 'muted' }, tr('offeredTo', { email: open.recipientEmail, price: open.price ? won(open.price) : tr('free') })),
        open.status === 'offered' ? h('button', { type: 'button', class: 'danger', id: 'cancel-transfer-' + tk.id, onclick: async e => {
          e.target.disabled = true;
          try { await api(`/api/transfers/${open.id}/cancellation`, { method: 'POST' }); say(tr('cancelled')); await reload(); alertBox(tr('cancelled')); }
          catch (err) { e.target.disabled = false; alertBox(problemText(err)); }
        } }, tr('cancel')) : null);
    }).catch(() => {});
    return box;
  }
  if (tk.status !== 'valid') return null;
  const email = h('input', { type: 'email', name: 'recipientEmail', required: true, autocomplete: 'off', id: 'transfer-email-' + tk.id });
  const price = h('input', { type: 'number', name: 'price', min: 0, max: tk.price, step: 1, value: 0, inputmode: 'numeric', id: 'transfer-price-' + tk.id });
  const form = h('form', { class: 'transfer-form', hidden: true, onsubmit: async e => {
    e.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await api(`/api/tickets/${tk.id}/transfers`, { method: 'POST', body: { recipientEmail: email.value.trim(), price: Number(price.value || 0) } });
      say(tr('sent', { email: email.value.trim() }));
      await reload();
      alertBox(tr('sent', { email: email.value.trim() }));
    } catch (err) { button.disabled = false; alertBox(problemText(err)); }
  } },
  h('label', {}, tr('to'), email), h('label', {}, tr('price'), price), h('small', { class: 'muted' }, tr('priceHint', { max: won(tk.price) })),
  h('button', { type: 'submit', class: 'primary' }, tr('send')));
  box.append(h('button', { type: 'button', class: 'link', id: 'transfer-' + tk.id, 'aria-expanded': 'false', onclick: e => {
    form.hidden = !form.hidden;
    e.target.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) email.focus();
  } }, tr('offer')), form);
  return box;
}

// /book/transfers: offers made to me (accept or pay), tickets I received (with their new QR), offers I made (cancel).
async function transfersPage() {
  steps(null);
  $('#summary').hidden = true;
  if (!requireLogin()) return;
  const mine = (await api('/api/me/transfers')).body;
  const open = mine.received.filter(x => x.status === 'offered' || x.status === 'paymentPending');
  const got = mine.received.filter(x => x.status === 'accepted');
  const line = x => h('p', {}, h('b', {}, tr('from', { title: x.eventTitle, date: when(x.performanceStartsAt), seat: x.seat })), ' ',
    h('span', { class: 'badge ' + x.status }, tr('status_' + x.status)));
  const card = (x, ...extra) => h('li', { class: 'card transfer-card', id: 'transfer-' + x.id }, line(x),
    h('p', { class: 'muted' }, `${x.price ? won(x.price) : tr('free')} · ${tr('expires', { date: when(x.expiresAt) })}`), ...extra);
  const list = (items, render) => items.length ? h('ul', { class: 'transfers' }, items.map(render)) : h('p', { class: 'muted' }, tr('none'));

  const offerCard = x => card(x, x.status !== 'offered' ? h('p', { class: 'notice' }, tr('pending')) : x.price === 0
    ? h('button', { type: 'button', class: 'primary', id: 'accept-' + x.id, onclick: e => settle(e, () => api(`/api/transfers/${x.id}/acceptance`, { method: 'POST' })) }, tr('accept'))
    : h('button', { type: 'button', class: 'primary', id: 'pay-' + x.id, onclick: e => settle(e, async () => {
      const checkout = (await api(`/api/transfers/${x.id}/simulated/checkout`, { method: 'POST', body: {} })).body;
      return api(`/api/transfers/${x.id}/payment`, { method: 'POST', body: checkout });
    }) }, tr('pay', { price: won(x.price) })));

  const ticketCard = x => {
    const img = h('img', { class: 'qr', alt: t('qrAlt', { seat: x.seat }), width: 160, height: 160 });
    api(`/api/tickets/${x.ticketId}/qr`, { raw: true, headers: { accept: 'image/png' } })
      .then(r => r.blob()).then(b => { img.src = URL.createObjectURL(b); }).catch(() => { img.remove(); });
    return h('li', { class: 'ticket valid', id: 'received-' + x.ticketId }, img, h('b', {}, x.seat), h('span', {}, x.eventTitle), h('span', {}, when(x.performanceStartsAt)));
  };

  const sentCard = x => card(x, h('p', { class: 'muted' }, tr('offeredTo', { email: x.recipientEmail, price: x.price ? won(x.price) : tr('free') })),
    x.status === 'accepted' && x.price > 0 ? h('p', { class: 'muted' }, tr('payback', { s: tr('payback_' + x.payback) })) : null,
    x.status === 'offered' ? h('button', { type: 'button', class: 'danger', id: 'cancel-' + x.id, onclick: e => settle(e, () => api(`/api/transfers/${x.id}/cancellation`, { method: 'POST' }), tr('cancelled')) }, tr('cancel')) : null);

  async function settle(e, act, done = tr('accepted')) {
    e.target.disabled = true;
    try {
      const r = await act();
      const text = r.status === 202 ? tr('pending') : done;
      await transfersPage();
      say(text); alertBox(text);
    } catch (err) {
      e.target.disabled = false;
      alertBox(err.status === 402 ? tr('declined', { code: err.problem?.tossCode || err.code }) : problemText(err));
    }
  }

  page(h('h1', {}, tr('title')), h('p', { class: 'muted' }, tr('rule')),
    h('section', { id: 'received' }, h('h2', {}, tr('received')), list(open, offerCard)),
    h('section', { id: 'received-tickets' }, h('h2', {}, tr('receivedTickets')), got.length ? h('ul', { class: 'tickets' }, got.map(ticketCard)) : h('p', { class: 'muted' }, tr('none'))),
    h('section', { id: 'sent' }, h('h2', {}, tr('mine')), list(mine.sent, sentCard)));
}
