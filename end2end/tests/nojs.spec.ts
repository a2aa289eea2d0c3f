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
