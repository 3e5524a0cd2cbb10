// The cancellation waitlist page (/book/waitlist?performance=ID): join, see your place and your offers, pay or
// decline an offer, leave. Offers arrive live over /api/waitlist/stream (server-sent events, read with fetch so the
// bearer token goes along). Loaded before book.js, whose helpers (h, api, t, page, ...) it calls at run time.
'use strict';

const WT = {
  ko: {
    title: '취소표 대기', intro: '매진된 회차에 취소표가 나오면 대기 순서대로 좌석을 자동으로 제안해 드립니다. 제안된 좌석은 정해진 시간 안에 결제하면 예매가 완료됩니다.',
    anyGrade: '모든 등급', seatsWanted: '매수', togetherWanted: '연석(같은 열에 붙은 좌석)으로만 받기', join: '대기 신청',
    waiting: '대기 중', position: '내 앞에 {n}명', first: '다음 취소표는 내 차례입니다', served: '요청한 좌석이 모두 제안되었습니다', left: '대기를 취소했습니다',
    request: '신청 내용: {grade} {n}석{together}', togetherMark: ' (연석)', leave: '대기 취소', rejoin: '다시 대기 신청',
    offers: '제안된 좌석', noOffers: '아직 제안된 좌석이 없습니다. 취소표가 나오면 이 화면과 알림으로 알려 드립니다.',
    offerNew: '취소표 좌석이 제안되었습니다! {t} 안에 결제해 주세요.', payOffer: '결제하기', decline: '거절', declined: '제안을 거절했습니다. 좌석은 다음 대기자에게 넘어갑니다.',
    payUntil: '{t}까지 결제', offer_pending: '결제 대기', offer_paymentPending: '결제 확인 중', offer_paid: '예매 완료', offer_expired: '시간 초과', offer_cancelled: '거절함',
    liveOn: '실시간 알림 연결됨', liveOff: '실시간 알림 연결 끊김 · 다시 연결하는 중', joined: '대기 신청이 완료되었습니다.', already: '이미 대기 중입니다.',
    badge_waiting: '대기 중', badge_served: '제안 완료', badge_left: '대기 취소',
    closed: '공연이 시작되어 대기를 받지 않습니다.', choosePerf: '대기할 회차를 공연 목록에서 선택해 주세요.', back: '공연 목록',
  },
  en: {
    title: 'Cancellation waitlist', intro: 'When seats of a sold-out performance come back, we offer them automatically in waitlist order. Pay an offer before its deadline and the seats are yours.',
    anyGrade: 'Any grade', seatsWanted: 'Seats', togetherWanted: 'Only seats side by side in one row', join: 'Join the waitlist',
    waiting: 'Waiting', position: '{n} ahead of you', first: 'You are next in line', served: 'Every seat you asked for has been offered', left: 'You left the waitlist',
    request: 'Your request: {grade}, {n} seat(s){together}', togetherMark: ' (together)', leave: 'Leave the waitlist', rejoin: 'Join again',
    offers: 'Offers', noOffers: 'No offer yet. When seats come back we tell you here and with a live notice.',
    offerNew: 'Seats were offered to you! Please pay within {t}.', payOffer: 'Pay', decline: 'Decline', declined: 'Offer declined. The seats pass to the next fan.',
    payUntil: 'Pay by {t}', offer_pending: 'Awaiting payment', offer_paymentPending: 'Checking payment', offer_paid: 'Booked', offer_expired: 'Lapsed', offer_cancelled: 'Declined',
    liveOn: 'Live notices on', liveOff: 'Live notices lost · reconnecting', joined: 'You joined the waitlist.', already: 'You are already waiting.',
    badge_waiting: 'Waiting', badge_served: 'Offered', badge_left: 'Left',
    closed: 'The performance has started; the waitlist is closed.', choosePerf: 'Choose a performance from the list to wait for.', back: 'Performances',
  },
};
function wt(key, vars) {
  let s = (WT[lang] && WT[lang][key]) ?? WT.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
  return s;
}

// The page's few styles live here with its code (book.css stays the shared one).
document.head.append(Object.assign(document.createElement('style'), { textContent: `
  .wl-join, .wl-entry, .wl-offers { margin: .8rem 0; display: grid; gap: .6rem; }
  .page .wl-join { text-align: left; }
  .page .wl-join label { display: flex; flex-direction: row; align-items: center; justify-content: flex-start; text-align: left; gap: .5rem; flex-wrap: wrap; }
  .wl-offer .badge, .wl-entry .badge { justify-self: start; width: fit-content; }
  .wl-entry button { justify-self: start; }
  .wl-join select { font: inherit; padding: .4rem; border-radius: 8px; border: 1px solid var(--line); min-height: 40px; }
  .wl-offer { display: grid; gap: .3rem; }
  .wl-actions { display: flex; gap: .5rem; flex-wrap: wrap; }
  .wl-offer .countdown { font-weight: 700; color: var(--warn); }
  @media (min-width: 720px) { .wl-join { grid-template-columns: repeat(2, minmax(0, 1fr)); } .wl-join .check, .wl-join button { grid-column: 1 / -1; } }
` }));

let waitlistStream = null;
let waitlistTick = null;

async function waitlistPage() {
  steps(null);
  $('#summary').hidden = true;
  const query = new URLSearchParams(location.search);
  let performanceId = Number(query.get('performance'));
  if (!performanceId && query.get('room')) performanceId = await waitlistPerformanceOfRoom(query.get('room'));
  if (performanceId === -1) return;
  if (!performanceId) { page(h('h1', {}, wt('title')), h('p', {}, wt('choosePerf')), h('a', { class: 'button', href: '/book/' }, wt('back'))); return; }
  if (!requireLogin()) return;
  const perf = (await api('/api/performances/' + performanceId, { anonymous: true })).body;
  const ev = (await api('/api/events/' + perf.eventId, { anonymous: true })).body;
  const entry = (await api(`/api/performances/${performanceId}/waitlist/me`).catch(e => { if (e.status === 404) return null; throw e; }))?.body ?? null;
  const live = h('p', { class: 'muted', id: 'wl-live' }, '');
  const parts = [h('h1', {}, wt('title')), h('p', { class: 'sum-title' }, t('perf', { title: ev.title, date: when(perf.startsAt) })), h('p', { class: 'muted' }, wt('intro'))];
  if (entry) parts.push(waitlistEntryCard(perf, entry), waitlistOffers(entry));
  if (!entry || entry.status !== 'waiting') parts.push(waitlistJoinForm(perf, entry));
  parts.push(live);
  page(...parts);
  clearInterval(waitlistTick);
  waitlistTick = setInterval(() => document.querySelectorAll('[data-deadline]').forEach(el => { el.textContent = waitlistLeft(el.dataset.deadline); }), 1000);
  waitlistListen(performanceId, live);
}

// The queue page links here with its room: the room's performance, found in the public catalog (a page of choices when
// the room paces several). Returns the id, -1 when a choice was shown, or 0 when no published performance has the room.
async function waitlistPerformanceOfRoom(room) {
  const found = [];
  for (const summary of (await api('/api/events?pageSize=50', { anonymous: true })).body.items) {
    const ev = (await api('/api/events/' + summary.id, { anonymous: true })).body;
    for (const p of ev.performances) if (p.waitingRoomId === room) found.push({ p, ev });
  }
  if (found.length === 1) { history.replaceState(null, '', '/book/waitlist?performance=' + found[0].p.id); return found[0].p.id; }
  if (found.length > 1) {
    page(h('h1', {}, wt('title')), h('ul', { class: 'orders' }, found.map(({ p, ev }) =>
      h('li', {}, h('a', { href: '/book/waitlist?performance=' + p.id }, t('perf', { title: ev.title, date: when(p.startsAt) }))))));
    return -1;
  }
  return 0;
}

function waitlistJoinForm(perf, entry) {
  const grade = h('select', { id: 'wl-grade', name: 'grade' }, h('option', { value: '' }, wt('anyGrade')),
    perf.grades.map(g => h('option', { value: g.code }, `${g.name} · ${won(g.price)}`)));
  const seats = h('select', { id: 'wl-seats', name: 'seats' }, [1, 2, 3, 4].map(n => h('option', { value: n }, String(n))));
  const together = h('input', { type: 'checkbox', id: 'wl-together', name: 'together' });
  const form = h('form', { class: 'card wl-join', id: 'wl-join' },
    h('label', {}, t('grade'), ' ', grade), h('label', {}, wt('seatsWanted'), ' ', seats),
    h('label', { class: 'check' }, together, ' ', wt('togetherWanted')),
    h('button', { type: 'submit', class: 'primary', id: 'wl-join-button' }, entry ? wt('rejoin') : wt('join')));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    form.querySelector('button').disabled = true;
    try {
      await api(`/api/performances/${perf.id}/waitlist`, { method: 'POST', body: { gradeCode: grade.value || null, seats: Number(seats.value), together: together.checked } });
      await waitlistPage();
      say(wt('joined')); alertBox(wt('joined'));
    } catch (err) {
      form.querySelector('button').disabled = false;
      alertBox(err.code === 'waitlist.already_joined' ? wt('already') : err.code === 'waitlist.closed' ? wt('closed') : problemText(err));
    }
  });
  return form;
}

function waitlistEntryCard(perf, entry) {
  const gradeName = entry.gradeCode ? (perf.grades.find(g => g.code === entry.gradeCode)?.name ?? entry.gradeCode) : wt('anyGrade');
  const state = entry.status === 'waiting'
    ? (entry.position === 1 ? wt('first') : wt('position', { n: entry.position - 1 }))
    : wt(entry.status);
  const card = h('section', { class: 'card wl-entry', id: 'wl-entry' },
    h('p', {}, h('span', { class: 'badge ' + (entry.status === 'waiting' ? 'pending' : 'expired') }, wt('badge_' + entry.status)), ' ',
      h('b', { id: 'wl-position' }, state)),
    h('p', { class: 'muted' }, wt('request', { grade: gradeName, n: entry.seats, together: entry.together ? wt('togetherMark') : '' })));
  if (entry.status === 'waiting') {
    card.append(h('button', { type: 'button', id: 'wl-leave', onclick: async e => {
      e.target.disabled = true;
      try { await api(`/api/performances/${perf.id}/waitlist/me`, { method: 'DELETE' }); await waitlistPage(); say(wt('left')); }
      catch (err) { e.target.disabled = false; alertBox(problemText(err)); }
    } }, wt('leave')));
  }
  return card;
}

function waitlistOffers(entry) {
  const section = h('section', { class: 'card wl-offers', id: 'wl-offers' }, h('h2', {}, wt('offers')));
  if (!entry.offers.length) { section.append(h('p', { class: 'muted' }, wt('noOffers'))); return section; }
  section.append(h('ul', { class: 'orders' }, entry.offers.map(o => {
    const open = o.status === 'pending';
    return h('li', { class: 'wl-offer ' + o.status, 'data-order': o.orderId },
      h('b', {}, o.seats.map(s => `${s.grade} ${s.label}`).join(', ')), ' ', h('span', { class: 'badge ' + o.status }, wt('offer_' + o.status)),
      h('span', { class: 'muted' }, `${won(o.totalAmount)} · ${wt('payUntil', { t: when(o.expiresAt) })}`),
      open ? h('span', { class: 'countdown', 'data-deadline': o.expiresAt }, waitlistLeft(o.expiresAt)) : null,
      open ? h('span', { class: 'wl-actions' },
        h('a', { class: 'button primary', href: `/book/performances/${o.performanceId}?order=${o.orderId}` }, wt('payOffer')),
        h('button', { type: 'button', class: 'wl-decline', onclick: async e => {
          e.target.disabled = true;
          try { await api('/api/orders/' + o.orderId, { method: 'DELETE' }); await waitlistPage(); say(wt('declined')); alertBox(wt('declined')); }
          catch (err) { e.target.disabled = false; alertBox(problemText(err)); }
        } }, wt('decline'))) : null);
  })));
  return section;
}

function waitlistClock(iso) {
  const ms = Math.max(0, Date.parse(iso) - serverNow());
  const m = Math.floor(ms / 60000), s = Math.floor(ms / 1000) % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
const waitlistLeft = iso => t('timeLeft', { t: waitlistClock(iso) });

// Live offers: one stream per page; a notice re-reads the entry. The stream ends when the fan leaves the page.
function waitlistListen(performanceId, live) {
  waitlistStream?.abort();
  const controller = new AbortController();
  waitlistStream = controller;
  (async () => {
    for (let attempt = 0; !controller.signal.aborted && location.pathname.startsWith('/book/waitlist'); attempt++) {
      try {
        const r = await fetch('/api/waitlist/stream', { headers: { accept: 'text/event-stream', authorization: 'Bearer ' + auth.access }, signal: controller.signal });
        if (r.status === 401 && await refreshTokens()) continue;
        if (!r.ok || !r.body) throw new Error('HTTP ' + r.status);
        live.textContent = wt('liveOn');
        const reader = r.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
            if (!frame.startsWith('event: offer')) continue;
            const offer = JSON.parse(frame.split('\n').find(l => l.startsWith('data: ')).slice(6));
            if (offer.performanceId !== performanceId) continue;
            controller.abort();
            await waitlistPage();
            const text = wt('offerNew', { t: waitlistClock(offer.expiresAt) });
            say(text); alertBox(text);
            return;
          }
        }
      } catch (e) {
        if (controller.signal.aborted) return;
      }
      live.textContent = wt('liveOff');
      await new Promise(res => setTimeout(res, Math.min(30000, 1000 * 2 ** attempt)));
    }
  })();
}
