// Drives Debian's chromium (no browser download) through the admin's waiting-room page: a wrong key is refused,
// the admin creates a room and changes its rate, and pauses a room while a fan's queue page is open.
// Env: BASE_URL, ADMIN_KEY, ROOM (an open room with fans waiting), OUT_DIR, CHROMIUM. Prints one JSON line.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const adminKey = process.env.ADMIN_KEY;
const room = process.env.ROOM;
const out = process.env.OUT_DIR;
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
const result = { ok: false, screenshots: [], texts: {} };

async function admin(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'X-Admin-Key': adminKey, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) { throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`); }
  return response.status === 204 ? null : response.json();
}

async function shot(page, name) {
  const file = join(out, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

async function logIn(page, key) {
  await page.fill('#admin-key', key);
  await page.click('#login-form button[type=submit]');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

try {
  // Phone, Korean: a wrong key, then the right one; the admin creates a room and changes its rate live.
  {
    const context = await browser.newContext({ ...sizes.phone, locale: 'ko-KR' });
    const page = await context.newPage();
    await page.goto(`${base}/waitingroom/admin`);
    await logIn(page, 'not-the-key');
    await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0, null, { timeout: 10000 });
    result.texts.wrongKey = await page.textContent('#login-error');
    result.texts.keyKept = await page.evaluate(() => sessionStorage.getItem('waitingroom-admin-key'));
    await shot(page, 'waitingroom-admin-login-phone-ko');

    await logIn(page, adminKey);
    await page.waitForSelector(`#rooms tr[data-room="${room}"]`, { timeout: 10000 });
    await page.fill('#new-id', 'gala-2');
    await page.fill('#new-performances', '7, 8');
    await page.fill('#new-rate', '90');
    await page.fill('#new-cap', '500');
    await page.fill('#new-lifetime', '240');
    await page.fill('#new-pow', '5');
    await page.selectOption('#new-mode', 'open');
    await page.click('#create-form button[type=submit]');
    await page.waitForSelector('#rooms tr[data-room="gala-2"][aria-selected="true"]', { timeout: 10000 });
    result.created = await admin('GET', '/api/admin/rooms/gala-2');

    await page.fill('#rate-input', '150');
    await page.click('#rate-apply');
    await page.waitForFunction(() => document.getElementById('room-ok').textContent.length > 0, null, { timeout: 10000 });
    result.afterRate = await admin('GET', '/api/admin/rooms/gala-2');

    // Proof of work changes live: the room's next challenge asks for the new number of bits.
    await page.fill('#pow-input', '12');
    await page.evaluate(() => { document.getElementById('room-ok').textContent = ''; });
    await page.click('#pow-apply');
    await page.waitForFunction(() => document.getElementById('room-ok').textContent.length > 0, null, { timeout: 10000 });
    result.afterPow = await admin('GET', '/api/admin/rooms/gala-2');
    result.challengeAfterPow = await (await fetch(`${base}/api/rooms/gala-2/challenge`)).json();
    result.texts.powInfo = await page.textContent('#room-info');
    result.createError = await page.textContent('#create-error');

    await page.click(`#rooms tr[data-room="${room}"]`);
    await page.waitForFunction((r) => document.getElementById('room-title').textContent === r, room, { timeout: 10000 });
    // Two refreshes a second apart give the admitted-per-second figure its first value.
    await page.waitForFunction(() => document.getElementById('stat-rate').textContent !== '–', null, { timeout: 10000 });
    result.texts.phoneWaiting = await page.textContent('#stat-waiting');
    result.texts.phoneClear = await page.textContent('#stat-clear');
    result.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await shot(page, 'waitingroom-admin-phone-ko');
    await context.close();
  }

  // Desktop, English: a fan waits on the queue page; the admin pauses the room; the fan's page says so.
  {
    const fanContext = await browser.newContext({ ...sizes.phone, locale: 'en-US' });
    const fan = await fanContext.newPage();
    await fan.goto(`${base}/queue/${room}`);
    await fan.waitForSelector('body[data-state="waiting"]', { timeout: 20000 });
    await fan.waitForFunction(() => document.getElementById('wait').textContent !== '–', null, { timeout: 10000 });
    result.texts.fanWaitBefore = await fan.textContent('#wait');

    const context = await browser.newContext({ ...sizes.desktop, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/waitingroom/admin`);
    await logIn(page, adminKey);
    await page.click(`#rooms tr[data-room="${room}"]`);
    await page.waitForFunction((r) => document.getElementById('room-title').textContent === r, room, { timeout: 10000 });
    await page.waitForFunction(() => document.getElementById('stat-rate').textContent !== '–', null, { timeout: 10000 });
    await shot(page, 'waitingroom-admin-desktop-en');
    result.desktopOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    result.links = { hangfire: await page.getAttribute('#hangfire-link', 'href'), webapi: await page.getAttribute('#webapi-admin-link', 'href') };

    const pausedAt = Date.now();
    await page.click('#pause');
    await page.waitForFunction(() => document.getElementById('room-mode').dataset.mode === 'paused', null, { timeout: 10000 });
    result.modeAfterPause = (await admin('GET', `/api/admin/rooms/${room}`)).mode;
    await fan.waitForFunction(() => document.getElementById('wait').textContent === 'Admission is paused for a moment', null, { timeout: 15000 });
    result.fanSawPauseMs = Date.now() - pausedAt;
    result.texts.fanWaitAfter = await fan.textContent('#wait');
    result.texts.fanState = await fan.getAttribute('body', 'data-state');
    result.texts.adminClearPaused = await page.textContent('#stat-clear');
    await shot(fan, 'waitingroom-admin-fan-paused');

    await page.click('#resume');
    await page.waitForFunction(() => document.getElementById('room-mode').dataset.mode === 'open', null, { timeout: 10000 });
    await fan.waitForFunction(() => document.getElementById('wait').textContent !== 'Admission is paused for a moment', null, { timeout: 15000 });
    result.texts.fanWaitResumed = await fan.textContent('#wait');
    await context.close();
    await fanContext.close();
  }

  result.ok = true;
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}

console.log(JSON.stringify(result));
