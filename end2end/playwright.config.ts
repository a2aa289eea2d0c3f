import { defineConfig } from '@playwright/test';
import path from 'path';

// Debian's chromium: Playwright cannot download its own browsers here (nor on a locked-down
// government server), so every project launches /usr/bin/chromium with these flags.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

const port = process.env.E2E_PORT || '3005';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { baseURL, launchOptions: chromium, locale: 'id-ID' },
  projects: [
    // The JavaScript-free reading runs first, on the untouched demo data; the hydrated
    // journeys after it change the ledger (claims, verification).
    { name: 'tanpa-js', use: { javaScriptEnabled: false }, testMatch: /nojs/ },
    { name: 'hydrated', use: { javaScriptEnabled: true }, testIgnore: /nojs/, dependencies: ['tanpa-js'] },
  ],
  // The real binary on a fresh SQLite database, from the repository root (site in target/site).
  webServer: {
    command: `rm -rf target/e2e-data && ./target/debug/sinergi --data-dir target/e2e-data serve --addr 127.0.0.1:${port}`,
    cwd: path.resolve(__dirname, '..'),
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
