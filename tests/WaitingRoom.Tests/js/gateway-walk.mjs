import { createHash } from 'node:crypto';
// The whole walk through the gateway, with the product running as real processes: a fan signs in on the booking
// pages (so sessionStorage holds accessToken/refreshToken in this tab), opens the demo room's queue page, is
// admitted and taken to the booking page of performance 2, asks for 2 seats together, holds them, pays in the
// simulated payment window and sees the tickets with their QR codes; at phone and desktop width. Then two browsers
// (two contexts) on one performance: a seat held in one turns held in the other, timed from the hold's answer in
// the first to the second's redraw with the seat held.
// Env: BASE_URL (the gateway), OUT_DIR, CHROMIUM, PACED (the room's performance, 2), FREE (an unpaced one, 1),
// PART (walk: the fan's walk at both widths; live: the two browsers).
// Prints one JSON line.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL.replace(/\/$/, '');
const out = process.env.OUT_DIR;
const paced = Number(process.env.PACED || 2);
const free = Number(process.env.FREE || 1);
const part = process.env.PART || 'walk';
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

// A new account, registered through the gateway (the walk signs in with it on the page).
// While the demo room takes fans, registration costs a solved proof-of-work challenge (docs/PROOF-OF-WORK.md).
async function registrationProof() {
  const c = await (await fetch(base + '/api/accounts/registration-challenge', { cache: 'no-store' })).json();
  if (!c.difficulty) return null;
  const full = Math.floor(c.difficulty / 8), rest = c.difficulty % 8;
  for (let nonce = 0; ; nonce++) {
    const h = createHash('sha256').update(`${c.challenge}:${nonce}`).digest();
    let ok = true;
    for (let i = 0; i < full && ok; i++) ok = h[i] === 0;
    if (ok && rest) ok = (h[full] >> (8 - rest)) === 0;
    if (ok) return `${c.challenge}:${nonce}`;
  }
}

async function register(tag) {
  const email = `${tag}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}@test.ticketing`;
  const headers = { 'content-type': 'application/json' };
  const proof = await registrationProof();
  if (proof) headers['X-Proof-Of-Work'] = proof;
  const r = await fetch(base + '/api/accounts/register', { method: 'POST', headers, body: JSON.stringify({ email, password: 'walk-password-1' }) });
  if (r.status !== 201 && r.status !== 200) throw new Error(`register ${r.status} ${await r.text()}`);
  return email;
}

// Signs in on the booking pages' login form, which then goes on to returnUrl in the same tab.
async function signIn(page, email, returnUrl) {
  await page.goto(`${base}/book/login?returnUrl=${encodeURIComponent(returnUrl)}`);
  await page.fill('#email', email);
  await page.fill('#password', 'walk-password-1');
  await Promise.all([page.waitForURL(u => new URL(u).pathname === returnUrl.split('?')[0], { timeout: 20000 }), page.click('#login-form button[type=submit]')]);
}

let current = null; // the page in use, for the failure's report
const mapDrawn = page => page.waitForFunction(() => window.__seatMap && window.__seatMap.drawn, null, { timeout: 30000 });

try {
  for (const [size, options] of part === 'walk' ? Object.entries(sizes) : []) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    current = page;
    const run = { states: [] };
    page.on('pageerror', e => { (run.pageErrors ??= []).push(String(e)); });
    // Every queue state the page shows, in order (the queue page marks it on body[data-state]).
    await page.addInitScript(() => {
      if (location.pathname.startsWith('/queue/')) {
        window.__states = [];
        new MutationObserver(() => {
          const s = document.body && document.body.getAttribute('data-state');
          if (s && window.__states[window.__states.length - 1] !== s) window.__states.push(s);
        }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
      }
    });

    // 1. Sign in first, in this tab: the queue page (and the booking pages after it) find the tokens.
    await signIn(page, await register(`walk-${size}`), '/queue/demo');
    run.tokensInTab = await page.evaluate(() => !!sessionStorage.getItem('accessToken') && !!sessionStorage.getItem('refreshToken'));
    await page.waitForSelector('body[data-state]', { timeout: 20000 });
    await shot(page, `gateway-queue-${size}`);

    // 2. The queue admits the fan and takes them to the booking page of the room's performance.
    await page.waitForURL(new RegExp(`/book/performances/${paced}$`), { timeout: 60000 });
    run.bookingUrl = new URL(page.url()).pathname;
    run.passCookie = (await context.cookies()).filter(c => c.name === 'wr_pass_demo').map(c => ({ httpOnly: c.httpOnly, sameSite: c.sameSite }))[0] || null;
    run.passInUrl = page.url().includes('pass=');
    await mapDrawn(page);
    run.seatsShown = await page.evaluate(() => window.__seatMap.n);
    await shot(page, `gateway-seats-${size}`);

    // 3. Two seats together (the server picks them, all or none): held, with the countdown.
    const details = page.locator('details.together');
    if (!(await details.evaluate(d => d.open))) await details.locator('summary').click();
    const grade = await page.$eval('#together-grade', s => s.options[s.options.length - 1].value);
    await page.selectOption('#together-grade', grade);
    await page.selectOption('#together-count', '2');
    await page.click('#together');
    await page.waitForSelector('#countdown', { timeout: 20000 });
    await page.waitForFunction(() => /\d+:\d\d/.test(document.querySelector('#countdown').textContent), null, { timeout: 5000 });
    run.heldOrder = await page.evaluate(p => sessionStorage.getItem('order:' + p), paced);
    run.chosenShown = await page.$$eval('#chosen li', els => els.length);
    // The held order's seat labels, as the API gives them to the page.
    run.heldSeats = await page.evaluate(async id => {
      const r = await fetch('/api/orders/' + id, { headers: { authorization: 'Bearer ' + sessionStorage.getItem('accessToken') } });
      return (await r.json()).seats.map(s => s.label);
    }, run.heldOrder);
    run.summary = await page.textContent('#summary');
    await shot(page, `gateway-hold-${size}`);

    // 4. Pay in the simulated payment window: approved, back to our success page, confirmed.
    await page.click('#to-buyer');
    await page.check('#agree');
    await page.click('#pay');
    await page.waitForURL(/\/payments\/simulated\/window/, { timeout: 20000 });
    await page.check('input[name=outcome][value=approve]');
    await shot(page, `gateway-window-${size}`);
    await Promise.all([page.waitForURL(/\/book\/pay\/success/, { timeout: 20000 }), page.click('#pay')]);
    run.successQuery = [...new URL(page.url()).searchParams.keys()].sort();
    await page.waitForSelector('#view-tickets', { timeout: 30000 });
    run.paidMessage = await page.textContent('#pay-msg');
    await shot(page, `gateway-paid-${size}`);

    // 5. The tickets with their QR codes.
    await page.click('#view-tickets');
    await page.waitForSelector('#tickets img.qr', { timeout: 20000 });
    await page.waitForFunction(() => [...document.querySelectorAll('#tickets img.qr')].every(i => i.complete && i.naturalWidth > 0), null, { timeout: 20000 });
    run.qrImages = await page.$$eval('#tickets img.qr', imgs => imgs.map(i => ({ w: i.naturalWidth, src: i.src.slice(0, 5) })));
    run.ticketSeats = await page.$$eval('#tickets .ticket', els => els.map(e => e.textContent));
    await shot(page, `gateway-tickets-${size}`);

    result.runs[size] = run;
    await context.close();
  }

  // Two browsers on one performance, both through the gateway: B watches, A holds a seat.
  if (part === 'live') {
    const a = await browser.newContext(sizes.desktop);
    const b = await browser.newContext(sizes.phone);
    const pageA = await a.newPage();
    const pageB = await b.newPage();
    current = pageA;
    const live = { };
    for (const p of [pageA, pageB]) p.on('pageerror', e => { (live.pageErrors ??= []).push(String(e)); });
    // A: when the hold's answer arrives (the page's fetch resolves with the response headers).
    await pageA.addInitScript(() => {
      const original = window.fetch;
      window.fetch = async (...args) => {
        const response = await original(...args);
        const url = String(args[0] && args[0].url || args[0]);
        if (/\/holds$/.test(url) && (args[1] || {}).method === 'POST') window.__holdAnsweredAt = performance.timeOrigin + performance.now();
        return response;
      };
    });
    await signIn(pageA, await register('live-a'), `/book/performances/${free}`);
    await pageB.goto(`${base}/book/performances/${free}`);
    await Promise.all([mapDrawn(pageA), mapDrawn(pageB)]);
    await pageB.waitForFunction(() => document.querySelector('#live').textContent.startsWith('●'), null, { timeout: 20000 });
    live.streamNoteB = await pageB.textContent('#live');

    // A free seat in the middle, the same index in both (one layout).
    const seat = await pageA.evaluate(() => {
      const m = window.__seatMap;
      for (let i = Math.floor(m.n / 2); i < m.n; i++) if (m.status[i] === 0) return { index: i, id: m.ids[i], label: m.labelOf(i) };
      return null;
    });
    live.seat = seat;
    // B: the moment its map is drawn with that seat held.
    await pageB.evaluate(i => {
      const m = window.__seatMap;
      const draw = m.draw.bind(m);
      window.__redrawnAt = null;
      m.draw = () => { draw(); if (window.__redrawnAt === null && m.status[i] !== 0) window.__redrawnAt = performance.timeOrigin + performance.now(); };
    }, seat.index);
    live.statusBeforeB = await pageB.evaluate(i => window.__seatMap.status[i], seat.index);

    // A chooses the seat (zoomed in, clicked where it is drawn) and holds it.
    const point = await pageA.evaluate(i => {
      const m = window.__seatMap;
      const target = 22 / m.pitch;
      m.scale = target; m.tx = m.width / 2 - m.xs[i] * target; m.ty = m.height / 3 - m.ys[i] * target; m.draw();
      const r = m.canvas.getBoundingClientRect();
      return { x: r.left + m.xs[i] * m.scale + m.tx, y: r.top + m.ys[i] * m.scale + m.ty };
    }, seat.index);
    await pageA.mouse.click(point.x, point.y);
    live.chosenA = await pageA.$$eval('#chosen li', els => els.map(e => e.textContent));
    await pageA.click('#done');
    await pageA.waitForSelector('#countdown', { timeout: 20000 });
    await pageB.waitForFunction(() => window.__redrawnAt !== null, null, { timeout: 10000 });
    const answeredAt = await pageA.evaluate(() => window.__holdAnsweredAt);
    const redrawnAt = await pageB.evaluate(() => window.__redrawnAt);
    live.holdAnswered = answeredAt !== undefined && answeredAt !== null;
    live.redrawMs = Math.round(redrawnAt - answeredAt);
    live.statusAfterB = await pageB.evaluate(i => window.__seatMap.status[i], seat.index);
    await shot(pageA, 'gateway-live-holder-desktop');
    // B zoomed onto the seat, to show it grey.
    await pageB.evaluate(i => {
      const m = window.__seatMap;
      const target = 22 / m.pitch;
      m.scale = target; m.tx = m.width / 2 - m.xs[i] * target; m.ty = m.height / 3 - m.ys[i] * target; m.draw();
    }, seat.index);
    await shot(pageB, 'gateway-live-watcher-phone');
    result.live = live;
    await a.close();
    await b.close();
  }
  result.ok = true;
} catch (error) {
  result.error = String(error && error.stack || error);
  if (current) {
    result.failedAt = current.url();
    result.failedText = await current.textContent('body').catch(() => null);
    await shot(current, 'gateway-failure').catch(() => {});
  }
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
