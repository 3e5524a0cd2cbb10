// Measures the queue page's proof-of-work solver (pow-worker.js) in a phone-like chromium: a 390 px wide mobile
// context whose CPU is slowed 4x through CDP (Emulation.setCPUThrottlingRate). Chromium throttles pages only, not
// workers ("Operation is only supported for pages, not workers"), so the solver's own code is loaded as a plain
// script and run on the throttled page thread: the same code at the speed a phone's core gives it. Serves the file
// itself (no WaitingRoom needed), solves SOLVES random challenges shaped like real ones at each difficulty in
// DIFFICULTIES, and prints one JSON line: hashes per second and the median solve time per difficulty.
// On a shared, busy machine wall-clock rates fall with the load, so the same solver code is also timed in node against
// this process's own CPU time (process.cpuUsage): that rate ÷ THROTTLE is the load-independent phone estimate, and
// "suggested" is the difficulty whose median solve (ln 2 × 2^d hashes) at that rate is nearest 1 s.
// Env: CHROMIUM (default /usr/bin/chromium), THROTTLE (default 4), SOLVES (default 9), DIFFICULTIES (default "14,15,16,17,18").
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const workerSource = readFileSync(join(here, '../../../src/WaitingRoom/wwwroot/queue/assets/pow-worker.js'));
const throttle = Number(process.env.THROTTLE || 4);
const solves = Number(process.env.SOLVES || 9);
const difficulties = (process.env.DIFFICULTIES || '14,15,16,17,18').split(',').map(Number);

const server = createServer((req, res) => {
  if (req.url === '/pow-worker.js') { res.writeHead(200, { 'Content-Type': 'text/javascript' }); res.end(workerSource); return; }
  res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<!doctype html><title>pow</title><script src="/pow-worker.js"></script>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const result = { throttle, solves, viewport: 390, results: [] };

// The solver in node, per CPU second of this process.
{
  const solveInNode = new Function('self', workerSource.toString() + '; return solve;')({ postMessage() {} });
  const before = process.cpuUsage();
  let hashes = 0;
  for (let i = 0; i < 8; i++) {
    hashes += solveInNode(`pw1.demo.30.${Date.now()}.${randomBytes(16).toString('base64url')}.${randomBytes(16).toString('base64url')}`, 17, () => {}).hashes;
  }
  const used = process.cpuUsage(before);
  const perCpuSecond = hashes / ((used.user + used.system) / 1e6);
  const phone = perCpuSecond / throttle;
  let suggested = 1;
  for (let d = 1; d <= 30; d++) { if (Math.abs(Math.LN2 * 2 ** d / phone - 1) < Math.abs(Math.LN2 * 2 ** suggested / phone - 1)) { suggested = d; } }
  result.cpuTime = {
    hashesPerCpuSecond: Math.round(perCpuSecond),
    phoneHashesPerSecond: Math.round(phone),
    suggested,
    medianSecondsAt: Object.fromEntries(difficulties.map((d) => [d, Math.round(Math.LN2 * 2 ** d / phone * 100) / 100])),
  };
}
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await page.goto(base + '/');
  for (const difficulty of difficulties) {
    const times = [];
    let hashes = 0;
    let ms = 0;
    for (let i = 0; i < solves; i++) {
      const challenge = `pw1.demo.${difficulty}.${Date.now() + 300000}.${randomBytes(16).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
      const started = Date.now();
      const solved = await page.evaluate(([c, d]) => solve(c, d, () => {}), [challenge, difficulty]);
      times.push(Date.now() - started);
      hashes += solved.hashes;
      ms += solved.ms;
    }
    times.sort((a, b) => a - b);
    result.results.push({ difficulty, medianMs: times[Math.floor(times.length / 2)], timesMs: times, hashesPerSecond: Math.round(hashes / (ms / 1000)) });
  }
  result.ok = true;
} catch (error) {
  result.ok = false;
  result.error = String(error && error.stack || error);
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result));
