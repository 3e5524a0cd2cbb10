// Drives Debian's chromium (no browser download) through the fans' booking pages on a running WebApi.
// Env: BASE_URL, PERFORMANCE (an unpaced performance), LARGE_PERFORMANCE (optional, a 40,000-seat one), OUT_DIR,
// CHROMIUM. Prints one JSON line with what it saw at each step, per window size.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL.replace(/\/$/, '');
const out = process.env.OUT_DIR;
const perf = Number(process.env.PERFORMANCE);
const large = process.env.LARGE_PERFORMANCE ? Number(process.env.LARGE_PERFORMANCE) : null;
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'ko-KR' },
  desktop: { viewport: { width: 1280, height: 800 }, locale: 'en-US' },
};
const result = { ok: false, runs: {} };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const shot = (page, name) => page.screenshot({ path: join(out, name + '.png') });

async function api(path, { method = 'GET', token, body } = {}) {
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function newFan() {
  const email = `rival-${Date.now()}-${Math.random().toString(16).slice(2)}@test.ticketing`;
  await api('/api/accounts/register', { method: 'POST', body: { email, password: 'rival-password-1' } });
  return (await api('/api/accounts/login', { method: 'POST', body: { email, password: 'rival-password-1' } })).body.accessToken;
}

// Free seats next to each other in the middle of the hall, as the page's seat map holds them.
async function freeSeats(page, count) {
  return page.evaluate(n => {
    const m = window.__seatMap;
    const found = [];
    for (let i = Math.floor(m.n / 2); i < m.n && found.length < n; i++) {
      if (m.status[i] === 0 && !found.includes(i)) found.push(i);
    }
    return found.map(i => ({ index: i, id: m.ids[i], label: m.labelOf(i) }));
  }, count);
}

// Zooms so that the seats are large, centred on the seat, then taps/clicks it where the page draws it.
async function clickSeat(page, seat, touch) {
  const point = await page.evaluate(i => {
    const m = window.__seatMap;
    const r = m.canvas.getBoundingClientRect();
    if (m.pitch * m.scale < 14) {
      const target = 22 / m.pitch;
      m.scale = target;
      m.tx = m.width / 2 - m.xs[i] * target;
      m.ty = m.height / 3 - m.ys[i] * target;
      m.draw();
    }
    let x = m.xs[i] * m.scale + m.tx, y = m.ys[i] * m.scale + m.ty;
    if (x < 10 || y < 10 || x > m.width - 10 || y > m.height / 2) {
      m.tx += m.width / 2 - x; m.ty += m.height / 3 - y; m.draw();
      x = m.width / 2; y = m.height / 3;
    }
    return { x: r.left + x, y: r.top + y };
  }, seat.index);
  if (touch) await page.touchscreen.tap(point.x, point.y);
  else await page.mouse.click(point.x, point.y);
}

async function payInWindow(page, outcome) {
  await page.waitForURL(/\/payments\/simulated\/window/, { timeout: 20000 });
  await page.check(`input[name=outcome][value=${outcome}]`);
  return page;
}

try {
  for (const [size, options] of Object.entries(sizes)) {
    const touch = !!options.hasTouch;
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const run = {};
    page.on('pageerror', e => { (run.pageErrors ??= []).push(String(e)); });

    // Log in with an account that does not exist: the page says so and offers registration.
    const email = `fan-${size}-${Date.now()}@test.ticketing`;
    await page.goto(`${base}/book/login?returnUrl=${encodeURIComponent('/book/performances/' + perf)}`);
    await page.fill('#email', email);
    await page.fill('#password', 'fan-password-1');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#register:not([hidden])', { timeout: 20000 });
    run.noAccountMessage = await page.textContent('#login-form .form-msg');
    await shot(page, `booking-login-${size}`);
    await page.fill('#reg-password', 'fan-password-1');
    await Promise.all([page.waitForURL(new RegExp(`/book/performances/${perf}`), { timeout: 20000 }), page.click('#register-form button[type=submit]')]);

    // The seat map: choose three seats by click; someone else takes the third before the fan holds.
    await page.waitForFunction(() => window.__seatMap && window.__seatMap.drawn, null, { timeout: 20000 });
    run.stepBar = await page.textContent('#steps');
    const seats = await freeSeats(page, 3);
    for (const s of seats) await clickSeat(page, s, touch);
    run.chosenAfterClicks = await page.$$eval('#chosen li', els => els.length);
    await shot(page, `booking-seats-${size}`);
    const rival = await newFan();
    const taken = await api(`/api/performances/${perf}/holds`, { method: 'POST', token: rival, body: { seatIds: [seats[2].id] } });
    run.rivalHold = taken.status;
    run.takenLabel = seats[2].label;
    // The page learns that the seat is taken either from the live seat stream (it drops the seat and names it at
    // once) or from the hold's 409 when the fan presses "done" first. Either way the seat is named, the other two
    // stay chosen; read the message and the selection as they show, before the fan acts again.
    const takenShown = l => {
      const alert = document.querySelector('#alert');
      if (!alert || alert.hidden || !alert.textContent.includes(l)) return null;
      return { message: alert.textContent, chosen: [...document.querySelectorAll('#chosen li')].map(e => e.textContent) };
    };
    let seen = await page.waitForFunction(takenShown, seats[2].label, { timeout: 1500 }).catch(() => null);
    run.takenFromStream = seen !== null;
    if (!seen) {
      await page.click('#done');
      seen = await page.waitForFunction(takenShown, seats[2].label, { timeout: 20000 });
    }
    ({ message: run.takenMessage, chosen: run.chosenAfterTaken } = await seen.jsonValue());

    // Hold the two left: step 03 with a countdown, summary with the seats and cancellation terms.
    await page.click('#done');
    await page.waitForSelector('#countdown', { timeout: 20000 });
    await page.waitForFunction(() => /\d+:\d\d/.test(document.querySelector('#countdown').textContent), null, { timeout: 5000 });
    run.countdown = await page.textContent('#countdown');
    run.summary = await page.textContent('#summary');
    await shot(page, `booking-hold-${size}`);
    await page.click('#to-buyer');
    await page.check('#agree');
    await page.click('#pay');

    // A declined payment: the seats stay held and the fan can pay again.
    await payInWindow(page, 'decline');
    await shot(page, `booking-window-${size}`);
    await Promise.all([page.waitForURL(/\/book\/pay\/success/, { timeout: 20000 }), page.click('#pay')]);
    await page.waitForSelector('#pay-again', { timeout: 30000 });
    run.declinedMessage = await page.textContent('#pay-msg');
    await shot(page, `booking-declined-${size}`);
    await page.click('#pay-again');
    await page.waitForSelector('#countdown', { timeout: 20000 });
    run.resumedSeats = await page.$$eval('#chosen li', els => els.length);
    await page.click('#to-buyer');
    await page.check('#agree');
    await page.click('#pay');
    await payInWindow(page, 'approve');
    await Promise.all([page.waitForURL(/\/book\/pay\/success/, { timeout: 20000 }), page.click('#pay')]);
    await page.waitForSelector('#view-tickets', { timeout: 30000 });
    run.paidMessage = await page.textContent('#pay-msg');
    await shot(page, `booking-paid-${size}`);

    // Tickets with their QR codes (PNG behind the bearer token, shown as blob URLs).
    await page.click('#view-tickets');
    await page.waitForSelector('#tickets img.qr', { timeout: 20000 });
    await page.waitForFunction(() => [...document.querySelectorAll('#tickets img.qr')].every(i => i.complete && i.naturalWidth > 0), null, { timeout: 20000 });
    run.qrImages = await page.$$eval('#tickets img.qr', imgs => imgs.map(i => ({ w: i.naturalWidth, src: i.src.slice(0, 5) })));
    await shot(page, `booking-tickets-${size}`);

    // Cancellation: the refund and the fee are shown before the fan agrees.
    await page.click('#show-quote');
    await page.waitForSelector('#refund-amount', { timeout: 20000 });
    run.refundShown = await page.textContent('#refund-amount');
    run.feeShown = await page.textContent('#refund-fee');
    run.ticketsBeforeAgreeing = await page.$$eval('#tickets .badge', els => els.map(e => e.className));
    await page.locator('#cancel').scrollIntoViewIfNeeded();
    await shot(page, `booking-cancel-${size}`);
    await page.click('#agree-cancel');
    await page.waitForFunction(() => !document.querySelector('#alert').hidden, null, { timeout: 20000 });
    run.cancelledMessage = await page.textContent('#alert');

    // The 40,000-seat map: from the page's request to the first drawing, measured in the browser.
    if (large) {
      await page.goto(`${base}/book/performances/${large}`);
      await page.waitForFunction(() => performance.getEntriesByName('map-drawn').length > 0, null, { timeout: 30000 });
      const timing = () => page.evaluate(() => {
        const layout = performance.getEntriesByType('resource').find(e => /\/seats\/layout$/.test(e.name));
        const statuses = performance.getEntriesByType('resource').find(e => /\/seats\/statuses$/.test(e.name));
        return {
          drawn: Math.round(performance.getEntriesByName('map-drawn')[0].startTime),
          received: Math.round(performance.getEntriesByName('map-received')[0].startTime),
          layoutRequestStart: layout ? Math.round(layout.requestStart) : null,
          layoutResponseEnd: layout ? Math.round(layout.responseEnd) : null,
          layoutBytes: layout ? layout.transferSize : null,
          statusesResponseEnd: statuses ? Math.round(statuses.responseEnd) : null,
          statusesBytes: statuses ? statuses.transferSize : null,
        };
      });
      // In the same page, for comparison: the one-request compact map the page used before (an array per seat),
      // fetched, parsed and walked into typed arrays as the page did.
      const fullFormat = () => page.evaluate(async id => {
        const t0 = performance.now();
        const r = await fetch(`/api/performances/${id}/seats`, { cache: 'no-store' });
        const bytes = Number(r.headers.get('content-length')) || null;
        const map = await r.json();
        const t1 = performance.now();
        const col = {}; map.columns.forEach((c, i) => { col[c] = i; });
        const n = map.seats.length, xs = new Float32Array(n), ids = new Float64Array(n), index = new Map();
        for (let i = 0; i < n; i++) { const s = map.seats[i]; xs[i] = s[col.x]; ids[i] = s[col.id]; index.set(s[col.id], i); }
        return { fetchedAndParsed: Math.round(t1 - t0), walked: Math.round(performance.now() - t1), bytes };
      }, large);
      run.largeMapMs = (await timing()).drawn;
      run.largeFirst = await timing();
      run.largeSeats = await page.evaluate(() => window.__seatMap.n);
      // Once more: the server has the hall's layout cached now, as it has for every fan after the first.
      await page.reload();
      await page.waitForFunction(() => performance.getEntriesByName('map-drawn').length > 0, null, { timeout: 30000 });
      run.largeAgain = await timing();
      run.largeFullFormat = await fullFormat();
      await shot(page, `booking-40k-${size}`);
    }

    // A performance paced by the waiting room, without a pass: the fan is told and sent to the queue.
    if (process.env.PACED_PERFORMANCE) {
      await page.goto(`${base}/book/performances/${process.env.PACED_PERFORMANCE}`);
      await page.waitForFunction(() => window.__seatMap && window.__seatMap.drawn, null, { timeout: 20000 });
      const [seat] = await freeSeats(page, 1);
      await clickSeat(page, seat, touch);
      await page.click('#done');
      await page.waitForSelector('#to-queue', { timeout: 20000 });
      run.queueLink = await page.getAttribute('#to-queue', 'href');
      run.passMessage = await page.textContent('#alert');
    }

    result.runs[size] = run;
    await context.close();
  }
  result.ok = true;
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
