// browser.mjs — the dashboard in headless Chromium: log in, see the home page with data, open a
// station, export a table, the air page's calendar and ranking, the public page without login,
// the language switch.  Screenshots go to $OUT.  Prints "N passed, N failed".
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// playwright-core is installed in web/node_modules (web/package.json), not next to this file
const { chromium } = createRequire(join(process.env.WEB_DIR, 'package.json'))('playwright-core');

const { BASE, OUT, CHROMIUM, PROFILE } = process.env;
let passed = 0, failed = 0;
async function step(name, fn) {
  try { await fn(); passed++; console.log('ok   ' + name); }
  catch (e) { failed++; console.log('FAIL ' + name + ': ' + (e && e.stack || e)); }
}
function check(cond, msg) { if (!cond) throw new Error(msg); }

const ctx = await chromium.launchPersistentContext(PROFILE, {
  executablePath: CHROMIUM, headless: true, acceptDownloads: true,
  viewport: { width: 1440, height: 1000 }, locale: 'zh-CN',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = ctx.pages()[0] || await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(String(e)));
// the 401s of the login flow (not logged in yet, a wrong password) are expected
page.on('console', (m) => { if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text()); });
// every request stays on our server
page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) errors.push('external request ' + r.url()); });

await step('unauthenticated dashboard goes to the login page', async () => {
  await page.goto(BASE + '/');
  await page.waitForURL(/\/login$/, { timeout: 10000 });
});

await step('wrong password is refused', async () => {
  await page.fill('#username', 'airstaff');
  await page.fill('#password', 'not-the-password');
  await page.click('#login-submit');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
});

await step('log in and see the home page with data', async () => {
  await page.fill('#username', 'airstaff');
  await page.fill('#password', 'staffpassword1');
  await page.click('#login-submit');
  await page.waitForURL(/#\/home$/, { timeout: 10000 });
  await page.waitForSelector('#home-aqi');
  const aqi = (await page.textContent('#home-aqi')).trim();
  check(/^\d+$/.test(aqi), 'AQI shown: ' + aqi);
  await page.waitForSelector('#stations-now tbody tr');
  const rows = await page.$$eval('#stations-now tbody tr', (r) => r.length);
  check(rows >= 3, 'stations rows ' + rows);
  await page.waitForFunction(() => document.querySelector('#home-map canvas') && document.querySelector('#home-30d canvas'));
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, 'home.png'), fullPage: true });
});

await step('open a station', async () => {
  await page.click('#stations-now tbody tr:first-child');
  await page.waitForSelector('#station-hours tbody tr', { timeout: 10000 });
  const title = await page.textContent('#station-title');
  check(/\(\w+\)/.test(title), 'station title ' + title);
  const n = await page.$$eval('#station-hours tbody tr', (r) => r.length);
  check(n >= 24, 'station hours ' + n);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'station.png') });
  await page.click('#drawer button');
});

await step('export a table (CSV and Excel)', async () => {
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#stations-now-csv')]);
  const p = join(OUT, 'export.csv');
  await csv.saveAs(p);
  const text = readFileSync(p, 'utf8');
  check(text.includes('station,time,aqi'), 'csv header: ' + text.slice(0, 80));
  check(text.includes('1604A'), 'csv has Panjin stations');
  const [x] = await Promise.all([page.waitForEvent('download'), page.click('#stations-now-xlsx')]);
  const px = join(OUT, 'export.xlsx');
  await x.saveAs(px);
  check(readFileSync(px).subarray(0, 2).toString() === 'PK', 'xlsx is a zip');
});

await step('air page: calendar, annual indicators, ranking', async () => {
  await page.goto(BASE + '/#/air');
  await page.waitForSelector('#air-rank tbody tr', { timeout: 15000 });
  const n = await page.$$eval('#air-rank tbody tr', (r) => r.length);
  check(n === 14, 'ranking rows ' + n);
  await page.waitForSelector('#air-annual tbody tr');
  await page.waitForFunction(() => document.querySelector('#air-calendar canvas'));
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(OUT, 'air.png'), fullPage: true });
});

await step('placeholders say the API is coming (no fake data)', async () => {
  await page.goto(BASE + '/#/water');
  await page.waitForSelector('#panel-water .placeholder');
});

await step('English switch', async () => {
  await page.goto(BASE + '/#/home');
  await page.waitForSelector('#lang-switch');
  await page.click('#lang-switch');
  await page.waitForSelector('#home-aqi');
  const nav = await page.textContent('#nav a[href="#/air"]');
  check(nav.trim() === 'Air', 'nav in English: ' + nav);
  await page.click('#lang-switch');
  await page.waitForSelector('#home-aqi');
});

await step('public disclosure page without login', async () => {
  const pub = await ctx.newPage();
  await ctx.clearCookies();
  await pub.goto(BASE + '/public');
  await pub.waitForSelector('#public-aqi .aqi-big');
  const aqi = (await pub.textContent('#public-aqi .aqi-big')).trim();
  check(/^\d+$/.test(aqi), 'public AQI ' + aqi);
  await pub.waitForFunction(() => document.querySelector('#public-daily canvas'));
  await pub.waitForTimeout(500);
  await pub.screenshot({ path: join(OUT, 'public.png'), fullPage: true });
  await pub.close();
});

await step('no script errors, no request leaves the server', async () => {
  check(errors.length === 0, errors.join('\n'));
});

await ctx.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
