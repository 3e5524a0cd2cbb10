// The fans' booking pages: one script, the page chosen by the path. Calls only relative /api/... URLs.
'use strict';

// ---------- language ----------
const T = {
  ko: {
    skip: '본문으로 건너뛰기', loading: '불러오는 중…', 'nav.orders': '예매 내역', 'nav.login': '로그인', 'nav.logout': '로그아웃',
    'step.1': '회차', 'step.2': '좌석', 'step.3': '가격', 'step.4': '예매자 확인', 'step.5': '결제',
    won: '{n}원', events: '공연', noEvents: '판매 중인 공연이 없습니다.', choose: '예매하기', seatsLeft: '잔여 {n}석',
    soldOut: '매진', soldOutLong: '이 회차는 매진되었습니다. 다른 회차를 선택해 주세요.', paced: '대기열 적용',
    my: 'My 예매 정보', date: '일시', seats: '좌석', ticketAmount: '티켓 금액', bookingFee: '예매 수수료', discount: '할인',
    total: '총 결제 금액', deadline: '취소 마감', cancelFee: '취소 수수료', cancelFeeRange: '티켓 금액의 {min}~{max}%', details: '자세히',
    tierFree: '공연 {d}일 전까지: 없음', tier: '공연 {d}일 전부터: {p}%', tierLast: '공연 당일 (마감 전): {p}%', tierFrom: '공연 {d}일 전부터: {p}%',
    none: '없음', noSeats: '선택한 좌석이 없습니다.', selected: '선택한 좌석', chooseAgain: '다시 선택', done: '좌석 선택 완료',
    maxSeats: '한 번에 최대 {n}석까지 선택할 수 있습니다.', legend: '등급별 가격', taken: '선택 불가', mine: '선택함',
    together: '연석 예매', togetherHelp: '같은 열에 붙은 좌석을 자동으로 찾아 드립니다.', grade: '등급', count: '매수', findTogether: '연석 찾기',
    zoomIn: '확대', zoomOut: '축소', zoomReset: '전체 보기', mapHelp: '드래그로 이동, 휠 또는 두 손가락으로 확대/축소, 좌석을 눌러 선택하세요.',
    seatGone: '{seats} 좌석이 방금 다른 분께 선택되어 선택이 해제되었습니다.', seatsTaken: '{seats} 좌석은 방금 다른 분이 선점했습니다. 나머지 좌석은 그대로 선택되어 있습니다.',
    holding: '좌석을 잡는 중…', held: '좌석이 확보되었습니다. 남은 시간 안에 결제해 주세요.', timeLeft: '남은 시간 {t}',
    warnMinute: '1분 남았습니다! 서둘러 결제해 주세요.', expired: '좌석 점유 시간이 끝났습니다. 좌석은 다시 판매 중입니다. 좌석을 다시 선택해 주세요.',
    price: '가격 선택', basePrice: '일반', perSeat: '좌석별 가격', noDiscounts: '이 회차에는 할인권종이 없습니다.', coupon: '쿠폰', couponNone: '사용 가능한 쿠폰이 없습니다.',
    next: '다음 단계', back: '이전', giveBack: '좌석 반납', buyer: '예매자 확인', name: '이름', email: '이메일', phone: '전화번호',
    agree: '취소 마감 시각과 취소 수수료 규정을 확인했으며 이에 동의합니다.', mustAgree: '취소 규정에 동의해 주세요.', pay: '결제하기',
    payWindow: '결제창으로 이동합니다…', passMissing: '대기열 입장권이 없거나 만료되었습니다. 대기열로 돌아가 순서를 기다려 주세요.', toQueue: '대기열로 가기',
    checkingBrowser: '가입 전에 브라우저를 확인하는 중…',
    loginFirst: '로그인이 필요합니다.', login: '로그인', register: '회원가입', password: '비밀번호', displayName: '이름(선택)',
    noAccount: '이 이메일과 비밀번호로 된 계정을 찾을 수 없습니다. 처음이신가요? 아래에서 회원가입해 주세요.',
    registered: '가입되었습니다. 로그인합니다…', loginTitle: '로그인', registerTitle: '처음이신가요? 회원가입',
    confirming: '결제를 확인하는 중입니다. 창을 닫지 마세요…', paid: '결제가 완료되었습니다!', viewTickets: '티켓 보기',
    declined: '결제가 거절되었습니다 ({code}). 좌석은 아직 확보되어 있습니다. 다른 카드로 다시 시도해 주세요.', tryAgain: '다시 결제하기',
    pending: '결제 결과를 확인하고 있습니다. 다시 결제하지 마세요. 확인되는 대로 이 화면이 바뀝니다.', pendingExpired: '결제가 확인되지 않아 예매가 취소되었습니다. 청구된 금액은 없습니다.',
    payFailed: '결제가 완료되지 않았습니다: {message} ({code})', orders: '예매 내역', noOrders: '예매 내역이 없습니다.', order: '예매 상세',
    status_pending: '결제 대기', status_paymentPending: '결제 확인 중', status_paid: '결제 완료', status_expired: '만료', status_cancelled: '취소', status_refunded: '환불',
    tickets: '티켓', ticket_valid: '사용 가능', ticket_checkedIn: '입장 완료', ticket_voided: '취소됨', ticket_refundPending: '환불 처리 중',
    qrAlt: '{seat} 입장 QR 코드', cancelTitle: '예매 취소', cancelPick: '취소할 좌석을 고르세요.', quote: '환불 금액 확인',
    refundGross: '취소 좌석 금액', refundFee: '취소 수수료 ({p}%)', refundAmount: '환불 예정 금액', agreeCancel: '위 금액으로 취소에 동의합니다',
    cancelled: '취소되었습니다. {n} 환불이 진행되었습니다.', cancelClosed: '취소 가능 시간이 지났습니다.', continuePay: '결제 계속하기',
    gaveBack: '좌석을 반납했습니다.', error: '문제가 발생했습니다: {message}', retry: '다시 시도', notFound: '페이지를 찾을 수 없습니다.',
    live: '실시간', polling: '몇 초마다 갱신', notTogether: '요청한 등급에 나란히 빈 좌석이 없습니다. 매수를 줄이거나 다른 등급을 선택해 주세요.',
    orderNo: '예매번호', togetherOff: '이 서버에서는 아직 연석 예매를 이용할 수 없습니다. 좌석을 직접 선택해 주세요.', slowDown: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.', remaining: '남은 시간', seatLine: '{grade} {label} {price}', perf: '{title} · {date}',
    // transfer (issue 13.4)
    'nav.transfers': '양도', ticket_transferPending: '양도 중',
  },
  en: {
    skip: 'Skip to content', loading: 'Loading…', 'nav.orders': 'My orders', 'nav.login': 'Log in', 'nav.logout': 'Log out',
    'step.1': 'Date', 'step.2': 'Seats', 'step.3': 'Price', 'step.4': 'Buyer', 'step.5': 'Payment',
    won: '₩{n}', events: 'Performances', noEvents: 'Nothing is on sale.', choose: 'Book', seatsLeft: '{n} left',
    soldOut: 'Sold out', soldOutLong: 'This performance is sold out. Please choose another one.', paced: 'Waiting room',
    my: 'My booking', date: 'Date', seats: 'Seats', ticketAmount: 'Tickets', bookingFee: 'Booking fee', discount: 'Discount',
    total: 'Total', deadline: 'Cancel until', cancelFee: 'Cancellation fee', cancelFeeRange: '{min}–{max}% of the ticket price', details: 'Details',
    tierFree: 'Until {d} days before: free', tier: 'From {d} days before: {p}%', tierLast: 'On the day (until the deadline): {p}%', tierFrom: 'From {d} days before: {p}%',
    none: 'none', noSeats: 'No seat chosen yet.', selected: 'Your seats', chooseAgain: 'Choose again', done: 'Done',
    maxSeats: 'You can choose up to {n} seats per order.', legend: 'Prices by grade', taken: 'Taken', mine: 'Yours',
    together: 'Seats together', togetherHelp: 'We find adjacent free seats in one row for you.', grade: 'Grade', count: 'Seats', findTogether: 'Find seats together',
    zoomIn: 'Zoom in', zoomOut: 'Zoom out', zoomReset: 'Whole hall', mapHelp: 'Drag to move, wheel or pinch to zoom, tap a seat to choose it.',
    seatGone: '{seats} was just taken by someone else and is no longer selected.', seatsTaken: '{seats} was just taken by someone else. Your other seats are still selected.',
    holding: 'Holding your seats…', held: 'Your seats are held. Please pay before the time runs out.', timeLeft: '{t} left',
    warnMinute: 'One minute left! Please pay now.', expired: 'Your hold has expired and the seats are on sale again. Please choose again.',
    price: 'Price', basePrice: 'Standard', perSeat: 'Price per seat', noDiscounts: 'No discounts are offered for this performance.', coupon: 'Coupon', couponNone: 'No coupons available.',
    next: 'Next', back: 'Back', giveBack: 'Give the seats back', buyer: 'Buyer', name: 'Name', email: 'Email', phone: 'Phone',
    agree: 'I have read the cancellation deadline and fee schedule and agree to them.', mustAgree: 'Please agree to the cancellation terms.', pay: 'Pay',
    payWindow: 'Opening the payment window…', passMissing: 'Your waiting-room pass is missing or has expired. Please go back to the queue.', toQueue: 'Back to the queue',
    checkingBrowser: 'Checking this browser before it registers…',
    loginFirst: 'Please log in first.', login: 'Log in', register: 'Register', password: 'Password', displayName: 'Name (optional)',
    noAccount: 'We found no account with this email and password. New here? Register below.',
    registered: 'Registered. Logging you in…', loginTitle: 'Log in', registerTitle: 'New here? Register',
    confirming: 'Confirming your payment. Please keep this page open…', paid: 'Payment complete!', viewTickets: 'View tickets',
    declined: 'The payment was declined ({code}). Your seats are still held: try again with another card.', tryAgain: 'Try again',
    pending: 'We are checking the payment outcome. Do not pay again: this page updates as soon as we know.', pendingExpired: 'The payment could not be confirmed, so the booking was released. Nothing was charged.',
    payFailed: 'The payment was not completed: {message} ({code})', orders: 'My orders', noOrders: 'No orders yet.', order: 'Order',
    status_pending: 'Awaiting payment', status_paymentPending: 'Checking payment', status_paid: 'Paid', status_expired: 'Expired', status_cancelled: 'Cancelled', status_refunded: 'Refunded',
    tickets: 'Tickets', ticket_valid: 'Valid', ticket_checkedIn: 'Checked in', ticket_voided: 'Voided', ticket_refundPending: 'Refund pending',
    qrAlt: 'Entry QR code for {seat}', cancelTitle: 'Cancel booking', cancelPick: 'Choose the seats to cancel.', quote: 'See the refund',
    refundGross: 'Seats cancelled', refundFee: 'Cancellation fee ({p}%)', refundAmount: 'Refund', agreeCancel: 'I agree: cancel for this refund',
    cancelled: 'Cancelled. {n} has been refunded.', cancelClosed: 'The cancellation deadline has passed.', continuePay: 'Continue to payment',
    gaveBack: 'The seats were given back.', error: 'Something went wrong: {message}', retry: 'Try again', notFound: 'Page not found.',
    live: 'live', polling: 'refreshed every few seconds', notTogether: 'No adjacent free seats of that grade. Try fewer seats or another grade.',
    orderNo: 'Order no.', togetherOff: 'Seats together is not available on this server yet. Please choose seats on the map.', slowDown: 'Too many requests. Please wait a moment and try again.', remaining: 'Time left', seatLine: '{grade} {label} {price}', perf: '{title} · {date}',
    // transfer (issue 13.4)
    'nav.transfers': 'Transfers', ticket_transferPending: 'On transfer',
  },
};
let lang = localStorage.getItem('lang') || ((navigator.language || 'ko').toLowerCase().startsWith('ko') ? 'ko' : 'en');
function t(key, vars) {
  let s = (T[lang] && T[lang][key]) ?? T.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split('{' + k + '}').join(String(v));
  return s;
}
const won = n => t('won', { n: Number(n).toLocaleString('ko-KR') });
const when = iso => new Date(iso).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
let rerender = () => {};
function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach(el => { el.textContent = t(el.dataset.i18n); });
  const b = document.getElementById('lang');
  b.textContent = lang === 'ko' ? 'EN' : '한국어';
  b.setAttribute('aria-label', lang === 'ko' ? 'Switch to English' : '한국어로 보기');
}

// ---------- small DOM helpers ----------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c != null && c !== false) el.append(c.nodeType ? c : document.createTextNode(String(c)));
  return el;
}
const $ = s => document.querySelector(s);
function say(text) { const s = $('#status'); s.textContent = ''; requestAnimationFrame(() => { s.textContent = text; }); }
function alertBox(text, ...actions) {
  const a = $('#alert');
  a.replaceChildren();
  if (!text) { a.hidden = true; return; }
  a.append(h('p', {}, text), ...actions);
  a.hidden = false;
}
function page(...children) { const p = $('#page'); p.replaceChildren(...children); p.setAttribute('aria-busy', 'false'); return p; }
function steps(n) {
  const s = $('#steps');
  s.hidden = n == null;
  s.querySelectorAll('li').forEach(li => {
    const cur = Number(li.dataset.step) === n;
    li.classList.toggle('current', cur);
    li.classList.toggle('done', Number(li.dataset.step) < n);
    if (cur) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
  });
}

// ---------- API and auth ----------
const auth = {
  get access() { return sessionStorage.getItem('accessToken'); },
  get refresh() { return sessionStorage.getItem('refreshToken'); },
  save(tokens) { sessionStorage.setItem('accessToken', tokens.accessToken); sessionStorage.setItem('refreshToken', tokens.refreshToken); },
  clear() { sessionStorage.removeItem('accessToken'); sessionStorage.removeItem('refreshToken'); },
};
class ApiError extends Error {
  constructor(status, problem) { super(problem?.detail || problem?.title || ('HTTP ' + status)); this.status = status; this.problem = problem || {}; this.code = this.problem.code; }
}
let refreshing = null;
async function refreshTokens() {
  if (!auth.refresh) return false;
  refreshing ??= fetch('/api/accounts/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: auth.refresh }) })
    .then(async r => { if (!r.ok) { auth.clear(); return false; } auth.save(await r.json()); return true; })
    .finally(() => { refreshing = null; });
  return refreshing;
}
async function api(path, { method = 'GET', body, headers = {}, raw = false, anonymous = false } = {}, retried = false) {
  const h2 = { accept: 'application/json', ...headers };
  if (body !== undefined) h2['content-type'] = 'application/json';
  if (!anonymous && auth.access) h2.authorization = 'Bearer ' + auth.access;
  const r = await fetch(path, { method, headers: h2, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (r.status === 401 && !anonymous && !retried) {
    const problem = await r.clone().json().catch(() => null);
    const isPass = problem?.code?.startsWith('pass.');
    if (!isPass && await refreshTokens()) return api(path, { method, body, headers, raw, anonymous }, true);
    if (!isPass) { toLogin(); throw new ApiError(401, problem); }
  }
  if (raw && r.ok) return r;
  const text = r.status === 204 ? '' : await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!r.ok) throw new ApiError(r.status, json);
  return { status: r.status, body: json, headers: r.headers };
}
function toLogin() {
  location.href = '/book/login?returnUrl=' + encodeURIComponent(location.pathname + location.search);
}
function requireLogin() { if (!auth.access) { toLogin(); return false; } return true; }
function problemText(e) { return t('error', { message: e?.message || String(e) }); }

// The server's clock (which sets the hold deadlines) against this browser's: learned from each order's createdAt
// answered just now, so a countdown is right even when the two clocks differ.
function learnClock(order) { sessionStorage.setItem('clockOffset', String(Date.parse(order.createdAt) - Date.now())); }
const serverNow = () => Date.now() + Number(sessionStorage.getItem('clockOffset') || 0);

let policy = null;
async function cancellationPolicy() { policy ??= (await api('/api/cancellation-policy', { anonymous: true })).body; return policy; }

// ---------- "My booking" summary ----------
function renderSummary({ performance, event, seats = [], order, deadlineText, discount = 0 }) {
  const aside = $('#summary');
  aside.hidden = false;
  const amount = seats.reduce((a, s) => a + s.price, 0);
  const items = [h('h2', { id: 'summary-title' }, t('my'))];
  if (event) items.push(h('p', { class: 'sum-title' }, event.title));
  const dl = h('dl', {});
  const row = (k, v, cls) => dl.append(h('dt', {}, k), h('dd', { class: cls || null }, v));
  if (performance) row(t('date'), when(performance.startsAt));
  row(t('seats'), '');
  dl.append(h('dd', { class: 'wide' }, seats.length ? h('ul', { class: 'sum-seats' }, seats.map(s => h('li', {}, `${s.gradeName} ${s.label}`, h('span', {}, won(s.price))))) : t('noSeats')));
  row(t('ticketAmount'), won(amount));
  row(t('bookingFee'), won(0));
  row(t('discount'), discount > 0 ? '− ' + won(discount) : won(0), discount > 0 ? 'discount' : null); // discounts (issue 13.2)
  if (performance && policy) {
    const until = new Date(Date.parse(performance.startsAt) - policy.cutoffMinutes * 60000).toISOString();
    row(t('deadline'), when(until));
    const fees = policy.schedule.map(x => x.feePercent);
    const details = h('details', {}, h('summary', {}, t('details')),
      h('ul', { class: 'tiers' }, policy.schedule.map((tier, i) => h('li', {},
        tier.feePercent === 0 ? t('tierFree', { d: tier.daysBefore })
          : tier.daysBefore === 0 ? t('tierLast', { p: tier.feePercent }) : t('tierFrom', { d: tier.daysBefore, p: tier.feePercent })))));
    row(t('cancelFee'), h('span', {}, t('cancelFeeRange', { min: Math.min(...fees), max: Math.max(...fees) }), ' ', details));
  }
  if (order && deadlineText) row(t('remaining'), deadlineText, 'countdown');
  dl.append(h('dt', { class: 'total' }, t('total')), h('dd', { class: 'total', id: 'sum-total' }, won(order ? order.totalAmount : amount)));
  items.push(dl);
  aside.replaceChildren(...items);
}

// ---------- pages ----------
async function eventsPage() {
  steps(1);
  const list = (await api('/api/events?pageSize=50', { anonymous: true })).body.items;
  await cancellationPolicy();
  const cards = [];
  for (const summary of list) {
    const ev = (await api('/api/events/' + summary.id, { anonymous: true })).body;
    const perfs = ev.performances.slice().sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    const rows = perfs.map(p => {
      const left = h('span', { class: 'left', 'data-performance': p.id });
      const li = h('li', { class: 'perf' },
        h('div', {}, h('b', {}, when(p.startsAt)), p.requiresQueuePass ? h('span', { class: 'tag' }, t('paced')) : null,
          h('ul', { class: 'grades' }, p.grades.map(g => h('li', { 'data-grade': g.code }, h('i', { class: 'swatch', style: `background:${g.color || '#888'}` }), `${g.name} ${won(g.price)}`, ' ', h('small', {}))))),
        h('a', { class: 'button primary', href: `/book/performances/${p.id}` }, t('choose')), GuestPages.link(p), left); // guest booking: GuestPages.link
      // Seats left per grade, from the seat map (only for halls small enough to fetch in a list).
      if (p.seatCount <= 10000) {
        api(`/api/performances/${p.id}/seats`, { anonymous: true }).then(({ body: map }) => {
          const c = map.columns, gi = c.indexOf('grade'), si = c.indexOf('status');
          const free = new Array(map.grades.length).fill(0);
          for (const s of map.seats) if (s[si] === 0) free[s[gi]]++;
          map.grades.forEach((g, i) => { const el = li.querySelector(`[data-grade="${g.code}"] small`); if (el) el.textContent = free[i] ? t('seatsLeft', { n: free[i] }) : t('soldOut'); });
        }).catch(() => {});
      }
      return li;
    });
    cards.push(h('article', { class: 'event' }, h('h2', {}, ev.title), h('p', { class: 'muted' }, `${ev.venue} · ${ev.category}`), h('ul', { class: 'perfs' }, rows)));
  }
  page(h('h1', {}, t('events')), ...(cards.length ? cards : [h('p', {}, t('noEvents'))])); // replaceChildren does not flatten an array
  $('#summary').hidden = true;
}

async function loginPage() {
  steps(null);
  $('#summary').hidden = true;
  const returnUrl = new URLSearchParams(location.search).get('returnUrl') || '/book/';
  const safeReturn = returnUrl.startsWith('/') && !returnUrl.startsWith('//') ? returnUrl : '/book/';
  const msg = h('p', { class: 'form-msg', 'aria-live': 'polite' });
  const reg = h('section', { class: 'card', id: 'register', hidden: true });
  async function logIn(email, password) {
    const r = await fetch('/api/accounts/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (r.ok) { auth.save(await r.json()); location.href = safeReturn; return; }
    const problem = await r.json().catch(() => ({}));
    if (problem.code === 'account.invalid_credentials') {
      msg.textContent = t('noAccount');
      reg.hidden = false;
      reg.querySelector('#reg-email').value = email;
      reg.querySelector('#reg-email').focus();
    } else msg.textContent = problemText(new ApiError(r.status, problem));
  }
  const form = h('form', { id: 'login-form', class: 'card', onsubmit: e => { e.preventDefault(); logIn(form.email.value, form.password.value); } },
    h('h1', {}, t('loginTitle')),
    h('label', {}, t('email'), h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true })),
    h('label', {}, t('password'), h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', class: 'primary' }, t('login')), msg);
  const regMsg = h('p', { class: 'form-msg', 'aria-live': 'polite' });
  const regForm = h('form', { id: 'register-form', onsubmit: async e => {
    e.preventDefault();
    const body = { email: regForm.email.value, password: regForm.password.value, displayName: regForm.displayName.value || null };
    let r = await fetch('/api/accounts/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status === 403 && String((await r.clone().json().catch(() => ({}))).code || '').startsWith('pow.')) {
      const proof = await solveRegistrationChallenge(percent => { regMsg.textContent = t('checkingBrowser') + ' ' + percent + '%'; }).catch(() => null);
      if (proof) {
        r = await fetch('/api/accounts/register', { method: 'POST', headers: { 'content-type': 'application/json', 'X-Proof-Of-Work': proof }, body: JSON.stringify(body) });
      }
    }
    if (r.status === 201) { regMsg.textContent = t('registered'); await logIn(body.email, body.password); return; }
    const problem = await r.json().catch(() => ({}));
    regMsg.textContent = problem.errors ? Object.values(problem.errors).flat().join(' ') : problemText(new ApiError(r.status, problem));
  } },
    h('label', {}, t('email'), h('input', { id: 'reg-email', name: 'email', type: 'email', autocomplete: 'username', required: true })),
    h('label', {}, t('password'), h('input', { id: 'reg-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 })),
    h('label', {}, t('displayName'), h('input', { id: 'reg-name', name: 'displayName', autocomplete: 'name' })),
    h('button', { type: 'submit', class: 'primary' }, t('register')), regMsg);
  reg.append(h('h2', {}, t('registerTitle')), regForm);
  const toggle = h('button', { type: 'button', class: 'link', onclick: () => { reg.hidden = false; reg.querySelector('input').focus(); } }, t('registerTitle'));
  page(h('div', { class: 'narrow' }, form, toggle, reg));
}

// Steps 02-05 of one performance.
async function performancePage(performanceId) {
  const params = new URLSearchParams(location.search);
  const perfP = api('/api/performances/' + performanceId, { anonymous: true });
  const mapP = fetchMap(performanceId);
  const performance = (await perfP).body;
  const [event] = await Promise.all([api('/api/events/' + performance.eventId, { anonymous: true }).then(r => r.body), cancellationPolicy()]);
  const state = { performance, event, selected: new Set(), order: null, step: 2, map: null, timer: 0, warned: false };
  const max = performance.maxSeatsPerOrder;
  const gradeIndex = new Map();

  // Layout: map on the left (large), the panel as a bottom sheet on phones.
  const canvas = h('canvas', { id: 'seatmap', role: 'img', 'aria-label': t('mapHelp') });
  const mapBox = h('div', { class: 'mapbox' }, canvas,
    h('div', { class: 'zoom' },
      h('button', { type: 'button', 'aria-label': t('zoomIn'), title: t('zoomIn'), onclick: () => seatMap.zoomAt(1.5, seatMap.width / 2, seatMap.height / 2) }, '+'),
      h('button', { type: 'button', 'aria-label': t('zoomOut'), title: t('zoomOut'), onclick: () => seatMap.zoomAt(1 / 1.5, seatMap.width / 2, seatMap.height / 2) }, '−'),
      h('button', { type: 'button', 'aria-label': t('zoomReset'), title: t('zoomReset'), onclick: () => seatMap.fit() }, '⤢')));
  const legend = h('ul', { class: 'legend', 'aria-label': t('legend') });
  const panel = h('section', { class: 'sheet', id: 'panel', 'aria-labelledby': 'panel-title' });
  const stepBox = h('section', { class: 'stepbox', id: 'stepbox' });
  const seatMap = new SeatMap(canvas, {
    isSelected: i => state.selected.has(i),
    label: g => `${state.map.grades[g].name} ${won(state.map.grades[g].price)}`,
    onToggle: i => toggle(i),
  });
  const bookingBox = h('div', { class: 'booking choosing' }, h('div', { class: 'mapcol' }, mapBox, h('div', { class: 'mapfoot' }, legend, h('p', { class: 'live', id: 'live' }))), h('div', { class: 'side' }, panel, stepBox));
  page(h('h1', { class: 'perf-title' }, t('perf', { title: event.title, date: when(performance.startsAt) })), bookingBox);
  window.__seatMap = seatMap;

  function seatInfo(i) {
    const g = state.map.grades[seatMap.grade[i]];
    return { index: i, id: seatMap.ids[i], label: seatMap.labelOf(i), gradeName: g.name, grade: g.code, price: g.price };
  }
  const selectedInfo = () => [...state.selected].map(seatInfo);
  const names = infos => infos.map(s => `${s.gradeName} ${s.label}`).join(', ');

  function toggle(i) {
    if (state.step !== 2) return;
    if (state.selected.has(i)) state.selected.delete(i);
    else {
      if (seatMap.status[i] !== 0) return;
      if (state.selected.size >= max) { say(t('maxSeats', { n: max })); alertBox(t('maxSeats', { n: max })); return; }
      state.selected.add(i);
    }
    alertBox(null);
    seatMap.request();
    renderAll();
  }

  function renderLegend() {
    legend.replaceChildren(...state.map.grades.map((g, i) => h('li', {}, h('i', { class: 'swatch', style: `background:${seatMap.colorOf(i)}` }), `${g.name} ${won(g.price)}`)),
      h('li', {}, h('i', { class: 'swatch', style: 'background:#c9c9c9' }), t('taken')),
      h('li', {}, h('i', { class: 'swatch mine' }), t('mine')));
  }

  function renderPanel() {
    const infos = selectedInfo();
    const list = infos.length
      ? h('ul', { class: 'chosen', id: 'chosen' }, infos.map(s => h('li', {},
        h('span', {}, t('seatLine', { grade: s.gradeName, label: s.label, price: '' }).trim()), h('b', {}, won(s.price)),
        state.step === 2 ? h('button', { type: 'button', class: 'x', 'aria-label': `${s.label} ✕`, onclick: () => toggle(s.index) }, '✕') : null)))
      : h('p', { class: 'muted', id: 'chosen' }, t('noSeats'));
    const children = [h('h2', { id: 'panel-title' }, t('selected'), ' ', h('small', {}, `${infos.length}/${max}`)), list];
    if (state.step === 2) {
      children.push(h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'choose-again', disabled: !infos.length, onclick: () => { state.selected.clear(); seatMap.request(); renderAll(); } }, t('chooseAgain')),
        h('button', { type: 'button', id: 'done', class: 'primary', disabled: !infos.length, onclick: hold }, t('done'))));
      const gradeSelect = h('select', { id: 'together-grade', 'aria-label': t('grade') }, state.map.grades.map(g => h('option', { value: g.code }, `${g.name} ${won(g.price)}`)));
      const countSelect = h('select', { id: 'together-count', 'aria-label': t('count') }, Array.from({ length: max }, (_, k) => h('option', { value: k + 1, selected: k === 1 }, String(k + 1))));
      children.push(h('details', { class: 'together', open: window.matchMedia('(min-width: 761px)').matches }, h('summary', {}, t('together')), h('p', { class: 'muted' }, t('togetherHelp')),
        h('div', { class: 'row' }, gradeSelect, countSelect, h('button', { type: 'button', id: 'together', onclick: () => holdTogether(gradeSelect.value, Number(countSelect.value)) }, t('findTogether')))));
    }
    panel.replaceChildren(...children);
  }

  function renderStep() {
    steps(state.step);
    bookingBox.classList.toggle('choosing', state.step === 2);
    bookingBox.classList.toggle('later', state.step > 2);
    stepBox.replaceChildren();
    if (state.step === 2) {
      if (state.map.counts && state.map.counts.available === 0) stepBox.append(h('p', { class: 'notice' }, t('soldOutLong'),
        ' ', h('a', { href: '/book/waitlist?performance=' + state.performance.id, id: 'to-waitlist' }, wt('title')))); // waitlist (issue 13.1)
      stepBox.append(h('p', { class: 'muted' }, t('mapHelp')));
      return;
    }
    const o = state.order;
    const countdown = h('p', { class: 'countdown', id: 'countdown' });
    if (state.step === 3) {
      const priceBox = h('div', { id: 'price-box' },
        h('table', { class: 'prices' }, h('caption', {}, t('perSeat')),
          h('tbody', {}, o.seats.map(s => h('tr', {}, h('th', { scope: 'row' }, `${gradeName(s.grade)} ${s.label}`), h('td', {}, t('basePrice')), h('td', {}, won(s.price)))))),
        h('p', { class: 'muted' }, t('noDiscounts')),
        h('label', {}, t('coupon'), h('select', { disabled: true }, h('option', {}, t('couponNone')))));
      stepBox.append(h('h2', {}, t('price')), countdown, priceBox,
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'give-back', onclick: giveBack }, t('giveBack')),
          h('button', { type: 'button', class: 'primary', id: 'to-buyer', onclick: () => { state.step = 4; renderAll(); } }, t('next'))));
      // Discounts (issue 13.2): assets/discounts.js prices each seat on the server and reports the new total.
      if (window.TicketingDiscounts) window.TicketingDiscounts.mount(priceBox, { order: o, gradeName, onPriced: priced => { state.priced = priced; o.totalAmount = priced.totalAmount; renderSummaryOnly(); } });
    } else if (state.step === 4) {
      const agree = h('input', { type: 'checkbox', id: 'agree' });
      const msg = h('p', { class: 'form-msg', 'aria-live': 'polite' });
      const buyer = GuestPages.buyerDefaults(state.me) ?? { name: state.me?.displayName || '', email: state.me?.email || '', phone: '' }; // guest booking
      const form = h('form', { id: 'buyer', onsubmit: e => { e.preventDefault(); if (!agree.checked) { msg.textContent = t('mustAgree'); agree.focus(); return; } pay(); } },
        h('label', {}, t('name'), h('input', { id: 'buyer-name', value: buyer.name, autocomplete: 'name' })),
        h('label', {}, t('email'), h('input', { id: 'buyer-email', type: 'email', value: buyer.email, autocomplete: 'email' })),
        h('label', {}, t('phone'), h('input', { id: 'buyer-phone', type: 'tel', autocomplete: 'tel', placeholder: '010-0000-0000', value: buyer.phone })),
        h('label', { class: 'check' }, agree, t('agree')), msg,
        h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => { state.step = 3; renderAll(); } }, t('back')),
          h('button', { type: 'submit', class: 'primary', id: 'pay' }, t('pay'), ' ', won(o.totalAmount))));
      stepBox.append(h('h2', {}, t('buyer')), countdown, form);
    } else if (state.step === 5) {
      stepBox.append(h('h2', {}, t('step.5')), h('p', {}, t('payWindow')));
    }
    tick();
  }
  const gradeName = code => (state.map.grades.find(g => g.code === code) || { name: code }).name;

  function renderAll() {
    const wasHidden = bookingBox.classList.contains('later');
    renderPanel();
    renderStep();
    renderSummaryOnly();
    if (wasHidden && state.step === 2) requestAnimationFrame(() => seatMap.resize());
  }
  rerender = () => { renderLegend(); renderAll(); };
  // Discounts (issue 13.2): once the price step has the server's prices, the summary lists face prices, the discount and the total.
  function renderSummaryOnly() {
    const priced = state.order && state.priced && state.priced.orderId === state.order.id ? state.priced : null;
    const seats = state.order
      ? state.order.seats.map(s => ({ label: s.label, gradeName: gradeName(s.grade), price: priced ? priced.seats.find(x => x.seatId === s.seatId)?.facePrice ?? s.price : s.price }))
      : selectedInfo();
    renderSummary({ performance, event, seats, order: state.order, discount: priced ? priced.discountAmount : 0, deadlineText: state.order ? remainingText() : null });
  }

  function remaining() { return state.order ? Date.parse(state.order.expiresAt) - serverNow() : 0; }
  function remainingText() { const ms = Math.max(0, remaining()); const s = Math.ceil(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; }
  function tick() {
    if (!state.order || state.step < 3) return;
    const ms = remaining();
    const el = $('#countdown');
    if (el) { el.textContent = t('timeLeft', { t: remainingText() }); el.classList.toggle('warn', ms <= 60000); }
    const sumEl = document.querySelector('#summary .countdown');
    if (sumEl) { sumEl.textContent = remainingText(); sumEl.classList.toggle('warn', ms <= 60000); }
    if (ms <= 60000 && ms > 0 && !state.warned) { state.warned = true; say(t('warnMinute')); alertBox(t('warnMinute')); }
    if (ms <= 0) expire();
  }
  function startTimer() { clearInterval(state.timer); state.warned = false; state.timer = setInterval(tick, 1000); }
  async function expire() {
    clearInterval(state.timer);
    sessionStorage.removeItem('order:' + performanceId);
    state.order = null; state.step = 2; state.selected.clear();
    await reloadMap();
    renderAll();
    say(t('expired'));
    alertBox(t('expired'), h('button', { type: 'button', class: 'primary', onclick: () => alertBox(null) }, t('chooseAgain')));
  }

  function passProblem(e) {
    const room = e.problem.roomId || e.problem.waitingRoomId || performance.waitingRoomId;
    const url = e.problem.queueUrl || (room ? `/queue/${encodeURIComponent(room)}` : null);
    say(t('passMissing'));
    alertBox(t('passMissing'), url ? h('a', { class: 'button primary', href: url, id: 'to-queue' }, t('toQueue')) : null);
  }

  function holdFailed(e) {
    if (e.code === 'seats.taken' && Array.isArray(e.problem.takenSeatIds)) {
      const taken = e.problem.takenSeatIds.map(id => seatMap.indexOf.get(id)).filter(i => i !== undefined);
      for (const i of taken) { state.selected.delete(i); seatMap.status[i] = 1; }
      const text = t('seatsTaken', { seats: names(taken.map(seatInfo)) });
      say(text); alertBox(text);
      seatMap.request(); renderAll();
      return;
    }
    if (e.code?.startsWith('pass.')) { passProblem(e); return; }
    if (GuestPages.holdRefused(e)) return; // guest booking
    if (e.code === 'seats.not_together') { say(t('notTogether')); alertBox(t('notTogether')); return; }
    if (e.status === 404 && e.code === 'route.not_found') { say(t('togetherOff')); alertBox(t('togetherOff')); return; }
    if (e.status === 429) { alertBox(t('slowDown')); return; }
    alertBox(problemText(e));
  }

  async function held(order) {
    learnClock(order);
    state.order = order;
    sessionStorage.setItem('order:' + performanceId, order.id);
    state.selected = new Set(order.seats.map(s => seatMap.indexOf.get(s.seatId)).filter(i => i !== undefined));
    for (const i of state.selected) seatMap.status[i] = 1;
    state.step = 3;
    alertBox(null);
    say(t('held'));
    startTimer();
    seatMap.request();
    renderAll();
  }

  async function hold() {
    if (!requireLogin()) return;
    const seatIds = [...state.selected].map(i => seatMap.ids[i]);
    say(t('holding'));
    try {
      held((await api(`/api/performances/${performanceId}/holds`, { method: 'POST', body: { seatIds }, headers: { 'Idempotency-Key': 'hold-' + crypto.randomUUID() } })).body);
    } catch (e) { if (e instanceof ApiError) holdFailed(e); else alertBox(problemText(e)); }
  }

  async function holdTogether(gradeCode, count) {
    if (!requireLogin()) return;
    say(t('holding'));
    try {
      held((await api(`/api/performances/${performanceId}/holds/together`, { method: 'POST', body: { gradeCode, count }, headers: { 'Idempotency-Key': 'together-' + crypto.randomUUID() } })).body);
    } catch (e) { if (e instanceof ApiError) holdFailed(e); else alertBox(problemText(e)); }
  }

  async function giveBack() {
    try { await api('/api/orders/' + state.order.id, { method: 'DELETE' }); } catch (e) { alertBox(problemText(e)); return; }
    clearInterval(state.timer);
    sessionStorage.removeItem('order:' + performanceId);
    state.order = null; state.step = 2; state.selected.clear();
    await reloadMap();
    renderAll();
    say(t('gaveBack'));
  }

  async function pay() {
    const o = state.order;
    if (!(await GuestPages.beforePay(o))) return; // guest booking: the buyer check gives the booking number
    state.step = 5; renderAll();
    const q = new URLSearchParams({
      orderId: o.id, amount: String(o.totalAmount), orderName: `${event.title} × ${o.seats.length}`,
      customerName: $('#buyer-name')?.value || '', successUrl: '/book/pay/success', failUrl: '/book/pay/fail',
    });
    location.href = '/payments/simulated/window?' + q;
  }

  // ----- the map: load, live updates -----
  async function reloadMap(revalidate = false) {
    const statuses = await fetchStatuses(performanceId, revalidate);
    if (statuses) applyStatuses(statuses);
  }
  function applyMap(map) { state.map = map; seatMap.load(map); renderLegend(); }
  function applyStatuses(fresh) {
    // A fresh reading: statuses may have changed under the fan's selection.
    if (fresh.status.length !== seatMap.n) return;
    const changes = [];
    for (let i = 0; i < fresh.status.length; i++) if (fresh.status[i] !== seatMap.status[i]) changes.push([seatMap.ids[i], fresh.status[i]]);
    state.map.version = fresh.version; state.map.counts = fresh.counts;
    applyChanges(changes);
  }
  function applyChanges(changes) {
    const gone = [];
    for (const [id, status] of changes) {
      const i = seatMap.indexOf.get(id);
      if (i === undefined) continue;
      const mine = state.order && state.order.seats.some(s => s.seatId === id);
      if (!mine) seatMap.status[i] = status;
      if (status !== 0 && state.step === 2 && state.selected.has(i)) { state.selected.delete(i); gone.push(i); }
    }
    seatMap.request();
    if (gone.length) {
      const text = t('seatGone', { seats: names(gone.map(seatInfo)) });
      say(text); alertBox(text);
      renderAll();
    }
  }
  function live() {
    const liveEl = $('#live');
    let opened = false, poll = 0;
    const startPolling = () => {
      if (poll) return;
      liveEl.textContent = '⟳ ' + t('polling');
      poll = setInterval(() => reloadMap(true).catch(() => {}), 4000);
    };
    if (!window.EventSource) { startPolling(); return; }
    const es = new EventSource(`/api/performances/${performanceId}/seats/stream`);
    es.addEventListener('open', () => { opened = true; liveEl.textContent = '● ' + t('live'); clearInterval(poll); poll = 0; });
    es.addEventListener('seats', e => {
      const data = JSON.parse(e.data);
      if (state.map.version != null && data.version <= state.map.version) return;
      state.map.version = data.version;
      applyChanges(data.changes);
    });
    es.addEventListener('reload', () => reloadMap().catch(() => {}));
    es.addEventListener('error', () => {
      // No stream on this server (404) or it went away: refetch the map every few seconds instead.
      if (!opened || es.readyState === EventSource.CLOSED) { es.close(); startPolling(); }
    });
  }

  // ----- start -----
  applyMap(await mapP);
  if (auth.access) api('/api/me').then(r => { state.me = r.body; }).catch(() => {});
  const resumeId = params.get('order') || sessionStorage.getItem('order:' + performanceId);
  if (resumeId && auth.access) {
    try {
      const o = (await api('/api/orders/' + resumeId)).body;
      if (o.performanceId === performance.id && o.status === 'pending' && Date.parse(o.expiresAt) > serverNow()) {
        state.order = o; state.step = 3;
        state.selected = new Set(o.seats.map(s => seatMap.indexOf.get(s.seatId)).filter(i => i !== undefined));
        startTimer();
        if (params.get('declined')) alertBox(t('declined', { code: params.get('declined') }));
      } else sessionStorage.removeItem('order:' + performanceId);
    } catch { sessionStorage.removeItem('order:' + performanceId); }
  }
  renderAll();
  seatMap.resize();
  live();
}

// The map in two parts, fetched together: the hall's layout, one array per field (the same bytes for every fan,
// compressed once on the server and revalidated by the browser), and the statuses, one byte per seat (base64).
async function fetchMap(performanceId) {
  const [layout, statuses] = await Promise.all([
    fetchJson(`/api/performances/${performanceId}/seats/layout`),
    fetchStatuses(performanceId, false),
  ]);
  if (!performance.getEntriesByName('map-received').length) performance.mark('map-received');
  return Object.assign(layout, { status: statuses.status, version: statuses.version, counts: statuses.counts });
}

async function fetchJson(url, headers = {}) {
  const r = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  if (r.status === 304) return { notModified: true, response: r };
  if (!r.ok) throw new ApiError(r.status, await r.json().catch(() => null));
  return r.json().then(body => Object.defineProperty(body, 'etag', { value: r.headers.get('etag'), enumerable: false }));
}

// The statuses, revalidated with their ETag: a refetch while no seat changed is a 304 and costs nothing to parse.
const statusTags = new Map();
async function fetchStatuses(performanceId, revalidate) {
  const headers = revalidate && statusTags.has(performanceId) ? { 'if-none-match': statusTags.get(performanceId) } : {};
  const body = await fetchJson(`/api/performances/${performanceId}/seats/statuses`, headers);
  if (body.notModified) return null;
  if (body.etag) statusTags.set(performanceId, body.etag);
  const bytes = atob(body.statuses), status = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) status[i] = bytes.charCodeAt(i);
  return { status, version: body.version, counts: body.counts };
}

async function paySuccessPage() {
  steps(5);
  if (!requireLogin()) return;
  const q = new URLSearchParams(location.search);
  const orderId = q.get('orderId'), paymentKey = q.get('paymentKey'), amount = Number(q.get('amount'));
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 5 }, h('i', { style: 'width:5%' }));
  const msg = h('p', { id: 'pay-msg', 'aria-live': 'polite' }, t('confirming'));
  const actions = h('div', { class: 'actions', id: 'pay-actions' });
  page(h('h1', {}, t('step.5')), bar, msg, actions);
  let pct = 5;
  const fill = v => { pct = v; bar.firstChild.style.width = v + '%'; bar.setAttribute('aria-valuenow', String(Math.round(v))); };
  const creep = setInterval(() => fill(pct + (90 - pct) * 0.08), 200);
  let order = null;
  try { order = (await api('/api/orders/' + orderId)).body; } catch { /* shown below */ }
  const perf = order ? (await api('/api/performances/' + order.performanceId, { anonymous: true })).body : null;
  if (perf) {
    await cancellationPolicy();
    const ev = (await api('/api/events/' + perf.eventId, { anonymous: true })).body;
    renderSummary({ performance: perf, event: ev, seats: order.seats.map(s => ({ label: s.label, gradeName: s.grade, price: s.price })), order });
  }
  const tryAgain = () => h('a', { class: 'button primary', id: 'pay-again', href: `/book/performances/${order?.performanceId ?? ''}?order=${orderId}` }, t('tryAgain'));
  const paid = () => { clearInterval(creep); fill(100); msg.textContent = t('paid'); say(t('paid')); sessionStorage.removeItem('order:' + order?.performanceId); actions.replaceChildren(h('a', { class: 'button primary', id: 'view-tickets', href: '/book/orders/' + orderId }, t('viewTickets'))); GuestPages.afterPaid(orderId, actions); };
  try {
    const r = await api('/api/payments/confirm', { method: 'POST', body: { paymentKey, orderId, amount }, headers: { 'Idempotency-Key': `confirm-${orderId}-${paymentKey}` } });
    if (r.status === 200) { paid(); return; }
    // 202: the outcome is not known yet. Poll the order; never offer to pay again meanwhile.
    msg.textContent = t('pending'); say(t('pending'));
    const poll = setInterval(async () => {
      const o = (await api('/api/orders/' + orderId).catch(() => null))?.body;
      if (!o) return;
      if (o.status === 'paid') { clearInterval(poll); paid(); }
      else if (o.status !== 'paymentPending') { clearInterval(poll); clearInterval(creep); msg.textContent = t('pendingExpired'); say(t('pendingExpired')); }
    }, 3000);
  } catch (e) {
    clearInterval(creep); fill(100);
    bar.classList.add('failed');
    if (e.status === 402) { const text = t('declined', { code: e.problem.tossCode || e.code }); msg.textContent = text; say(text); actions.replaceChildren(tryAgain()); }
    else if (e.code?.startsWith('pass.')) { msg.textContent = t('passMissing'); }
    else { msg.textContent = problemText(e); actions.replaceChildren(tryAgain()); }
  }
}

async function payFailPage() {
  steps(5);
  const q = new URLSearchParams(location.search);
  const orderId = q.get('orderId');
  let order = null;
  if (auth.access && orderId) order = (await api('/api/orders/' + orderId).catch(() => null))?.body;
  const text = t('payFailed', { message: q.get('message') || '', code: q.get('code') || '' });
  page(h('h1', {}, t('step.5')), h('p', { id: 'fail-msg' }, text),
    order && order.status === 'pending' ? h('a', { class: 'button primary', id: 'pay-again', href: `/book/performances/${order.performanceId}?order=${orderId}` }, t('tryAgain')) : h('a', { class: 'button', href: '/book/' }, t('events')));
  say(text);
}

async function ordersPage() {
  steps(null);
  $('#summary').hidden = true;
  if (!requireLogin()) return;
  const orders = (await api('/api/me/orders?pageSize=50')).body.items;
  page(h('h1', {}, t('orders')), orders.length ? h('ul', { class: 'orders' }, orders.map(o => h('li', {},
    h('a', { href: '/book/orders/' + o.id }, h('b', {}, o.seats.map(s => s.label).join(', ')), ' ', h('span', { class: 'badge ' + o.status }, t('status_' + o.status))),
    h('span', { class: 'muted' }, `${when(o.createdAt)} · ${won(o.totalAmount)}`)))) : h('p', {}, t('noOrders')));
}

async function orderPage(orderId) {
  steps(null);
  if (!requireLogin()) return;
  const order = (await api('/api/orders/' + orderId)).body;
  const perf = (await api('/api/performances/' + order.performanceId, { anonymous: true })).body;
  const ev = (await api('/api/events/' + perf.eventId, { anonymous: true })).body;
  await cancellationPolicy();
  renderSummary({ performance: perf, event: ev, seats: order.seats.map(s => ({ label: s.label, gradeName: s.grade, price: s.price })), order });
  const parts = [h('h1', {}, t('order')), h('p', {}, `${t('orderNo')} ${order.id} · `, h('span', { class: 'badge ' + order.status }, t('status_' + order.status))),
    h('p', {}, t('perf', { title: ev.title, date: when(perf.startsAt) }))];
  if (order.status === 'pending') parts.push(h('a', { class: 'button primary', href: `/book/performances/${order.performanceId}?order=${order.id}` }, t('continuePay')));
  if (order.status === 'paymentPending') parts.push(h('p', { class: 'notice' }, t('pending')));
  const tickets = (await api('/api/me/tickets?pageSize=100')).body.items.filter(x => x.orderId === order.id);
  if (tickets.length) {
    parts.push(h('h2', {}, t('tickets')));
    const grid = h('ul', { class: 'tickets', id: 'tickets' });
    for (const tk of tickets) {
      const img = h('img', { class: 'qr', alt: t('qrAlt', { seat: tk.label }), width: 160, height: 160 });
      if (tk.status !== 'voided') {
        api(`/api/tickets/${tk.id}/qr`, { raw: true, headers: { accept: 'image/png' } })
          .then(r => r.blob()).then(b => { img.src = URL.createObjectURL(b); }).catch(() => { img.alt = '—'; });
      }
      grid.append(h('li', { class: 'ticket ' + tk.status }, tk.status !== 'voided' ? img : null,
        h('b', {}, `${tk.grade} ${tk.label}`), h('span', {}, won(tk.price)), h('span', { class: 'badge ' + tk.status }, t('ticket_' + tk.status)),
        ticketTransferAction(tk, () => orderPage(order.id)))); // transfer (issue 13.4)
    }
    parts.push(grid);
  }
  const live = tickets.filter(x => x.status === 'valid');
  if (order.status === 'paid' && live.length) parts.push(cancellationBox(order, live));
  page(...parts);
}

function cancellationBox(order, tickets) {
  const result = h('div', { id: 'quote', 'aria-live': 'polite' });
  const boxes = tickets.map(tk => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: tk.seatId, checked: true, name: 'seat' }), `${tk.grade} ${tk.label} ${won(tk.price)}`));
  const seatIds = () => boxes.map(b => b.querySelector('input')).filter(i => i.checked).map(i => Number(i.value));
  async function showQuote() {
    result.replaceChildren();
    const ids = seatIds();
    if (!ids.length) return;
    try {
      const qs = ids.map(id => 'seatIds=' + id).join('&');
      const q = (await api(`/api/orders/${order.id}/cancellation?${qs}`)).body;
      result.append(h('dl', { class: 'refund' },
        h('dt', {}, t('refundGross')), h('dd', {}, won(q.grossAmount)),
        h('dt', {}, t('refundFee', { p: q.feePercent })), h('dd', { id: 'refund-fee' }, '−' + won(q.feeAmount)),
        h('dt', { class: 'total' }, t('refundAmount')), h('dd', { class: 'total', id: 'refund-amount' }, won(q.refundAmount)),
        h('dt', {}, t('deadline')), h('dd', {}, when(q.cancellableUntil))),
      h('button', { type: 'button', class: 'danger', id: 'agree-cancel', onclick: async e => {
        e.target.disabled = true;
        try {
          const r = (await api(`/api/orders/${order.id}/cancellation`, { method: 'POST', body: { seatIds: ids } })).body;
          say(t('cancelled', { n: won(r.refundAmount) }));
          await orderPage(order.id);
          alertBox(t('cancelled', { n: won(r.refundAmount) }));
        } catch (err) { e.target.disabled = false; alertBox(problemText(err)); }
      } }, t('agreeCancel')));
    } catch (e) {
      result.append(h('p', {}, e.code === 'order.cancellation_closed' ? t('cancelClosed') : problemText(e)));
    }
  }
  return h('section', { class: 'card', id: 'cancel' }, h('h2', {}, t('cancelTitle')), h('p', { class: 'muted' }, t('cancelPick')), boxes,
    h('button', { type: 'button', id: 'show-quote', onclick: showQuote }, t('quote')), result);
}

// ---------- router ----------
async function route() {
  applyLanguage();
  $('#nav-login').hidden = !!auth.access;
  $('#nav-logout').hidden = !auth.access;
  GuestPages.nav(); // guest booking: "find my booking" in the header
  const path = location.pathname.replace(/\/+$/, '') || '/book';
  let m;
  try {
    if (path === '/book') await eventsPage();
    else if (path === '/book/login') await loginPage();
    else if ((m = path.match(/^\/book\/performances\/(\d+)$/))) await performancePage(Number(m[1]));
    else if (path === '/book/pay/success') await paySuccessPage();
    else if (path === '/book/pay/fail') await payFailPage();
    else if (path === '/book/orders') await ordersPage();
    else if ((m = path.match(/^\/book\/orders\/([0-9a-f]+)$/i))) await orderPage(m[1]);
    else if (path === '/book/waitlist') await waitlistPage(); // waitlist (issue 13.1): assets/waitlist.js
    else if (path === '/book/guest') await GuestPages.verifyPage(); // guest booking
    else if (path === '/book/lookup') await GuestPages.lookupPage(); // guest booking
    else if (path === '/book/transfers' || path.startsWith('/book/transfers/')) await transfersPage(); // transfer (issue 13.4)
    else page(h('p', {}, t('notFound')));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    page(h('p', { class: 'notice' }, problemText(e)), h('button', { type: 'button', onclick: () => location.reload() }, t('retry')));
  }
}
$('#lang').addEventListener('click', () => {
  lang = lang === 'ko' ? 'en' : 'ko';
  localStorage.setItem('lang', lang);
  applyLanguage();
  if (/^\/book\/performances\//.test(location.pathname)) rerender(); else route();
});
$('#nav-logout').addEventListener('click', () => { auth.clear(); location.href = '/book/'; });
route();

// Proof of work for registration while a sale's waiting room is open (docs/PROOF-OF-WORK.md): the same solver as the
// queue page, served by the waiting room on this origin (the gateway), run in a worker. Resolves to the
// X-Proof-Of-Work header value, or null when no work is asked now.
async function solveRegistrationChallenge(onProgress) {
  const c = await (await fetch('/api/accounts/registration-challenge', { cache: 'no-store' })).json();
  if (!c.difficulty) { return null; }
  const expected = Math.pow(2, c.difficulty);
  return new Promise((resolve, reject) => {
    const worker = new Worker('/queue/assets/pow-worker.js');
    worker.onmessage = e => {
      if (e.data.type === 'progress') { onProgress(Math.round((1 - Math.exp(-e.data.hashes / expected)) * 100)); return; }
      worker.terminate();
      onProgress(100);
      resolve(c.challenge + ':' + e.data.nonce);
    };
    worker.onerror = e => { worker.terminate(); reject(new Error(e.message || 'worker failed')); };
    worker.postMessage({ challenge: c.challenge, difficulty: c.difficulty });
  });
}
