// Registration on the booking pages while registration asks for proof of work: the first attempt is refused
// (pow.required), the page solves a challenge in the queue page's worker (served here as the gateway serves it,
// from the waiting room's files) showing progress, and registers with the answer. Prints one JSON line.
// Env: BASE_URL (the WebApi), CHROMIUM.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const base = process.env.BASE_URL;
const here = dirname(fileURLToPath(import.meta.url));
const worker = readFileSync(join(here, '../../../src/WaitingRoom/wwwroot/queue/assets/pow-worker.js'));
const result = { registerStatuses: [], challenges: 0, messages: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'en-US' });
  const page = await context.newPage();
  page.on('pageerror', (e) => { (result.pageErrors ??= []).push(String(e)); });
  await page.route('**/queue/assets/pow-worker.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: worker }));
  page.on('request', (r) => { if (r.url().includes('/api/accounts/registration-challenge')) { result.challenges++; } });
  page.on('response', (r) => { if (r.url().endsWith('/api/accounts/register')) { result.registerStatuses.push(r.status()); } });
  // The form's messages, reported as they change (the page navigates away once registered).
  await page.exposeFunction('__reportMessage', (text) => { if (result.messages[result.messages.length - 1] !== text) { result.messages.push(text); } });
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const m = document.querySelector('#register-form .form-msg');
      if (m && m.textContent) { window.__reportMessage(m.textContent); }
    }).observe(document, { childList: true, characterData: true, subtree: true });
  });

  const email = `pow-${Date.now()}@test.ticketing`;
  await page.goto(`${base}/book/login?returnUrl=${encodeURIComponent('/book/performances/1')}`);
  await page.fill('#email', email);
  await page.fill('#password', 'fan-password-1');
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#register:not([hidden])', { timeout: 20000 });
  await page.fill('#reg-password', 'fan-password-1');
  await Promise.all([page.waitForURL(/\/book\/performances\/1/, { timeout: 60000 }), page.click('#register-form button[type=submit]')]);
  result.email = email;
  result.ok = true;
} catch (error) {
  result.ok = false;
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
