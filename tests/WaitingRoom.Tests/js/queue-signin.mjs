// The queue page of an account room in Debian's chromium (playwright-core): it asks the fan to sign in (or register)
// before joining, keeps the tokens in sessionStorage as the booking pages do, and a second device signed in with the
// same account gets the same place. Env: BASE_URL, OUT_DIR, CHROMIUM, EMAIL, PASSWORD. Prints one JSON line.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
const email = process.env.EMAIL;
const password = process.env.PASSWORD;
mkdirSync(out, { recursive: true });
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const result = {};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function signIn(page, register) {
  await page.waitForSelector('body[data-state="signin"]', { timeout: 20000 });
  if (register) { await page.click('#signin-switch'); }
  await page.fill('#signin-email', email);
  await page.fill('#signin-password', password);
  await page.click('#signin-submit');
  await page.waitForSelector('body[data-state="waiting"]', { timeout: 20000 });
  await page.waitForFunction(() => document.getElementById('place').textContent !== '–');
  return {
    place: await page.textContent('#place'),
    accessToken: await page.evaluate(() => sessionStorage.getItem('accessToken')),
    refreshToken: await page.evaluate(() => sessionStorage.getItem('refreshToken')),
  };
}

try {
  const phoneContext = await browser.newContext({ ...phone, locale: 'en-US' });
  const first = await phoneContext.newPage();
  await first.goto(`${base}/queue/acct`);
  await first.waitForSelector('body[data-state="signin"]', { timeout: 20000 });
  result.signinVisible = await first.isVisible('#signin-email') && await first.isVisible('#signin-password') && await first.isVisible('#signin-submit');
  await first.screenshot({ path: join(out, 'signin-en.png'), fullPage: true });
  result.phone = await signIn(first, true);

  // The same tab again: already signed in, so the page joins at once and shows the same place.
  await first.reload();
  await first.waitForSelector('body[data-state="waiting"]', { timeout: 20000 });
  await first.waitForFunction(() => document.getElementById('place').textContent !== '–');
  result.reloadPlace = await first.textContent('#place');

  const laptopContext = await browser.newContext({ locale: 'ko-KR' });
  const second = await laptopContext.newPage();
  await second.goto(`${base}/queue/acct`);
  await second.waitForSelector('body[data-state="signin"]', { timeout: 20000 });
  await second.screenshot({ path: join(out, 'signin-ko.png'), fullPage: true });
  await second.fill('#signin-email', email);
  await second.fill('#signin-password', 'not-the-password');
  await second.click('#signin-submit');
  await second.waitForFunction(() => document.getElementById('signin-error').textContent.length > 0, null, { timeout: 10000 });
  result.wrongPassword = await second.textContent('#signin-error');
  result.laptop = await signIn(second, false);
  result.ok = true;
} catch (e) {
  result.ok = false;
  result.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
