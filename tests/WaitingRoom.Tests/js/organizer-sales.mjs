// Drives Debian's chromium (no browser download) through the organizer's sales page while a fan holds and pays
// through the API. Env: BASE_URL, ORGANIZER_EMAIL, ORGANIZER_PASSWORD, PERFORMANCE_ID, OUT_DIR, CHROMIUM.
// Prints one JSON line with what it saw.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
const performanceId = Number(process.env.PERFORMANCE_ID);
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
const result = { ok: false, screenshots: [], runs: {} };

async function call(method, path, token, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) { throw new Error(`${method} ${path}: ${response.status} ${text}`); }
  return text ? JSON.parse(text) : null;
}

async function newFan() {
  const email = `fan-${Date.now()}-${Math.random().toString(16).slice(2)}@browser.ticketing`;
  await call('POST', '/api/accounts/register', null, { email, password: 'fan-password-1', displayName: 'Browser fan' });
  return { email, token: (await call('POST', '/api/accounts/login', null, { email, password: 'fan-password-1' })).accessToken };
}

async function freeSeats(n) {
  const map = await call('GET', `/api/performances/${performanceId}/seats`);
  const id = map.columns.indexOf('id'), status = map.columns.indexOf('status');
  const free = map.statuses.indexOf('available');
  // Seats from the middle of the map, away from the ones other runs of this script took.
  const seats = map.seats.filter((s) => s[status] === free);
  const from = Math.floor(seats.length / 2) + Math.floor(Math.random() * 500);
  return seats.slice(from, from + n).map((s) => s[id]);
}

async function shot(page, name) {
  const file = join(out, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

const number = async (page, id) => Number((await page.textContent('#' + id)).replace(/[^\d]/g, ''));

async function waitNumber(page, id, expected, timeout = 10000) {
  await page.waitForFunction(([el, n]) => Number((document.getElementById(el).textContent || '').replace(/[^\d]/g, '')) === n, [id, expected], { timeout });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

try {
  for (const [size, options] of Object.entries(sizes)) {
    for (const locale of ['ko-KR', 'en-US']) {
      const lang = locale.slice(0, 2);
      const context = await browser.newContext({ ...options, locale });
      const page = await context.newPage();
      const run = {};

      // A fan's account is told the page is for organizers, and is not kept.
      const fan = await newFan();
      await page.goto(`${base}/organizer/`);
      run.loginTitle = await page.textContent('#login h2');
      await page.fill('#email', fan.email);
      await page.fill('#password', 'fan-password-1');
      await page.click('#login-form button[type=submit]');
      await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0, null, { timeout: 10000 });
      run.fanError = await page.textContent('#login-error');
      run.fanTokenKept = await page.evaluate(() => sessionStorage.getItem('ticketing-organizer-token'));
      await shot(page, `organizer-login-${size}-${lang}`);

      await page.fill('#email', process.env.ORGANIZER_EMAIL);
      await page.fill('#password', process.env.ORGANIZER_PASSWORD);
      await page.click('#login-form button[type=submit]');
      await page.waitForSelector('#performance option', { state: 'attached', timeout: 15000 });
      await page.selectOption('#performance', String(performanceId));
      await page.waitForFunction(() => document.getElementById('sold-total').textContent !== '–', null, { timeout: 10000 });
      const before = { sold: await number(page, 'sold-total'), held: await number(page, 'held-total'), available: await number(page, 'available-total') };
      run.before = before;

      // While the page is open a fan holds two seats, then pays for them, through the API.
      const seats = await freeSeats(2);
      const started = Date.now();
      const order = await call('POST', `/api/performances/${performanceId}/holds`, fan.token, { seatIds: seats });
      await waitNumber(page, 'held-total', before.held + 2);
      run.heldSeenMs = Date.now() - started;
      run.heldAfterHold = await number(page, 'held-total');
      run.availableAfterHold = await number(page, 'available-total');

      const checkout = await call('POST', '/api/payments/simulated/checkout', fan.token, { orderId: order.id });
      const paid = await call('POST', '/api/payments/confirm', fan.token, checkout);
      run.paidStatus = paid.status;
      const paidAt = Date.now();
      await waitNumber(page, 'sold-total', before.sold + 2);
      await waitNumber(page, 'held-total', before.held);
      run.soldSeenMs = Date.now() - paidAt;
      run.soldAfterPay = await number(page, 'sold-total');
      run.revenueText = await page.textContent('#revenue-net');
      run.liveText = await page.textContent('#live');
      run.gradeRows = await page.$$eval('#grades tr', (rows) => rows.map((r) => r.dataset.grade));
      run.title = await page.textContent('#sales h2');
      run.overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      await shot(page, `organizer-${size}-${lang}`);
      result.runs[`${size}-${lang}`] = run;
      await context.close();
    }
  }

  result.ok = true;
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}

console.log(JSON.stringify(result));
