// Drives Debian's chromium (no browser download) through the queue page with playwright-core.
// Env: BASE_URL, ADMIN_KEY, OUT_DIR, CHROMIUM. Prints one JSON line with what it saw.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = process.env.BASE_URL;
const adminKey = process.env.ADMIN_KEY;
const out = process.env.OUT_DIR;
mkdirSync(out, { recursive: true });
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const result = { screenshots: [], states: {}, texts: {} };

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

async function waitState(page, state, timeout = 20000) {
  await page.waitForSelector(`body[data-state="${state}"]`, { timeout });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

try {
  for (const locale of ['en-US', 'ko-KR']) {
    const lang = locale.slice(0, 2);
    const context = await browser.newContext({ ...phone, locale });
    const page = await context.newPage();

    await page.goto(`${base}/queue/soon`);
    await waitState(page, 'prequeue');
    result.texts[`prequeue-${lang}`] = await page.textContent('[data-show="prequeue"] .lead');
    await shot(page, `prequeue-${lang}`);

    await page.goto(`${base}/queue/shut`);
    await waitState(page, 'closed');
    await shot(page, `closed-${lang}`);

    // admission (issue 12): the room's only performance is sold out; the controller says so within its second.
    await page.goto(`${base}/queue/sold`);
    await waitState(page, 'soldout');
    result.texts[`soldout-${lang}`] = await page.textContent('#soldout-lead');
    // waitlist (issue 13.1): sold out offers the booking pages' cancellation waitlist of the room's performance.
    result.texts[`soldout-waitlist-${lang}`] = await page.textContent('#soldout-waitlist');
    result.texts[`soldout-waitlist-href-${lang}`] = await page.getAttribute('#soldout-waitlist', 'href');
    await shot(page, `soldout-${lang}`);

    await page.goto(`${base}/queue/walk`);
    await waitState(page, 'waiting');
    await page.waitForFunction(() => document.getElementById('ahead').textContent !== '–');
    result.texts[`ahead-${lang}`] = await page.textContent('#ahead');
    result.texts[`place-${lang}`] = await page.textContent('#place');
    result.texts[`title-${lang}`] = await page.textContent('h1');
    await shot(page, `waiting-${lang}`);
    await context.close();
  }

  // Expired: the fan's record disappears (room recreated); the live updates report it.
  {
    const context = await browser.newContext({ ...phone, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/queue/gone`);
    await waitState(page, 'waiting');
    const room = await admin('GET', '/api/admin/rooms/gone');
    await admin('DELETE', '/api/admin/rooms/gone');
    await admin('PUT', '/api/admin/rooms/gone', { identity: 'anonymous', performanceIds: room.performanceIds, ratePerSecond: 1, mode: 'paused' });
    await waitState(page, 'expired');
    await shot(page, 'expired-en');
    await context.close();
  }

  // Proof of work: the room "work" asks for it. The page shows the solving panel (its screenshot is taken while the
  // challenge request is held), solves in a worker with progress, joins with the answer, and a reload keeps the
  // place without solving again (the ticket cookie proves the work was done).
  {
    const context = await browser.newContext({ ...phone, locale: 'en-US' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__states = [];
      window.__powProgress = [];
      new MutationObserver((records) => {
        for (const r of records) {
          if (r.attributeName === 'aria-valuenow' && r.target.id === 'pow-progress') { window.__powProgress.push(Number(r.target.getAttribute('aria-valuenow'))); }
        }
        const s = document.body && document.body.getAttribute('data-state');
        if (s && window.__states[window.__states.length - 1] !== s) { window.__states.push(s); }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state', 'aria-valuenow'] });
    });
    let releaseChallenge;
    const challengeGate = new Promise((resolve) => { releaseChallenge = resolve; });
    let challenges = 0;
    await page.route('**/api/rooms/work/challenge', async (route) => { challenges++; await challengeGate; await route.continue(); });
    await page.goto(`${base}/queue/work`);
    await waitState(page, 'solving');
    await shot(page, 'solving-en');
    releaseChallenge();
    await waitState(page, 'waiting', 60000);
    const first = await page.evaluate(() => ({ states: window.__states.slice(), progress: window.__powProgress.slice(), last: window.QueuePow.last }));
    const place = await page.textContent('#place');
    await page.reload();
    await waitState(page, 'waiting');
    const again = await page.evaluate(() => ({ states: window.__states.slice(), last: window.QueuePow.last }));
    result.pow = { states: first.states, progress: first.progress, last: first.last, place, reloadStates: again.states, reloadLast: again.last, placeAfterReload: await page.textContent('#place'), challenges };
    await context.close();
  }

  // The walk: join while paused, the admin opens the room, the page follows live updates to admission
  // and moves on to the booking page of the room's first performance; the pass is in a cookie, not the URL.
  {
    const context = await browser.newContext({ ...phone, locale: 'en-US' });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__states = [];
      new MutationObserver(() => {
        const s = document.body && document.body.getAttribute('data-state');
        if (s && window.__states[window.__states.length - 1] !== s) { window.__states.push(s); }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
    });
    // Hold the booking page's response until the admitted screen is captured; the navigation does not
    // commit before that, so a slow screenshot can never catch the next page instead.
    let releaseBooking;
    const bookingGate = new Promise((resolve) => { releaseBooking = resolve; });
    await page.route('**/booking-landing**', async (route) => {
      await bookingGate;
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Booking</title><h1>Booking</h1>' });
    });
    await page.goto(`${base}/queue/walk`);
    await waitState(page, 'waiting');
    const aheadBefore = Number((await page.textContent('#ahead')).replace(/\D/g, ''));
    await admin('PATCH', '/api/admin/rooms/walk', { mode: 'open', ratePerSecond: 2 });
    const seenAhead = new Set([aheadBefore]);
    const watch = setInterval(() => {
      page.textContent('#ahead').then((t) => { const n = Number((t || '').replace(/\D/g, '')); if (!Number.isNaN(n)) { seenAhead.add(n); } }).catch(() => {});
    }, 100);
    await waitState(page, 'admitted', 30000);
    clearInterval(watch);
    result.states.walk = await page.evaluate(() => window.__states.slice());
    await shot(page, 'admitted-en');
    result.aheadSeen = [...seenAhead].sort((a, b) => b - a);
    releaseBooking();
    await page.waitForURL(/\/booking-landing\/1$/, { timeout: 15000 });
    result.finalUrl = page.url();
    result.passCookie = (await context.cookies()).find((c) => c.name === 'wr_pass_walk') || null;
    await context.close();
  }

  result.ok = true;
} catch (error) {
  result.ok = false;
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
}

console.log(JSON.stringify(result));
