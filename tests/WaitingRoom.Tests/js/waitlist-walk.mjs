// Drives Debian's chromium through the booking pages' cancellation waitlist (/book/waitlist) on a running WebApi
// whose PERFORMANCE gives refunded seats to the waitlist: a fan joins for two A seats, another fan's paid seats are
// refunded meanwhile, the offer arrives live on the open page (SSE), and the fan declines one offer (phone) or opens
// the payment of it (desktop). Env: BASE_URL, PERFORMANCE, SEATS_PHONE, SEATS_DESKTOP (comma-separated seat ids of
// grade A), OUT_DIR, CHROMIUM. Prints one JSON line with what it saw per window size.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL.replace(/\/$/, '');
const out = process.env.OUT_DIR;
const perf = Number(process.env.PERFORMANCE);
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'ko-KR', seats: process.env.SEATS_PHONE },
  desktop: { viewport: { width: 1280, height: 800 }, locale: 'en-US', seats: process.env.SEATS_DESKTOP },
};
const result = { ok: false, runs: {} };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const shot = (page, name) => page.screenshot({ path: join(out, name + '.png'), fullPage: true });

async function api(path, { method = 'GET', token, body } = {}) {
  const r = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

async function newFan(who) {
  const email = `${who}-${Date.now()}-${Math.random().toString(16).slice(2)}@test.ticketing`;
  await api('/api/accounts/register', { method: 'POST', body: { email, password: 'waitlist-password-1' } });
  return (await api('/api/accounts/login', { method: 'POST', body: { email, password: 'waitlist-password-1' } })).body;
}

// Another fan buys the seats with the simulated provider and cancels them for a refund.
async function buyAndRefund(seatIds) {
  const token = (await newFan('refunder')).accessToken;
  const hold = await api(`/api/performances/${perf}/holds`, { method: 'POST', token, body: { seatIds } });
  if (hold.status !== 201) throw new Error('hold ' + hold.status + ' ' + JSON.stringify(hold.body));
  const checkout = await api('/api/payments/simulated/checkout', { method: 'POST', token, body: { orderId: hold.body.id } });
  const confirm = await api('/api/payments/confirm', { method: 'POST', token, body: { paymentKey: checkout.body.paymentKey, orderId: hold.body.id, amount: checkout.body.amount } });
  if (confirm.status !== 200) throw new Error('confirm ' + confirm.status + ' ' + JSON.stringify(confirm.body));
  const refund = await api(`/api/orders/${hold.body.id}/cancellation`, { method: 'POST', token, body: {} });
  return refund.status;
}

try {
  for (const [size, options] of Object.entries(sizes)) {
    const run = {};
    result.runs[size] = run;
    const tokens = await newFan('waiting-' + size);
    const context = await browser.newContext(options);
    await context.addInitScript(([a, r]) => {
      if (!sessionStorage.getItem('accessToken')) { sessionStorage.setItem('accessToken', a); sessionStorage.setItem('refreshToken', r); }
    }, [tokens.accessToken, tokens.refreshToken]);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));

    await page.goto(`${base}/book/waitlist?performance=${perf}`);
    await page.waitForSelector('#wl-join');
    run.intro = await page.textContent('#page');
    await page.selectOption('#wl-grade', 'A');
    await page.selectOption('#wl-seats', '2');
    await shot(page, `waitlist-join-${size}`);
    await page.click('#wl-join-button');
    await page.waitForSelector('#wl-entry');
    run.position = await page.textContent('#wl-position');
    await page.waitForFunction(() => /실시간|Live notices on/.test(document.querySelector('#wl-live')?.textContent || ''), null, { timeout: 20000 });
    run.live = await page.textContent('#wl-live');
    await shot(page, `waitlist-waiting-${size}`);

    // Seats come back while the page is open: the offer appears without a reload.
    run.refund = await buyAndRefund(options.seats.split(',').map(Number));
    await page.waitForSelector('.wl-offer.pending', { timeout: 20000 });
    run.alert = await page.textContent('#alert');
    run.offer = await page.textContent('.wl-offer.pending');
    run.countdown = await page.textContent('.wl-offer.pending .countdown');
    await shot(page, `waitlist-offer-${size}`);

    if (size === 'phone') {
      await page.click('.wl-decline');
      await page.waitForSelector('.wl-offer.cancelled', { timeout: 20000 });
      run.afterDecline = await page.textContent('#wl-offers');
    } else {
      await page.click('.wl-offer.pending a.button.primary');
      await page.waitForURL(/\/book\/performances\/\d+\?order=/, { timeout: 20000 });
      run.payUrl = page.url();
    }
    if (errors.length) run.pageErrors = errors;
    await context.close();
  }
  result.ok = true;
} catch (e) {
  result.error = String(e?.stack || e);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
