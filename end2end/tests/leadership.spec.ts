import { test, expect, Page, Browser } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

async function signIn(browser: Browser, user: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill(user);
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByTestId('pengguna')).toBeVisible();
  return page;
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const marker = (page: Page) => page.evaluate(() => ((window as any).__tanpaMuatUlang = true));
const stillSamePage = (page: Page) => page.evaluate(() => (window as any).__tanpaMuatUlang === true);

/** The SPBE 2025 cycle's id, from the cycle list. */
async function spbeCycle(page: Page): Promise<string> {
  await page.goto('/siklus');
  const href = await page.getByRole('link', { name: 'SPBE 2025' }).first().getAttribute('href');
  return href!.split('/')[2];
}

async function claim(page: Page, cycle: string, indicator: string, level: string, why: string) {
  await page.goto(`/siklus/${cycle}/indikator/${indicator}`);
  await page.getByTestId('level').selectOption(level);
  await page.getByTestId('penjelasan').fill(why);
  await page.getByTestId('simpan-klaim').click();
  await expect(page.getByTestId('hasil-klaim')).toContainText('Klaim tersimpan');
}

test('a claim by an OPD member and its verification move the gauge and the heat-map in the mayor’s browser', async ({ browser }) => {
  const mayor = await signIn(browser, 'pimpinan');
  await mayor.getByRole('navigation').getByRole('link', { name: 'Pimpinan' }).click();
  await expect(mayor.getByTestId('indeks')).toHaveText('4,38');
  await expect(mayor.locator('#p-grafik-indeks canvas')).toHaveCount(1);
  await expect(mayor.getByTestId('status-diverifikasi')).toHaveText('30');
  await expect(mayor.getByTestId('p-tenggat')).toContainText('14');
  await expect(mayor.getByTestId('p-langkah-daftar').getByRole('listitem')).toHaveCount(5);
  // The mayor opens an aspect's indicator list; live re-reads keep it open.
  await mayor.locator('details[data-aspek="A8"] summary').click();
  await expect(mayor.locator('details[data-aspek="A8"]')).toHaveAttribute('open', '');
  await marker(mayor);

  const opd = await signIn(browser, 'opd');
  const cycle = await spbeCycle(opd);
  // Indicator 45 (Dinkes) from 4 to 5: the index rises.
  await opd.goto(`/siklus/${cycle}/indikator/45`);
  await opd.getByTestId('level').selectOption('5');
  await opd.getByTestId('penjelasan').fill('Telemedisin berjalan di semua puskesmas.');
  const sent = Date.now();
  await opd.getByTestId('simpan-klaim').click();
  await expect(mayor.getByTestId('indeks')).not.toHaveText('4,38', { timeout: 5_000 });
  console.log(`the mayor's gauge moved ${Date.now() - sent} ms after the claim was sent`);
  await expect(mayor.locator('details[data-aspek="A8"]')).toHaveAttribute('open', '');
  await expect(opd.getByTestId('hasil-klaim')).toContainText('Klaim tersimpan');
  const raised = await mayor.getByTestId('indeks').textContent();
  expect(raised).toMatch(/^4,(39|4\d)$/);
  // The asesor accepts it: the map's cell for 45 turns verified.
  const asesor = await signIn(browser, 'asesor');
  await asesor.goto(`/siklus/${cycle}/indikator/45`);
  await asesor.getByTestId('terima').click();
  await expect(asesor.getByTestId('status')).toHaveText('Terverifikasi');
  await expect(mayor.getByTestId('status-diverifikasi')).toHaveText('31', { timeout: 5_000 });
  await expect(mayor.getByRole('link', { name: 'Indikator 45 · Diverifikasi · pengampu' })).toBeVisible();
  // The member claims again (back to 4): the cell is "submitted" again and the gauge returns,
  // still without a reload.
  await claim(opd, cycle, '45', '4', 'Integrasi SATUSEHAT belum penuh.');
  await expect(mayor.getByTestId('status-diverifikasi')).toHaveText('30', { timeout: 5_000 });
  await expect(mayor.getByRole('link', { name: 'Indikator 45 · Diajukan · pengampu' })).toBeVisible();
  await expect(mayor.getByTestId('indeks')).toHaveText('4,38');
  expect(await stillSamePage(mayor)).toBe(true);
  await mayor.screenshot({ path: 'test-results/pimpinan.png', fullPage: true });

  // Drill down: the indicator's cell opens its page.
  await mayor.getByRole('link', { name: 'Indikator 45 · Diajukan · pengampu' }).click();
  await expect(mayor).toHaveURL(new RegExp(`/siklus/${cycle}/indikator/45$`));
  for (const p of [mayor, opd, asesor]) await p.context().close();
});

test('a kiosk link shows the war room without sign-in, rotates, and stops when revoked', async ({ browser }) => {
  const koord = await signIn(browser, 'koordinator');
  await koord.goto('/pimpinan');
  await expect(koord.getByTestId('indeks')).toHaveText('4,38');
  await koord.getByLabel('Nama layar').fill('Ruang rapat wali kota');
  await koord.getByRole('button', { name: 'Buat tautan kios' }).click();
  const link = koord.getByTestId('kios-tautan');
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href'))!;
  expect(href).toMatch(/^\/kios\/[0-9a-f]{48}$/);
  await expect(koord.getByTestId('kios-daftar')).toContainText('Ruang rapat wali kota');

  // A wall screen: a fresh browser, nobody signed in.
  const screen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await screen.goto(href);
  await expect(screen.getByRole('heading', { level: 1 })).toContainText('Pemerintah Kota Mojokerto');
  await expect(screen.getByTestId('indeks')).toHaveText('4,38');
  await expect(screen.getByTestId('pengguna')).toHaveCount(0);
  await expect(screen.locator('#p-grafik-indeks canvas')).toHaveCount(1);
  expect(await seriousViolations(screen)).toEqual([]);
  await screen.screenshot({ path: 'test-results/kios.png' });
  // One panel at a time; the next one on request (and every 12 s by itself).
  await expect(screen.locator('#p-aspek')).toBeHidden();
  await screen.getByRole('button', { name: 'Panel berikutnya' }).click();
  await expect(screen.locator('#p-aspek')).toBeVisible();
  await expect(screen.locator('#p-grafik-aspek canvas')).toHaveCount(1);
  await marker(screen);

  // Revoked: the screen says so without a reload, and the address stops working.
  const row = koord.getByTestId('kios-daftar').getByRole('row').filter({ hasText: 'Ruang rapat wali kota' });
  await row.getByRole('button', { name: /Cabut/ }).click();
  await expect(row).toContainText('Dicabut');
  await expect(screen.getByTestId('kios-galat')).toBeVisible({ timeout: 5_000 });
  expect(await stillSamePage(screen)).toBe(true);
  await screen.reload();
  await expect(screen.getByTestId('kios-galat')).toContainText('Tautan kios tidak ditemukan');
  await screen.context().close();
  await koord.context().close();
});

test('the head of an OPD signs the joint commitment and the leadership count rises', async ({ browser }) => {
  const mayor = await signIn(browser, 'pimpinan');
  await mayor.goto('/pimpinan');
  await expect(mayor.getByTestId('p-komitmen')).toContainText('1 dari 26');
  await marker(mayor);

  const head = await signIn(browser, 'kadinkes');
  const cycle = await spbeCycle(head);
  await head.goto(`/komitmen/${cycle}`);
  await expect(head.getByTestId('komitmen-jumlah')).toContainText('1 dari 26');
  await expect(head.getByTestId('komitmen-isi')).toContainText('tanpa ego sektoral');
  expect(await seriousViolations(head)).toEqual([]);
  await head.getByRole('button', { name: 'Tandatangani untuk Dinas Kesehatan' }).click();
  await expect(head.getByTestId('komitmen-jumlah')).toContainText('2 dari 26');
  await expect(head.getByTestId('komitmen-tabel').getByRole('row').filter({ hasText: 'DINKES' }))
    .toContainText('Kepala Dinas Kesehatan');
  // Only the heads sign: there is no other button for this head.
  await expect(head.getByRole('button', { name: /Tandatangani untuk/ })).toHaveCount(0);
  await expect(mayor.getByTestId('p-komitmen')).toContainText('2 dari 26', { timeout: 5_000 });
  expect(await stillSamePage(mayor)).toBe(true);

  // The printable list of signatories, as the browser prints it.
  await head.emulateMedia({ media: 'print' });
  await head.screenshot({ path: 'test-results/komitmen-cetak.png', fullPage: true });
  await mayor.context().close();
  await head.context().close();
});

test('the A4 report prints with header, summary, charts, table and signature block', async ({ browser }) => {
  const koord = await signIn(browser, 'koordinator');
  const cycle = await spbeCycle(koord);
  await koord.goto(`/laporan/${cycle}`);
  await expect(koord.getByTestId('r-indeks')).toHaveText('4,38');
  await expect(koord.getByTestId('r-indikator').locator('tbody tr')).toHaveCount(47);
  await expect(koord.locator('#r-grafik-aspek canvas')).toHaveCount(1);
  expect(await seriousViolations(koord)).toEqual([]);
  await koord.waitForTimeout(800);
  await koord.emulateMedia({ media: 'print' });
  await koord.setViewportSize({ width: 794, height: 1123 });
  await koord.screenshot({ path: 'test-results/laporan-cetak.png', fullPage: true });
  await koord.pdf({ path: 'test-results/laporan.pdf', format: 'A4', printBackground: true });
  // The XLSX download is a real file.
  const [download] = await Promise.all([
    koord.waitForEvent('download'),
    koord.emulateMedia({ media: 'screen' }).then(() => koord.getByRole('link', { name: 'Unduh XLSX' }).click()),
  ]);
  expect(download.suggestedFilename()).toBe('sinergi-spbe-2025.xlsx');
  await koord.context().close();
});

test('English is selectable per user; numbers and dates follow it', async ({ browser }) => {
  const viewer = await signIn(browser, 'viewer');
  await viewer.goto('/pimpinan');
  await viewer.getByRole('button', { name: 'English' }).click();
  await expect(viewer.getByRole('heading', { level: 1 })).toContainText('Leadership war room');
  await expect(viewer.getByTestId('indeks')).toHaveText('4.38');
  await expect(viewer.locator('html')).toHaveAttribute('lang', 'en');
  await expect(viewer.getByTestId('diperbarui')).toContainText(/Updated live · \d+ [A-Z][a-z]+ 20\d\d \d\d:\d\d WIB/);
  // Every page speaks it, not only the war room.
  await viewer.goto('/siklus');
  await expect(viewer.getByRole('heading', { level: 1 })).toHaveText('Evaluation cycles');
  await viewer.goto('/papan');
  await expect(viewer.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Boards' })).toBeVisible();
  await viewer.goto('/bukti');
  await expect(viewer.getByRole('heading', { level: 1 })).toHaveText('Evidence');
  await expect(viewer.getByRole('heading', { level: 2, name: /Evidence library/ })).toBeVisible();
  // The choice is the user's: a new sign-in keeps it.
  const again = await signIn(browser, 'viewer');
  await again.goto('/pimpinan');
  await expect(again.getByRole('heading', { level: 1 })).toContainText('Leadership war room');
  await again.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  await expect(again.getByRole('heading', { level: 1 })).toContainText('Ruang pimpinan');
  await expect(again.getByTestId('indeks')).toHaveText('4,38');
  await viewer.context().close();
  await again.context().close();
});

test('every page passes axe and fits a 390-px phone', async ({ browser }) => {
  const page = await signIn(browser, 'koordinator', 390);
  const cycle = await spbeCycle(page);
  const pages = [
    '/dasbor', '/pimpinan', '/siklus', `/siklus/${cycle}`, `/siklus/${cycle}/matriks`,
    `/siklus/${cycle}/indikator/45`, `/siklus/${cycle}/kalibrasi`, '/bukti', '/padanan', '/papan',
    '/papan/1', '/papan/1/kolaborasi', '/saya', `/komitmen/${cycle}`, `/laporan/${cycle}`, '/admin',
    '/token', '/dokumentasi-api', '/keluar', '/tidak-ada',
  ];
  const problems: string[] = [];
  for (const path of pages) {
    await page.goto(path);
    // Hydrated and drawn (the live feed keeps a request open, so no "network idle" here).
    await page.waitForTimeout(800);
    for (const v of await seriousViolations(page)) problems.push(`${path} ${v}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) problems.push(`${path} scrolls sideways by ${overflow}px`);
  }
  await page.goto('/pimpinan');
  await page.screenshot({ path: 'test-results/pimpinan-390.png', fullPage: true });
  expect(problems).toEqual([]);
  await page.context().close();
});
