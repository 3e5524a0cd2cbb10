// Drives Debian's chromium through guest booking on a running WebApi: verify a phone (the simulated SMS provider
// shows the code), book seats together, give the buyer's name and email, pay in the simulated window, keep the
// booking number; then, in a fresh browser with no session, look the booking up (a wrong phone first), see the QR
// codes, and cancel with the refund shown first. Env: BASE_URL, PERFORMANCE (open to guests), OUT_DIR, CHROMIUM.
// Prints one JSON line with what it saw, per window size.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL.replace(/\/$/, '');
const out = process.env.OUT_DIR;
const perf = Number(process.env.PERFORMANCE);
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'ko-KR', phone: '010-4000-0001' },
  desktop: { viewport: { width: 1280, height: 800 }, locale: 'en-US', phone: '+82 10 4000 0002' },
};
const result = { ok: false, runs: {} };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const shot = (page, name) => page.screenshot({ path: join(out, name + '.png') });

async function guestBookingOf(id) {
  return (await (await fetch(`${base}/api/performances/${id}`)).json()).guestBooking;
}

try {
  // The organizer's page switches guest booking of the chosen performance off and on again.
  {
    const context = await browser.newContext(sizes.desktop);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto(`${base}/organizer/`);
    await page.fill('#email', 'organizer@demo.ticketing');
    await page.fill('#password', 'organizer-demo-1');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#guest-setting:not([hidden])', { timeout: 20000 });
    const organizer = { performance: await page.inputValue('#performance'), checkedAtFirst: await page.isChecked('#guest-booking') };
    await page.uncheck('#guest-booking');
    await page.waitForFunction(() => document.getElementById('guest-booking-status').textContent.length > 0, null, { timeout: 20000 });
    organizer.afterOff = await guestBookingOf(organizer.performance);
    await shot(page, 'guest-organizer-desktop');
    await page.check('#guest-booking');
    await page.waitForFunction(() => !document.getElementById('guest-booking').disabled, null, { timeout: 20000 });
    organizer.afterOn = await guestBookingOf(organizer.performance);
    if (errors.length) organizer.pageErrors = errors;
    result.organizer = organizer;
    await context.close();
  }

  for (const [size, { phone, ...options }] of Object.entries(sizes)) {
    const run = {};
    result.runs[size] = run;
    const errors = [];
    let context = await browser.newContext(options);
    let page = await context.newPage();
    page.on('pageerror', e => errors.push(String(e)));

    // The events page offers guest booking next to the performance open to guests.
    await page.goto(base + '/book/');
    await page.waitForSelector(`a.guest-link[href="/book/guest?performance=${perf}"]`, { timeout: 20000 });
    run.guestLinks = await page.$$eval('a.guest-link', as => as.map(a => a.getAttribute('href')));
    await Promise.all([page.waitForURL(/\/book\/guest/), page.click(`a.guest-link[href="/book/guest?performance=${perf}"]`)]);

    await page.fill('#guest-phone', phone);
    await shot(page, `guest-phone-${size}`);
    await page.click('#guest-send');
    await page.waitForSelector('#guest-demo:not([hidden])', { timeout: 20000 });
    run.sentMessage = await page.textContent('#guest-msg');
    const code = (await page.textContent('#guest-demo')).match(/\d{6}/)[0];
    await page.fill('#guest-code', code === '000000' ? '111111' : '000000');
    await page.click('#guest-verify');
    // "4 attempts left" replaces "a code was sent to *********0001" (no 4 in it).
    await page.waitForFunction(() => document.querySelector('#guest-msg').textContent.includes('4'), null, { timeout: 20000 });
    run.wrongCodeMessage = await page.textContent('#guest-msg');
    await page.fill('#guest-code', code);
    await shot(page, `guest-code-${size}`);
    await Promise.all([page.waitForURL(new RegExp(`/book/performances/${perf}`), { timeout: 20000 }), page.click('#guest-verify')]);

    // The normal seat flow, as a guest: two seats together, then the buyer check.
    await page.waitForFunction(() => window.__seatMap && window.__seatMap.n > 0, null, { timeout: 30000 });
    await page.evaluate(() => { document.querySelector('details.together').open = true; });
    await page.selectOption('#together-count', '2');
    await page.click('#together');
    await page.waitForSelector('#to-buyer', { timeout: 20000 });
    await page.click('#to-buyer');
    run.buyerPhone = await page.inputValue('#buyer-phone');
    run.buyerNameBefore = await page.inputValue('#buyer-name');
    await page.fill('#buyer-name', '김게스트');
    await page.fill('#buyer-email', `guest-${size}@example.com`);
    await page.check('#agree');
    await shot(page, `guest-buyer-${size}`);
    await page.click('#pay');
    await page.waitForURL(/\/payments\/simulated\/window/, { timeout: 20000 });
    await page.check('input[name=outcome][value=approve]');
    await Promise.all([page.waitForURL(/\/book\/pay\/success/, { timeout: 20000 }), page.click('#pay')]);
    await page.waitForSelector('#guest-booking-number', { timeout: 20000 });
    run.paidMessage = await page.textContent('#pay-msg');
    const number = (await page.textContent('#guest-booking-number')).trim();
    run.bookingNumber = number;
    await shot(page, `guest-paid-${size}`);
    if (errors.length) run.pageErrors = errors.slice();
    await context.close();

    // Another browser, no session: the booking number and the phone find the booking.
    context = await browser.newContext(options);
    page = await context.newPage();
    page.on('pageerror', e => errors.push(String(e)));
    await page.goto(base + '/book/');
    await page.waitForSelector('#nav-lookup', { timeout: 20000 });
    await Promise.all([page.waitForURL(/\/book\/lookup/), page.click('#nav-lookup')]);
    await page.fill('#lookup-number', number.toLowerCase().replace('-', ''));
    await page.fill('#lookup-phone', '010-9999-9999');
    await page.click('#lookup-submit');
    await page.waitForFunction(() => document.querySelector('#lookup-msg').textContent.length > 0, null, { timeout: 20000 });
    run.wrongPhoneMessage = await page.textContent('#lookup-msg');
    await shot(page, `guest-lookup-wrong-${size}`);
    await page.fill('#lookup-phone', phone);
    await page.click('#lookup-submit');
    await page.waitForSelector('#lookup-booking-number', { timeout: 20000 });
    await page.waitForFunction(() => [...document.querySelectorAll('img.qr')].length === 2 && [...document.querySelectorAll('img.qr')].every(i => i.complete && i.naturalWidth > 100), null, { timeout: 20000 });
    run.lookedUpNumber = await page.textContent('#lookup-booking-number');
    run.statusBefore = await page.getAttribute('#lookup-status', 'class');
    run.qrImages = await page.$$eval('img.qr', imgs => imgs.map(i => ({ w: i.naturalWidth, src: i.src.slice(0, 5) })));
    await shot(page, `guest-lookup-${size}`);
    await page.click('#show-quote');
    await page.waitForSelector('#refund-amount', { timeout: 20000 });
    run.refundShown = await page.textContent('#refund-amount');
    await page.click('#agree-cancel');
    await page.waitForFunction(() => document.querySelector('#lookup-status')?.className.includes('refunded'), null, { timeout: 20000 });
    run.cancelledMessage = await page.textContent('#alert');
    await shot(page, `guest-cancelled-${size}`);
    if (errors.length) run.pageErrors = errors;
    await context.close();
  }
  result.ok = true;
} catch (e) {
  result.error = String(e && e.stack || e);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
