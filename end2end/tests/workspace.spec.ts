import { test, expect, Page, Browser } from '@playwright/test';

async function signIn(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill(user);
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByTestId('indeks')).toBeVisible();
  return page;
}

async function openCycle(page: Page, name: string) {
  await page.getByRole('navigation').getByRole('link', { name: 'Siklus' }).click();
  await page.getByRole('link', { name }).click();
  await expect(page.getByTestId('simulasi-indeks')).toBeVisible();
}

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n1 0 obj << >> endobj\n%%EOF\n`);

test('what-if recomputes in the browser, resets, and the cheapest path reaches a chosen index', async ({ browser }) => {
  const page = await signIn(browser, 'koordinator');
  await openCycle(page, 'SPBE 2025');
  const figure = page.getByTestId('simulasi-indeks');
  await expect(figure).toHaveText('4,38');
  // Indicator 32 (2,75 %) from 5 to 1: 4,3805 − 0,11 = 4,2705.
  await page.locator('#sim-32').selectOption('1');
  await expect(figure).toHaveText('4,27');
  await expect(page.getByTestId('simulasi-diubah')).toHaveText('1 indikator diubah');
  await page.getByTestId('reset').click();
  await expect(figure).toHaveText('4,38');
  await expect(page.getByTestId('simulasi-diubah')).toHaveText('0 indikator diubah');
  await expect(page.getByTestId('simulasi-domain')).toContainText('Layanan SPBE');
  // Already Memuaskan: the next predicate does not exist; aim at 4,50 instead.
  await expect(page.getByTestId('langkah-ringkas')).toContainText('Predikat tertinggi');
  await page.locator('#target-jenis').selectOption('indeks');
  await page.locator('#target-indeks').fill('4,50');
  // 1 145 weight units are missing: the three A8 indicators at 4 (3 % each) and one 2,75 %.
  await expect(page.getByTestId('langkah-ringkas')).toContainText('4 kenaikan level mencapai indeks 4,50');
  await expect(page.getByTestId('langkah-daftar').locator('li')).toHaveCount(4);
  await expect(page.getByTestId('langkah-daftar')).toContainText('+0,03');
  await page.getByTestId('terapkan').click();
  await expect(figure).toHaveText('4,50');
  await expect(page.getByTestId('simulasi-diubah')).toHaveText('4 indikator diubah');
  await page.screenshot({ path: 'target/e2e-simulasi.png', fullPage: false });
  await page.context().close();
});

test('evidence, a claim, a revision, acceptance: the Verifikasi stage moves, live in both browsers', async ({ browser }) => {
  const opd = await signIn(browser, 'opd');
  // The Dinas Kesehatan member uploads the evidence to the library.
  await opd.getByRole('navigation').getByRole('link', { name: 'Data dukung' }).click();
  await opd.locator('#berkas').setInputFiles({ name: 'sop-telemedisin.pdf', mimeType: 'application/pdf', buffer: pdf('SOP') });
  await opd.locator('#unggah-judul').fill('SOP Telemedisin Puskesmas');
  await opd.locator('#unggah-jenis').selectOption('sop');
  await opd.getByRole('button', { name: 'Unggah', exact: true }).click();
  await expect(opd.getByTestId('pesan')).toContainText('tersimpan sebagai versi 1');
  await expect(opd.getByTestId('pustaka')).toContainText('SOP Telemedisin Puskesmas');
  // A file that is not what its name says is refused, by name.
  await opd.locator('#berkas').setInputFiles({ name: 'palsu.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a pdf') });
  await opd.locator('#unggah-judul').fill('Palsu');
  await opd.getByRole('button', { name: 'Unggah', exact: true }).click();
  await expect(opd.getByTestId('galat')).toContainText('tidak sesuai');
  // Too large: named in the browser before anything is sent, and the form does not submit.
  await opd.locator('#berkas').setInputFiles({ name: 'besar.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(21 * 1024 * 1024, 32) });
  await expect(opd.getByTestId('terlalu-besar')).toContainText('maksimal 20,0 MB');
  await opd.getByRole('button', { name: 'Unggah', exact: true }).click();
  await expect(opd.getByTestId('galat')).toContainText('tidak sesuai');

  await openCycle(opd, 'SPBE 2025');
  await opd.getByRole('link', { name: '45', exact: true }).click();
  await expect(opd.getByTestId('status')).toHaveText('Menunggu verifikasi');
  await opd.getByTestId('level').selectOption('5');
  await opd.getByTestId('penjelasan').fill('Telemedisin berjalan di semua puskesmas.');
  await opd.getByLabel(/SOP Telemedisin Puskesmas/).check();
  await opd.getByTestId('simpan-klaim').click();
  await expect(opd.getByTestId('hasil-klaim')).toContainText('Klaim tersimpan');
  await expect(opd.getByTestId('tahap-mandiri')).toContainText('5');

  // The asesor asks for a revision.
  const asesor = await signIn(browser, 'asesor');
  await asesor.goto(opd.url());
  await expect(asesor.getByTestId('panel-verifikasi')).toContainText('Klaim level 5');
  await expect(asesor.getByTestId('riwayat-indikator')).toContainText('SOP Telemedisin Puskesmas');
  await asesor.getByTestId('alasan').fill('Integrasi dengan SATUSEHAT belum dibuktikan.');
  await asesor.getByTestId('minta-revisi').click();
  await expect(asesor.getByTestId('status')).toHaveText('Perlu revisi');
  // The member's page follows without a reload.
  await expect(opd.getByTestId('status')).toHaveText('Perlu revisi', { timeout: 5_000 });
  await expect(opd.getByTestId('riwayat-indikator')).toContainText('Integrasi dengan SATUSEHAT');

  // The member revises to level 4; the asesor accepts.
  await opd.getByTestId('level').selectOption('4');
  await opd.getByTestId('penjelasan').fill('Level 4: integrasi dijadwalkan 2026.');
  await opd.getByTestId('simpan-klaim').click();
  await expect(opd.getByTestId('status')).toHaveText('Menunggu verifikasi');
  await expect(asesor.getByTestId('panel-verifikasi')).toContainText('Klaim level 4', { timeout: 5_000 });
  await asesor.getByTestId('terima').click();
  await expect(asesor.getByTestId('status')).toHaveText('Terverifikasi');
  await expect(asesor.getByTestId('tahap-verifikasi')).toContainText('4');
  await expect(opd.getByTestId('status')).toHaveText('Terverifikasi', { timeout: 5_000 });
  await opd.screenshot({ path: 'target/e2e-indikator.png', fullPage: true });

  // The dashboard: Verifikasi now has 31 of 47 indicators.
  await asesor.getByRole('navigation').getByRole('link', { name: 'Dasbor' }).click();
  await expect(asesor.getByTestId('tahap')).toContainText('31/47');
  await asesor.context().close();
  await opd.context().close();
});

test('a viewer sees the indicator but cannot claim or verify', async ({ browser }) => {
  const viewer = await signIn(browser, 'viewer');
  await openCycle(viewer, 'SPBE 2025');
  await viewer.getByRole('link', { name: '45', exact: true }).click();
  await expect(viewer.getByTestId('tahap-indikator')).toBeVisible();
  await expect(viewer.getByTestId('panel-klaim')).toHaveCount(0);
  await expect(viewer.getByTestId('panel-verifikasi')).toHaveCount(0);
  await viewer.context().close();
});

test('criteria: a checked criterion with accepted evidence supports the level', async ({ browser }) => {
  const opd = await signIn(browser, 'opd');
  await openCycle(opd, 'SPBE 2025');
  await opd.getByRole('link', { name: '45', exact: true }).click();
  const panel = opd.getByTestId('panel-kriteria');
  await expect(panel.getByTestId('level-didukung')).toContainText('level yang didukung kriteria: 0');
  const first = panel.getByTestId('kriteria').first();
  await first.getByRole('combobox').selectOption({ label: 'SOP Telemedisin Puskesmas' });
  await first.getByTestId('centang').click();
  await expect(panel.getByTestId('kriteria').first()).toContainText('Menunggu asesor');

  const asesor = await signIn(browser, 'asesor');
  await asesor.goto(opd.url());
  await asesor.getByTestId('panel-kriteria').getByTestId('terima-kriteria').first().click();
  await expect(asesor.getByTestId('level-didukung')).toContainText('level yang didukung kriteria: 1');
  await expect(opd.getByTestId('level-didukung')).toContainText('level yang didukung kriteria: 1', { timeout: 5_000 });
  await asesor.context().close();
  await opd.context().close();
});

test('the koordinator freezes a stage and compares it with the live ledger', async ({ browser }) => {
  const page = await signIn(browser, 'koordinator');
  await openCycle(page, 'SPBE 2025');
  await page.locator('#kirim-tahap').selectOption('verifikasi');
  await page.locator('#kirim-catatan').fill('Bahan wawancara');
  await page.getByTestId('kirim-tahap').click();
  await expect(page.getByTestId('daftar-beku')).toContainText('Verifikasi Internal · 31 indikator');
  await page.getByTestId('daftar-beku').getByRole('link').first().click();
  await expect(page.getByTestId('jumlah-berubah')).toHaveText('0 indikator berubah sejak dibekukan.');
  await page.context().close();
});
