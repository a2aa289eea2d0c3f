// What a browser downloads, and how long a first visit takes on a slow link (issue 7).
//
// 1. Client payload: the app's wasm and JS, its CSS and the chart library, raw / gzip -9 /
//    brotli q11 (Node's zlib), and what the server actually sends (its precompressed copies).
// 2. First load of the mayor's dashboard in headless Debian chromium on an emulated link of
//    1.6 Mbit/s with 150 ms round trips, a cold cache each time: time to the server-rendered
//    figures and time to interactive (hydrated: the charts, drawn only after hydration, are on
//    the canvas), each against the link's own limit for the bytes it carried.
//
// Run: `make bench-client` (builds the release site, starts the server, runs this).
// Or: `node bench/client.mjs http://127.0.0.1:3108` against a running release server.
// Not a pass/fail test: it prints figures and ratios measured in this one run.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';

const base = process.argv[2] || 'http://127.0.0.1:3108';
const site = 'target/site';
const RUNS = Number(process.env.BENCH_RUNS || 3);
const KBIT = 1600;
const RTT = 150;
const BYTES_PER_MS = (KBIT * 1000) / 8 / 1000;

const kib = (n) => `${(n / 1024).toFixed(1).padStart(8)} KiB`;

function payload() {
  const files = [
    ['app wasm', 'pkg/sinergi.wasm'],
    ['app JS (wasm-bindgen glue)', 'pkg/sinergi.js'],
    ['stylesheet', 'pkg/sinergi.css'],
    ['chart library (ECharts)', 'echarts.min.js'],
  ];
  console.log('Client payload (target/site, release build)');
  console.log(`${'file'.padEnd(30)} ${'raw'.padStart(12)} ${'gzip -9'.padStart(12)} ${'brotli 11'.padStart(12)} ${'served br'.padStart(12)}`);
  const total = [0, 0, 0, 0];
  for (const [label, rel] of files) {
    let file = path.join(site, rel);
    if (!fs.existsSync(file) && rel.endsWith('sinergi.wasm')) file = path.join(site, 'pkg/sinergi_bg.wasm');
    if (!fs.existsSync(file)) {
      console.log(`${label.padEnd(30)} (missing: ${file}; build the release site first)`);
      continue;
    }
    const raw = fs.readFileSync(file);
    const gz = zlib.gzipSync(raw, { level: 9 }).length;
    const br = zlib.brotliCompressSync(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length;
    const served = fs.existsSync(`${file}.br`) ? fs.statSync(`${file}.br`).size : raw.length;
    total[0] += raw.length; total[1] += gz; total[2] += br; total[3] += served;
    console.log(`${label.padEnd(30)} ${kib(raw.length)} ${kib(gz)} ${kib(br)} ${kib(served)}`);
  }
  console.log(`${'total'.padEnd(30)} ${kib(total[0])} ${kib(total[1])} ${kib(total[2])} ${kib(total[3])}`);
  console.log(`ratio brotli / raw ${(total[2] / total[0]).toFixed(3)}; served / raw ${(total[3] / total[0]).toFixed(3)}; ` +
    `the served bytes take ${(total[3] / BYTES_PER_MS / 1000).toFixed(1)} s at ${KBIT / 1000} Mbit/s`);
}

async function signInCookie(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/masuk`);
  await page.getByLabel('Nama pengguna').fill('pimpinan');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(/\/dasbor/);
  const cookies = await context.cookies();
  await context.close();
  return cookies;
}

async function firstLoad(browser, cookies) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT,
    downloadThroughput: (KBIT * 1000) / 8,
    uploadThroughput: (KBIT * 1000) / 8,
  });
  const start = Date.now();
  await page.goto(`${base}/dasbor`, { waitUntil: 'commit' });
  await page.getByTestId('indeks').waitFor({ state: 'visible', timeout: 120_000 });
  const content = Date.now() - start;
  // Charts are drawn only after hydration: a canvas in the index chart means interactive.
  await page.locator('#grafik-indeks canvas').waitFor({ state: 'attached', timeout: 120_000 });
  const interactive = Date.now() - start;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const css = res.filter((r) => r.name.endsWith('.css')).reduce((s, r) => s + (r.transferSize || 0), 0);
    return {
      html: nav.transferSize,
      css,
      all: nav.transferSize + res.reduce((s, r) => s + (r.transferSize || 0), 0),
      fcp: fcp ? fcp.startTime : null,
    };
  });
  await context.close();
  return { content, interactive, ...timing };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  payload();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const cookies = await signInCookie(browser);
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await firstLoad(browser, cookies));
  await browser.close();
  const content = median(runs.map((r) => r.content));
  const interactive = median(runs.map((r) => r.interactive));
  const fcp = median(runs.map((r) => r.fcp ?? NaN));
  const html = median(runs.map((r) => r.html));
  const css = median(runs.map((r) => r.css));
  const all = median(runs.map((r) => r.all));
  // The link's limit. The emulation adds the round trip to every request: the page, then its
  // render-blocking stylesheet, before the first paint; the page, then everything it loads (the
  // wasm is preloaded beside the JS), sharing the link, before it is interactive.
  const paintLimit = 2 * RTT + (html + css) / BYTES_PER_MS;
  const interactiveLimit = 2 * RTT + all / BYTES_PER_MS;
  console.log(`\nFirst load of /dasbor, ${KBIT / 1000} Mbit/s, ${RTT} ms RTT, cold cache, median of ${RUNS}`);
  console.log(`server-rendered figures in the page ${String(content).padStart(6)} ms`);
  console.log(`painted (first contentful paint)   ${String(Math.round(fcp)).padStart(6)} ms; ` +
    `link limit for ${kib(html).trim()} of HTML + ${kib(css).trim()} of CSS ${paintLimit.toFixed(0)} ms; ratio ${(fcp / paintLimit).toFixed(2)}x`);
  console.log(`interactive (hydrated, chart drawn) ${String(interactive).padStart(6)} ms; ` +
    `link limit for ${kib(all).trim()} transferred ${interactiveLimit.toFixed(0)} ms; ratio ${(interactive / interactiveLimit).toFixed(2)}x`);
  console.log(`runs: ${runs.map((r) => `${r.content}/${r.interactive} ms`).join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
