// Drives Debian's chromium (no browser download) through the booking API's admin login to the Hangfire dashboard.
// Env: BASE_URL, EMAIL, PASSWORD, OUT_DIR, CHROMIUM. Prints one JSON line with what it saw.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const out = process.env.OUT_DIR;
mkdirSync(out, { recursive: true });
const sizes = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
const result = { ok: false, screenshots: [], runs: {} };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function shot(page, name) {
  const file = join(out, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

try {
  for (const [size, options] of Object.entries(sizes)) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const run = {};

    // Anonymous: the dashboard sends the browser to the admin login, which remembers where it came from.
    await page.goto(`${base}/hangfire`);
    run.loginUrl = page.url();
    await page.fill('#email', process.env.EMAIL);
    await page.fill('#password', process.env.PASSWORD);
    await Promise.all([page.waitForURL(/\/hangfire/, { timeout: 20000 }), page.click('#login-form button[type=submit]')]);
    run.afterLoginUrl = page.url();

    await page.goto(`${base}/hangfire/recurring`);
    await page.waitForSelector('table', { timeout: 20000 });
    run.recurringText = await page.textContent('body');
    await shot(page, `hangfire-recurring-${size}`);

    // Back on /admin the session is still there, with the link to the dashboard.
    await page.goto(`${base}/admin`);
    await page.waitForSelector('#jobs-link:not([hidden])', { timeout: 20000 });
    run.adminLink = await page.getAttribute('#jobs-link', 'href');
    await page.waitForSelector('#jobs tr td', { timeout: 20000 });
    await shot(page, `admin-${size}`);
    result.runs[size] = run;
    await context.close();
  }

  result.ok = true;
} catch (error) {
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}

console.log(JSON.stringify(result));
