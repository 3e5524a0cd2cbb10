// The booking page's price step (discounts, issue 13.2) in Debian's chromium, at phone and desktop width.
// Env: BASE_URL, PERFORMANCE, EARLY, YOUTH, COUPON_ID, COUPON_CODE, SEATS_PHONE, SEATS_DESKTOP ("id,id"), OUT_DIR, CHROMIUM.
// The fan logs in, holds two seats, then on step 03 picks a discount per seat and a coupon; the page shows the
// server's prices, the rule, the summary's discount and total, and sends the discounted total to the payment window.
// Prints one JSON line with what it saw per window size.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL.replace(/\/$/, '');
const out = process.env.OUT_DIR;
const perf = Number(process.env.PERFORMANCE);
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
const shot = (page, name, full = false) => page.screenshot({ path: join(out, name + '.png'), fullPage: full });
const totalIs = (page, digits) => page.waitForFunction(d => (document.querySelector('#price-total')?.textContent || '').includes(d), digits, { timeout: 20000 });

try {
  for (const [size, options] of Object.entries(sizes)) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const run = {};
    page.on('pageerror', e => { (run.pageErrors ??= []).push(String(e)); });
    const seats = process.env[size === 'phone' ? 'SEATS_PHONE' : 'SEATS_DESKTOP'].split(',').map(Number);

    const email = `discount-${size}-${Date.now()}@test.ticketing`;
    await fetch(base + '/api/accounts/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'fan-password-1' }) });
    await page.goto(`${base}/book/login?returnUrl=${encodeURIComponent('/book/performances/' + perf)}`);
    await page.fill('#email', email);
    await page.fill('#password', 'fan-password-1');
    await Promise.all([page.waitForURL(new RegExp(`/book/performances/${perf}`), { timeout: 20000 }), page.click('#login-form button[type=submit]')]);
    await page.waitForFunction(() => window.__seatMap && window.__seatMap.drawn, null, { timeout: 20000 });

    // Hold the two seats (the seat map's clicks are the booking walk's subject), then open the price step.
    const orderId = await page.evaluate(async ([p, ids]) => (await api(`/api/performances/${p}/holds`, { method: 'POST', body: { seatIds: ids } })).body.id, [perf, seats]);
    await page.goto(`${base}/book/performances/${perf}?order=${orderId}`);
    await page.waitForSelector('#discounts select', { timeout: 20000 });
    run.optionsSeat1 = await page.$$eval(`#discount-${seats[0]} option`, os => os.map(o => o.textContent));
    run.optionsSeat2 = await page.$$eval(`#discount-${seats[1]} option`, os => os.map(o => o.textContent));
    run.totalBefore = await page.textContent('#price-total');
    await shot(page, `discounts-price-${size}`);

    // Early bird on the first seat.
    await page.selectOption(`#discount-${seats[0]}`, process.env.EARLY);
    await totalIs(page, '250,800');

    // A wrong coupon code is refused; the right one adds the coupon to the seats' lists, and the fan picks it.
    await page.fill('#coupon-code', 'NOTACODE1');
    await page.click('#coupon-apply');
    await page.waitForSelector('.coupon-msg.bad', { timeout: 20000 });
    run.badCoupon = await page.textContent('.coupon-msg');
    await page.fill('#coupon-code', process.env.COUPON_CODE.toLowerCase());
    await page.click('#coupon-apply');
    await page.waitForFunction(id => !!document.querySelector(`#discounts option[value="${id}"]`), process.env.COUPON_ID, { timeout: 20000 });
    run.goodCoupon = await page.textContent('.coupon-msg');
    await page.selectOption(`#discount-${seats[1]}`, process.env.COUPON_ID);
    await totalIs(page, '245,800');
    await shot(page, `discounts-coupon-${size}`);

    // Youth on the second seat instead: its rule is shown; the summary shows the discount and the total.
    await page.selectOption(`#discount-${seats[1]}`, process.env.YOUTH);
    await totalIs(page, '230,800');
    run.rule = await page.textContent('#discounts .rule');
    await page.waitForFunction(() => (document.querySelector('#summary .total:last-child')?.textContent || '').includes('230,800'), null, { timeout: 20000 });
    run.summary = await page.textContent('#summary');
    await shot(page, `discounts-chosen-${size}`, true);

    // The buyer step's pay button and the payment window carry the discounted total.
    await page.click('#to-buyer');
    run.payButton = await page.textContent('#pay');
    await page.check('#agree');
    await Promise.all([page.waitForURL(/\/payments\/simulated\/window/, { timeout: 20000 }), page.click('#pay')]);
    run.windowAmount = new URL(page.url()).searchParams.get('amount');
    await page.check('input[name=outcome][value=approve]');
    await Promise.all([page.waitForURL(/\/book\/pay\/success/, { timeout: 20000 }), page.click('#pay')]);
    await page.waitForSelector('#view-tickets', { timeout: 30000 });
    run.paidMessage = await page.textContent('#pay-msg');
    run.paidSummary = await page.textContent('#summary');
    run.orderId = orderId;

    result.runs[size] = run;
    await context.close();
  }
  // The organizer's page lists the performance's discounts with their seats in use and the coupon's code, and adds one.
  {
    const context = await browser.newContext(sizes.desktop);
    const page = await context.newPage();
    const run = {};
    page.on('pageerror', e => { (run.pageErrors ??= []).push(String(e)); });
    await page.goto(`${base}/organizer#performance=${perf}`);
    await page.fill('#email', 'organizer@demo.ticketing');
    await page.fill('#password', 'organizer-demo-1');
    await page.click('#login-form button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#disc-rows tr').length >= 3, null, { timeout: 20000 });
    await page.fill('#disc-name', 'Matinee');
    await page.fill('#disc-value', '15');
    await page.check('#disc-generate');
    await page.click('#disc-add');
    await page.waitForFunction(() => document.querySelectorAll('#disc-rows tr').length >= 4, null, { timeout: 20000 });
    run.rows = await page.$$eval('#disc-rows tr', rows => rows.map(r => r.textContent));
    await page.locator('#discounts').scrollIntoViewIfNeeded();
    await shot(page, 'discounts-organizer-desktop');
    result.runs.organizer = run;
    await context.close();
  }
  result.ok = true;
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
