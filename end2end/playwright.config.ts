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

// The workspace journeys run a second time against a server on PostgreSQL when one is
// reachable (`make e2e` sets E2E_POSTGRES_URL to a database it may drop and create).
const pgAdmin = process.env.E2E_POSTGRES_URL || '';
const pgPort = process.env.E2E_PG_PORT || '3006';
const pgURL = `http://127.0.0.1:${pgPort}`;
const pgDatabase = 'sinergi_e2e';
// A second instance on the same PostgreSQL database (issue 6): it starts once the first is up
// (which created and seeded the database), shares nothing else, and serves the two-instance
// journey.
const pg2Port = process.env.E2E_PG2_PORT || '3007';
const pg2URL = `http://127.0.0.1:${pg2Port}`;
const pgServer = pgAdmin
  ? [{
      command: `PGOPTIONS='--client-min-messages=warning' psql "${pgAdmin}" -qc 'DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)' -c 'CREATE DATABASE ${pgDatabase}'` +
        ` && rm -rf target/e2e-data-pg && DATABASE_URL="${pgAdmin.replace(/\/[^/]*$/, '/' + pgDatabase)}"` +
        ` ./target/debug/sinergi --data-dir target/e2e-data-pg serve --addr 127.0.0.1:${pgPort}`,
      cwd: path.resolve(__dirname, '..'),
      url: `${pgURL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    }, {
      command: `until curl -sf ${pgURL}/healthz >/dev/null; do sleep 0.5; done` +
        ` && rm -rf target/e2e-data-pg2 && DATABASE_URL="${pgAdmin.replace(/\/[^/]*$/, '/' + pgDatabase)}"` +
        ` ./target/debug/sinergi --data-dir target/e2e-data-pg2 serve --no-seed --addr 127.0.0.1:${pg2Port}`,
      cwd: path.resolve(__dirname, '..'),
      url: `${pg2URL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    }]
  : [];

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
    { name: 'hydrated', use: { javaScriptEnabled: true }, testIgnore: /nojs|instances/, dependencies: ['tanpa-js'] },
    ...(pgAdmin
      ? [{ name: 'postgres', use: { baseURL: pgURL, javaScriptEnabled: true }, testMatch: /workspace|boards|instances/ }]
      : []),
  ],
  // The real binary on a fresh SQLite database, from the repository root (site in target/site).
  webServer: [{
    command: `rm -rf target/e2e-data && ./target/debug/sinergi --data-dir target/e2e-data serve --addr 127.0.0.1:${port}`,
    cwd: path.resolve(__dirname, '..'),
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  }, ...pgServer],
});
