import { test, expect } from '@playwright/test';

// JavaScript off: sign-in is a plain form post and the dashboard is server-rendered HTML.
test('without JavaScript the index is readable from the server-rendered page', async ({ page }) => {
  await page.goto('/dasbor');
  await expect(page).toHaveURL(/\/masuk\?lanjut=/);
  await page.getByLabel('Nama pengguna').fill('viewer');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/dasbor$/);
  await expect(page.getByTestId('indeks')).toHaveText('4,38');
  await expect(page.getByTestId('predikat')).toHaveText('Memuaskan');
  await expect(page.getByTestId('domain')).toContainText('Layanan SPBE');
  await expect(page.getByTestId('tahap')).toContainText('30/47');
  await page.getByRole('button', { name: 'Keluar' }).click();
  await expect(page).toHaveURL(/\/masuk\?keluar=1/);
});

test('without JavaScript the cycle, an indicator and the evidence library are server-rendered', async ({ page }) => {
  await page.goto('/siklus');
  await page.getByLabel('Nama pengguna').fill('opd');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/siklus$/);
  await page.getByRole('link', { name: 'SPBE 2025' }).click();
  await expect(page.getByTestId('simulasi-indeks')).toHaveText('4,38');
  await expect(page.getByTestId('indikator-tabel')).toContainText('Layanan Publik Sektor 1');
  await page.getByRole('link', { name: '45', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Indikator 45');
  await expect(page.getByTestId('tahap-mandiri')).toContainText('4');
  await expect(page.getByTestId('panel-klaim')).toBeVisible();
  await page.goto('/bukti');
  await expect(page.getByTestId('form-unggah')).toBeVisible();
});

test('without JavaScript a board is read, filtered, and a card is added and moved by forms', async ({ page }) => {
  await page.goto('/papan');
  await page.getByLabel('Nama pengguna').fill('opd');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByTestId('daftar-papan').getByRole('listitem').filter({ hasText: 'SPBE 2025' })
    .getByRole('link', { name: 'Rencana Aksi' }).click();
  const board = page.getByTestId('papan');
  await expect(board).toContainText('Layanan kesehatan daring terintegrasi dengan Satu Sehat');
  await expect(board).toContainText('Audit keamanan aplikasi layanan publik');
  // Filter by an OPD through a plain GET form.
  await page.getByText('Saring kartu').click();
  await page.getByTestId('saring').getByLabel('OPD', { exact: true }).selectOption('RSUD');
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(board).toContainText('Layanan kesehatan daring');
  await expect(board).not.toContainText('Audit keamanan aplikasi');
  await page.getByRole('link', { name: 'Hapus saringan' }).click();
  // Add a card and move it one column right, all by form posts.
  const title = `Kartu tanpa JS ${Date.now()}`;
  await page.getByText('Tambah kartu').click();
  await page.getByTestId('judul-kartu-baru').fill(title);
  await page.getByRole('button', { name: 'Tambah', exact: true }).click();
  const usulan = page.locator('[data-testid="kolom"][data-kolom="Usulan"]');
  await expect(usulan).toContainText(title);
  await usulan.getByTestId('kartu').filter({ hasText: title }).getByTestId('kanan').click();
  await expect(page.locator('[data-testid="kolom"][data-kolom="Dikerjakan"]')).toContainText(title);
  // Swimlanes by lead OPD.
  await page.getByText('Saring kartu').click();
  await page.getByLabel('Lajur per OPD pemimpin').check();
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page.getByTestId('lajur').filter({ hasText: 'Dipimpin BAPPEDA' })).toContainText('Penyusunan Arsitektur');
  await expect(page.getByTestId('lajur').filter({ hasText: 'Dipimpin BAPPEDA' })).not.toContainText('Audit keamanan');
});

test('without JavaScript the war room, the commitment and the A4 report are server-rendered', async ({ page }) => {
  await page.goto('/pimpinan');
  await page.getByLabel('Nama pengguna').fill('pimpinan');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/pimpinan$/);
  await expect(page.getByTestId('indeks')).toHaveText('4,38');
  await expect(page.getByTestId('status-diverifikasi')).toHaveText('30');
  await expect(page.getByTestId('p-peta')).toContainText('DISKOMINFO');
  await expect(page.getByTestId('p-langkah-daftar').getByRole('listitem')).toHaveCount(5);
  await expect(page.getByTestId('p-komitmen')).toContainText('1 dari 26');
  // Drilling into an aspect needs no script: it is a <details>.
  await page.getByText('A8 Layanan Publik Berbasis Elektronik').click();
  await expect(page.locator('details.drill[open]').getByRole('link', { name: /^45 / })).toBeVisible();
  await page.getByRole('link', { name: 'Buka komitmen bersama' }).click();
  await expect(page.getByTestId('komitmen-jumlah')).toContainText('1 dari 26');
  await expect(page.getByTestId('komitmen-belum')).toContainText('DINKES');
  await page.goto('/pimpinan');
  await page.getByRole('link', { name: 'Laporan cetak (A4)' }).click();
  await expect(page.getByTestId('r-indeks')).toHaveText('4,38');
  await expect(page.getByTestId('r-indikator').locator('tbody tr')).toHaveCount(47);
});
