// Guest booking (issue 13.3): book without an account after verifying a phone (/book/guest), and look a booking up
// by its number and phone (/book/lookup). Loaded before book.js; it uses book.js's helpers (h, api, page, auth, ...)
// only when called, and keeps its own Korean and English strings.
'use strict';

const GUEST_T = {
  ko: {
    'g.link': '비회원 예매', 'g.lookupNav': '비회원 예매 조회',
    'g.title': '비회원 예매', 'g.intro': '회원가입 없이 휴대폰 번호 인증 후 예매할 수 있습니다. 한 번호로 대기열의 한 자리만 받을 수 있습니다.',
    'g.phone': '휴대폰 번호', 'g.send': '인증번호 받기', 'g.resend': '인증번호 다시 받기', 'g.code': '인증번호 6자리', 'g.verify': '확인',
    'g.sent': '{phone}(으)로 인증번호를 보냈습니다. {min}분 안에 입력해 주세요.', 'g.demoCode': '데모 서버: 인증번호는 {code} 입니다.',
    'g.wrong': '인증번호가 맞지 않습니다. 남은 시도 {n}회.', 'g.expired': '인증번호가 만료되었거나 더 이상 쓸 수 없습니다. 다시 받아 주세요.',
    'g.tooMany': '요청이 너무 많습니다. {s}초 후에 다시 시도해 주세요.', 'g.badPhone': '휴대폰 번호를 확인해 주세요. 예: 010-1234-5678',
    'g.off': '이 서버에서는 휴대폰 인증을 사용할 수 없습니다.', 'g.verified': '인증되었습니다. 좌석 선택으로 이동합니다.',
    'g.closed': '이 회차는 비회원 예매를 받지 않습니다. 로그인 후 예매해 주세요.', 'g.session': '비회원 세션이 끝났습니다. 휴대폰 인증을 다시 해 주세요.',
    'g.number': '예매번호', 'g.keep': '예매번호를 꼭 보관해 주세요. 예매번호와 휴대폰 번호로 예매를 조회하고 취소할 수 있습니다.',
    'g.lookupTitle': '비회원 예매 조회', 'g.lookupIntro': '예매번호와 예매 시 인증한 휴대폰 번호를 입력하세요.', 'g.lookup': '조회하기',
    'g.notFound': '예매번호와 휴대폰 번호가 일치하는 예매가 없습니다.', 'g.buyer': '예매자', 'g.status': '상태',
    'g.cancelled': '{n} 환불되었습니다.', 'g.needName': '예매자 이름과 이메일을 입력해 주세요.',
  },
  en: {
    'g.link': 'Book as guest', 'g.lookupNav': 'Find my booking',
    'g.title': 'Book as a guest', 'g.intro': 'Book without an account: verify your mobile number first. One number holds one place in the queue.',
    'g.phone': 'Mobile number', 'g.send': 'Send code', 'g.resend': 'Send a new code', 'g.code': '6-digit code', 'g.verify': 'Verify',
    'g.sent': 'A code was sent to {phone}. Enter it within {min} minutes.', 'g.demoCode': 'Demo server: the code is {code}.',
    'g.wrong': 'The code is wrong. {n} attempts left.', 'g.expired': 'This code has expired or can no longer be used. Ask for a new one.',
    'g.tooMany': 'Too many requests. Try again in {s} s.', 'g.badPhone': 'Check the number, e.g. 010-1234-5678 or +44 7700 900123.',
    'g.off': 'Phone verification is not available on this server.', 'g.verified': 'Verified. On to the seats.',
    'g.closed': 'This performance does not take guest bookings. Please log in to book it.', 'g.session': 'Your guest session has ended. Verify your phone again.',
    'g.number': 'Booking number', 'g.keep': 'Keep your booking number: with your phone number it finds and cancels the booking.',
    'g.lookupTitle': 'Find a guest booking', 'g.lookupIntro': 'Enter the booking number and the mobile number you verified.', 'g.lookup': 'Find',
    'g.notFound': 'No booking matches this booking number and phone number.', 'g.buyer': 'Buyer', 'g.status': 'Status',
    'g.cancelled': '{n} refunded.', 'g.needName': 'Enter the buyer\'s name and email.',
  },
};

const GuestPages = (() => {
  function gt(key, vars) {
    let s = (GUEST_T[lang] && GUEST_T[lang][key]) ?? GUEST_T.en[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
    return s;
  }
  const isGuest = () => sessionStorage.getItem('guest') === '1' && !!auth.access;
  const retryAfter = r => Number(r.headers.get('retry-after')) || 60;

  // The "Find my booking" link in the header, in the page's language.
  function nav() {
    let a = document.getElementById('nav-lookup');
    if (!a) {
      a = h('a', { href: '/book/lookup', id: 'nav-lookup' });
      document.getElementById('nav-orders').before(a);
    }
    a.textContent = gt('g.lookupNav');
  }

  // Next to a performance that is open to guests, on the events page.
  function link(performance) {
    return performance.guestBooking && !auth.access
      ? h('a', { class: 'button guest-link', href: `/book/guest?performance=${performance.id}` }, gt('g.link'))
      : null;
  }

  // The buyer form's defaults: a guest's account name and email are not the buyer's, the phone is the verified one.
  function buyerDefaults(me) {
    if (me?.role !== 'guest') return null;
    return { name: '', email: '', phone: sessionStorage.getItem('guestPhone') || '' };
  }

  // Before a guest goes to the payment window: the buyer check gives the order its booking number. False stops.
  async function beforePay(order) {
    if (!isGuest()) return true;
    const name = document.getElementById('buyer-name')?.value.trim(), email = document.getElementById('buyer-email')?.value.trim();
    const msg = document.querySelector('#buyer .form-msg');
    if (!name || !email) { if (msg) msg.textContent = gt('g.needName'); return false; }
    try {
      const b = (await api('/api/guest/bookings', { method: 'POST', body: { orderId: order.id, name, email } })).body;
      sessionStorage.setItem('guestBooking:' + order.id, b.bookingNumber);
      return true;
    } catch (e) {
      if (msg) msg.textContent = e.problem?.errors ? Object.values(e.problem.errors).flat().join(' ') : problemText(e);
      return false;
    }
  }

  // After payment: the booking number to keep.
  function afterPaid(orderId, box) {
    const number = sessionStorage.getItem('guestBooking:' + orderId);
    if (!number) return;
    box.before(h('div', { class: 'card guest-number', id: 'guest-number' },
      h('p', {}, gt('g.number'), ' ', h('b', { id: 'guest-booking-number' }, number)), h('p', { class: 'muted' }, gt('g.keep'))));
  }

  // A hold refused because the performance is closed to guests, or the guest session ran out.
  function holdRefused(e) {
    if (e.code === 'guest.performance_closed') { alertBox(gt('g.closed')); return true; }
    if (e.code === 'guest.session_expired') { alertBox(gt('g.session'), h('a', { class: 'button primary', href: '/book/guest' + location.search }, gt('g.title'))); return true; }
    return false;
  }

  // /book/guest?performance=N: verify the phone, then on to the seats with a guest session.
  async function verifyPage() {
    steps(null);
    document.getElementById('summary').hidden = true;
    const performance = new URLSearchParams(location.search).get('performance');
    const next = /^\d+$/.test(performance || '') ? `/book/performances/${performance}` : '/book/';
    const msg = h('p', { class: 'form-msg', id: 'guest-msg', 'aria-live': 'polite' });
    const demo = h('p', { class: 'notice', id: 'guest-demo', hidden: true });
    const phone = h('input', { id: 'guest-phone', name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: '010-1234-5678', required: true });
    const code = h('input', { id: 'guest-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]{6}', required: true });
    const codeForm = h('form', { id: 'guest-code-form', hidden: true, onsubmit: e => { e.preventDefault(); confirm(); } },
      h('label', {}, gt('g.code'), code), h('button', { type: 'submit', class: 'primary', id: 'guest-verify' }, gt('g.verify')));
    let verificationId = null;
    async function send() {
      msg.textContent = '';
      const r = await fetch('/api/guest/phone-verifications', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: phone.value }) });
      const body = await r.json().catch(() => ({}));
      if (r.status === 202) {
        verificationId = body.verificationId;
        msg.textContent = gt('g.sent', { phone: body.phone, min: 5 });
        codeForm.hidden = false;
        sendButton.textContent = gt('g.resend');
        code.focus();
        // The simulated SMS provider of a demo server shows the code; a real provider has no such endpoint.
        const sms = await fetch('/api/dev/sms?phone=' + encodeURIComponent(phone.value), { cache: 'no-store' }).catch(() => null);
        if (sms?.ok) { const m = (await sms.json()).message.match(/\d{6}/); if (m) { demo.textContent = gt('g.demoCode', { code: m[0] }); demo.hidden = false; } }
        return;
      }
      msg.textContent = r.status === 429 ? gt('g.tooMany', { s: retryAfter(r) }) : r.status === 400 ? gt('g.badPhone') : r.status === 503 ? gt('g.off') : problemText(new ApiError(r.status, body));
    }
    async function confirm() {
      const r = await fetch(`/api/guest/phone-verifications/${verificationId}/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: code.value }) });
      const body = await r.json().catch(() => ({}));
      if (r.ok) {
        auth.save(body);
        sessionStorage.setItem('guest', '1');
        sessionStorage.setItem('guestPhone', phone.value);
        say(gt('g.verified'));
        location.href = next;
        return;
      }
      msg.textContent = body.code === 'guest.code_wrong' ? gt('g.wrong', { n: body.attemptsLeft ?? 0 })
        : r.status === 410 || r.status === 409 || r.status === 404 ? gt('g.expired')
          : r.status === 429 ? gt('g.tooMany', { s: retryAfter(r) }) : problemText(new ApiError(r.status, body));
    }
    const sendButton = h('button', { type: 'submit', id: 'guest-send' }, gt('g.send'));
    const phoneForm = h('form', { id: 'guest-phone-form', onsubmit: e => { e.preventDefault(); send(); } }, h('label', {}, gt('g.phone'), phone), sendButton);
    page(h('div', { class: 'narrow' }, h('section', { class: 'card', id: 'guest' }, h('h1', {}, gt('g.title')), h('p', { class: 'muted' }, gt('g.intro')),
      phoneForm, codeForm, msg, demo)));
    phone.focus();
  }

  // /book/lookup: booking number + phone → the booking, its tickets with QR codes, and cancellation.
  async function lookupPage() {
    steps(null);
    document.getElementById('summary').hidden = true;
    const msg = h('p', { class: 'form-msg', id: 'lookup-msg', 'aria-live': 'polite' });
    const result = h('div', { id: 'lookup-result' });
    const number = h('input', { id: 'lookup-number', name: 'number', autocomplete: 'off', autocapitalize: 'characters', placeholder: 'ABCDE-23456', required: true });
    const phone = h('input', { id: 'lookup-phone', name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: '010-1234-5678', required: true });
    let token = null, found = null;
    const withToken = (path, opts = {}) => api(path, { ...opts, anonymous: true, headers: { ...(opts.headers || {}), 'X-Lookup-Token': token } });
    async function find() {
      msg.textContent = ''; result.replaceChildren();
      const r = await fetch('/api/guest/bookings/lookup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bookingNumber: number.value, phone: phone.value }) });
      const body = await r.json().catch(() => ({}));
      if (!r.ok) { msg.textContent = r.status === 404 ? gt('g.notFound') : r.status === 429 ? gt('g.tooMany', { s: retryAfter(r) }) : problemText(new ApiError(r.status, body)); say(msg.textContent); return; }
      token = body.lookupToken; found = body.booking;
      show();
    }
    async function show() {
      const b = found, o = b.order;
      const perf = (await api('/api/performances/' + o.performanceId, { anonymous: true })).body;
      const ev = (await api('/api/events/' + perf.eventId, { anonymous: true })).body;
      await cancellationPolicy();
      renderSummary({ performance: perf, event: ev, seats: o.seats.map(s => ({ label: s.label, gradeName: s.grade, price: s.price })), order: o });
      const parts = [h('h2', {}, gt('g.number'), ' ', h('b', { id: 'lookup-booking-number' }, b.bookingNumber)),
        h('dl', { class: 'refund' }, h('dt', {}, gt('g.buyer')), h('dd', {}, `${b.name} · ${b.phone}`),
          h('dt', {}, gt('g.status')), h('dd', {}, h('span', { class: 'badge ' + o.status, id: 'lookup-status' }, t('status_' + o.status)))),
        h('p', {}, t('perf', { title: ev.title, date: when(perf.startsAt) }))];
      if (b.tickets.length) {
        const grid = h('ul', { class: 'tickets', id: 'tickets' });
        for (const { ticket: tk } of b.tickets) {
          const img = h('img', { class: 'qr', alt: t('qrAlt', { seat: tk.label }), width: 160, height: 160 });
          if (tk.status !== 'voided') {
            withToken(`/api/guest/bookings/${encodeURIComponent(b.bookingNumber)}/tickets/${tk.id}/qr`, { raw: true, headers: { accept: 'image/png' } })
              .then(r => r.blob()).then(x => { img.src = URL.createObjectURL(x); }).catch(() => { img.alt = '—'; });
          }
          grid.append(h('li', { class: 'ticket ' + tk.status }, tk.status !== 'voided' ? img : null,
            h('b', {}, `${tk.grade} ${tk.label}`), h('span', {}, won(tk.price)), h('span', { class: 'badge ' + tk.status }, t('ticket_' + tk.status))));
        }
        parts.push(h('h3', {}, t('tickets')), grid);
      }
      const live = b.tickets.map(x => x.ticket).filter(x => x.status === 'valid');
      if (o.status === 'paid' && live.length) parts.push(cancelBox(b, live));
      result.replaceChildren(...parts);
    }
    function cancelBox(b, tickets) {
      const quote = h('div', { id: 'quote', 'aria-live': 'polite' });
      const boxes = tickets.map(tk => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: tk.seatId, checked: true, name: 'seat' }), `${tk.grade} ${tk.label} ${won(tk.price)}`));
      const seatIds = () => boxes.map(x => x.querySelector('input')).filter(i => i.checked).map(i => Number(i.value));
      const base = `/api/guest/bookings/${encodeURIComponent(b.bookingNumber)}/cancellation`;
      async function showQuote() {
        quote.replaceChildren();
        const ids = seatIds();
        if (!ids.length) return;
        try {
          const q = (await withToken(base + '?' + ids.map(id => 'seatIds=' + id).join('&'))).body;
          quote.append(h('dl', { class: 'refund' },
            h('dt', {}, t('refundGross')), h('dd', {}, won(q.grossAmount)),
            h('dt', {}, t('refundFee', { p: q.feePercent })), h('dd', { id: 'refund-fee' }, '−' + won(q.feeAmount)),
            h('dt', { class: 'total' }, t('refundAmount')), h('dd', { class: 'total', id: 'refund-amount' }, won(q.refundAmount)),
            h('dt', {}, t('deadline')), h('dd', {}, when(q.cancellableUntil))),
          h('button', { type: 'button', class: 'danger', id: 'agree-cancel', onclick: async e => {
            e.target.disabled = true;
            try {
              const r = (await withToken(base, { method: 'POST', body: { seatIds: ids } })).body;
              found = (await withToken(`/api/guest/bookings/${encodeURIComponent(b.bookingNumber)}`)).body;
              await show();
              alertBox(gt('g.cancelled', { n: won(r.refundAmount) }));
              say(gt('g.cancelled', { n: won(r.refundAmount) }));
            } catch (err) { e.target.disabled = false; alertBox(problemText(err)); }
          } }, t('agreeCancel')));
        } catch (e) {
          quote.append(h('p', {}, e.code === 'order.cancellation_closed' ? t('cancelClosed') : problemText(e)));
        }
      }
      return h('section', { class: 'card', id: 'cancel' }, h('h3', {}, t('cancelTitle')), h('p', { class: 'muted' }, t('cancelPick')), boxes,
        h('button', { type: 'button', id: 'show-quote', onclick: showQuote }, t('quote')), quote);
    }
    const form = h('form', { id: 'lookup-form', class: 'card', onsubmit: e => { e.preventDefault(); find(); } },
      h('h1', {}, gt('g.lookupTitle')), h('p', { class: 'muted' }, gt('g.lookupIntro')),
      h('label', {}, gt('g.number'), number), h('label', {}, gt('g.phone'), phone),
      h('button', { type: 'submit', class: 'primary', id: 'lookup-submit' }, gt('g.lookup')), msg);
    page(h('div', { class: 'narrow wide-lookup' }, form, result));
  }

  return { nav, link, buyerDefaults, beforePay, afterPaid, holdRefused, verifyPage, lookupPage, isGuest };
})();
