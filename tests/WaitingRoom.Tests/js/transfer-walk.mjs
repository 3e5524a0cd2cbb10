// Drives Debian's chromium through the ticket transfer pages on a running WebApi (simulated provider): the sender
// offers two tickets from the order page (one free, one priced), the recipient accepts one and pays for the other on
// /book/transfers and sees the tickets with their new QR codes, the sender sees the offers accepted and paid back.
// Env: BASE_URL, PERFORMANCE, FIRST_SEAT, OUT_DIR, CHROMIUM. Prints one JSON line per run of both window sizes.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL.replace(/\/$/, '');
const out = process.env.OUT_DIR;
const perf = Number(process.env.PERFORMANCE);
let seat = Number(process.env.FIRST_SEAT);
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

async function newFan(name) {
  const email = `${name}-${Date.now()}-${Math.random().toString(16).slice(2)}@test.ticketing`;
  await api('/api/accounts/register', { method: 'POST', body: { email, password: 'fan-password-1' } });
  return { email, tokens: (await api('/api/accounts/login', { method: 'POST', body: { email, password: 'fan-password-1' } })).body };
}

async function signedIn(size, fan, run) {
  const context = await browser.newContext(sizes[size]);
  await context.addInitScript(t => {
    sessionStorage.setItem('accessToken', t.accessToken);
    sessionStorage.setItem('refreshToken', t.refreshToken);
    localStorage.setItem('lang', navigator.language.startsWith('ko') ? 'ko' : 'en');
  }, fan.tokens);
  const page = await context.newPage();
  page.on('pageerror', e => { (run.pageErrors ??= []).push(String(e)); });
  return page;
}

try {
  for (const size of Object.keys(sizes)) {
    const run = {};
    result.runs[size] = run;
    const alice = await newFan('alice'), bob = await newFan('bob');
    const token = alice.tokens.accessToken;
    const hold = await api(`/api/performances/${perf}/holds`, { method: 'POST', token, body: { seatIds: [seat, seat + 1] } });
    seat += 2;
    const orderId = hold.body.id;
    const checkout = await api('/api/payments/simulated/checkout', { method: 'POST', token, body: { orderId } });
    const paid = await api('/api/payments/confirm', { method: 'POST', token, body: checkout.body });
    const [free, priced] = paid.body.tickets;
    run.facePrice = priced.price;

    // The sender offers both tickets from the order page.
    const sender = await signedIn(size, alice, run);
    await sender.goto(`${base}/book/orders/${orderId}`);
    await sender.waitForSelector(`#transfer-${free.id}`);
    await sender.click(`#transfer-${free.id}`);
    await sender.fill(`#transfer-email-${free.id}`, bob.email);
    await sender.fill(`#transfer-price-${free.id}`, '0');
    await shot(sender, `transfer-offer-${size}`);
    await sender.click(`[data-ticket="${free.id}"] form button[type=submit]`);
    await sender.waitForSelector(`#cancel-transfer-${free.id}`);
    run.sentMessage = await sender.textContent('#alert');
    await sender.click(`#transfer-${priced.id}`);
    await sender.fill(`#transfer-email-${priced.id}`, bob.email);
    await sender.fill(`#transfer-price-${priced.id}`, String(priced.price + 1));
    // Above face value: the form refuses it before any request (the API would answer 400 transfer.above_face_value).
    await sender.click(`[data-ticket="${priced.id}"] form button[type=submit]`);
    run.aboveFaceBlocked = await sender.$eval(`#transfer-price-${priced.id}`, el => !el.checkValidity() && el.validity.rangeOverflow);
    run.aboveFaceStillOpen = (await sender.$$(`#cancel-transfer-${priced.id}`)).length === 0;
    await sender.fill(`#transfer-price-${priced.id}`, String(priced.price - 1000));
    await sender.click(`[data-ticket="${priced.id}"] form button[type=submit]`);
    await sender.waitForSelector(`#cancel-transfer-${priced.id}`);
    run.badges = await sender.$$eval('#tickets .badge', els => els.map(e => e.className));
    run.overflow = await sender.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await shot(sender, `transfer-offered-${size}`);

    // The recipient accepts the free one and pays for the other.
    const recipient = await signedIn(size, bob, run);
    await recipient.goto(`${base}/book/transfers`);
    await recipient.waitForSelector('#received .transfer-card');
    run.offersShown = await recipient.$$eval('#received .transfer-card', els => els.length);
    await shot(recipient, `transfer-received-${size}`);
    const transfers = (await api('/api/me/transfers', { token: bob.tokens.accessToken })).body.received;
    const freeOffer = transfers.find(x => x.ticketId === free.id), pricedOffer = transfers.find(x => x.ticketId === priced.id);
    await recipient.click(`#accept-${freeOffer.id}`);
    await recipient.waitForSelector(`#received-${free.id}`);
    await recipient.click(`#pay-${pricedOffer.id}`);
    await recipient.waitForSelector(`#received-${priced.id}`);
    run.acceptedMessage = await recipient.textContent('#alert');
    await recipient.waitForFunction(() => [...document.querySelectorAll('#received-tickets img.qr')].every(i => i.complete && i.naturalWidth > 100));
    run.receivedQrs = await recipient.$$eval('#received-tickets img.qr', els => els.length);
    await shot(recipient, `transfer-accepted-${size}`);

    // The sender sees both accepted, the priced one paid back.
    await sender.goto(`${base}/book/transfers`);
    await sender.waitForSelector('#sent .transfer-card');
    run.sentStatuses = await sender.$$eval('#sent .transfer-card .badge', els => els.map(e => e.className));
    run.sentText = await sender.textContent('#sent');
    await shot(sender, `transfer-sent-${size}`);
    run.aliceTickets = (await api('/api/me/tickets', { token })).body.totalCount;
    run.bobTickets = (await api('/api/me/tickets', { token: bob.tokens.accessToken })).body.totalCount;
    await sender.context().close();
    await recipient.context().close();
  }
  // The organizer sets how often a ticket may change hands on the organizer page.
  const organizerContext = await browser.newContext(sizes.desktop);
  const organizer = await organizerContext.newPage();
  organizer.on('pageerror', e => { (result.organizerErrors ??= []).push(String(e)); });
  await organizer.goto(`${base}/organizer/#performance=${perf}`);
  await organizer.fill('#email', process.env.ORGANIZER_EMAIL);
  await organizer.fill('#password', process.env.ORGANIZER_PASSWORD);
  await organizer.click('#login-form button[type=submit]');
  await organizer.waitForFunction(() => document.getElementById('max-transfers').value !== '');
  result.organizerLimitShown = await organizer.inputValue('#max-transfers');
  await organizer.fill('#max-transfers', '2');
  await organizer.click('#transfer-form button[type=submit]');
  await organizer.waitForFunction(() => /2/.test(document.getElementById('transfer-msg').textContent));
  result.organizerSaved = await organizer.textContent('#transfer-msg');
  result.limitAfter = (await api(`/api/performances/${perf}`)).body.maxTransfersPerTicket;
  await shot(organizer, 'transfer-organizer-desktop');
  await organizerContext.close();
  result.ok = true;
} catch (e) {
  result.error = String(e?.stack || e);
} finally {
  await browser.close();
  console.log(JSON.stringify(result));
}
