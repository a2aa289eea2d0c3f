import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

async function signIn(page: Page, username: string) {
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/dasbor/);
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('sign-in, dashboard and accounts pages have no serious accessibility violations', async ({ page }) => {
  await page.goto('/masuk');
  expect(await seriousViolations(page)).toEqual([]);
  await signIn(page, 'admin');
  await expect(page.locator('#grafik-indeks canvas')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Pengguna' }).click();
  await expect(page.getByTestId('pengguna-tabel').locator('tbody tr')).toHaveCount(7);
  expect(await seriousViolations(page)).toEqual([]);
  // Back to the dashboard by client-side navigation: the charts are drawn again.
  await page.getByRole('link', { name: 'Dasbor', exact: true }).click();
  await expect(page.getByTestId('indeks')).toHaveText('4,38');
  await expect(page.locator('#grafik-indeks canvas')).toHaveCount(1);
  await expect(page.locator('#grafik-riwayat canvas')).toHaveCount(1);
});

test('the dashboard fits a 390-px phone without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'pimpinan');
  await expect(page.getByTestId('indeks')).toHaveText('4,38');
  await expect(page.locator('#grafik-aspek canvas')).toHaveCount(1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: 'test-results/dasbor-390.png', fullPage: true });
});

test('a viewer cannot open the accounts page', async ({ page }) => {
  await signIn(page, 'viewer');
  await page.goto('/admin');
  await expect(page.getByRole('alert')).toContainText('tidak berwenang');
  await expect(page.getByTestId('pengguna-tabel')).toHaveCount(0);
});

test('charts follow the window when it is resized', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, 'koordinator');
  const width = () =>
    page.evaluate(() => (document.querySelector('#grafik-riwayat canvas') as HTMLCanvasElement | null)?.clientWidth ?? 0);
  await expect.poll(width).toBeGreaterThan(400);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(width).toBeLessThan(390);
});

test('the workspace pages have no serious accessibility violations', async ({ page }) => {
  await signIn(page, 'koordinator');
  await page.getByRole('navigation').getByRole('link', { name: 'Siklus' }).click();
  await expect(page.getByTestId('siklus-baru')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'SPBE 2025' }).click();
  await expect(page.getByTestId('simulasi-indeks')).toHaveText('4,38');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: '45', exact: true }).click();
  await expect(page.getByTestId('panel-kriteria')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goBack();
  await page.getByRole('link', { name: 'Matriks tanggung jawab' }).first().click();
  await expect(page.getByTestId('matriks')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('navigation').getByRole('link', { name: 'Data dukung' }).click();
  await expect(page.getByTestId('form-unggah')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto('/padanan');
  await expect(page.getByTestId('padanan')).toContainText('I20');
  expect(await seriousViolations(page)).toEqual([]);
});

test('the cycle page fits a 390-px phone: the wide indicator table scrolls inside its card', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, 'opd');
  await page.goto('/siklus');
  await page.getByRole('link', { name: 'SPBE 2025' }).click();
  await expect(page.getByTestId('simulasi-indeks')).toHaveText('4,38');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'target/e2e-siklus-ponsel.png' });
});

test('the board pages have no serious accessibility violations', async ({ page }) => {
  await signIn(page, 'koordinator');
  await page.getByRole('navigation').getByRole('link', { name: 'Papan' }).click();
  await expect(page.getByTestId('daftar-papan')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('daftar-papan').getByRole('listitem').filter({ hasText: 'SPBE 2025' })
    .getByRole('link', { name: 'Rencana Aksi' }).click();
  await expect(page.getByTestId('papan')).toBeVisible();
  await expect(page.getByTestId('hadir').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Penyusunan Arsitektur SPBE 2025–2029' }).click();
  await expect(page.getByTestId('ubah-kartu')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Rencana Aksi' }).click();
  await page.getByRole('link', { name: 'Lihat kolaborasi antar-OPD' }).click();
  await expect(page.getByTestId('tabel-kolaborasi')).toBeVisible();
  await expect(page.locator('#peta-kolaborasi canvas')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/kolaborasi.png', fullPage: true });
  await page.goto('/saya');
  await expect(page.getByTestId('notifikasi')).toBeAttached();
  expect(await seriousViolations(page)).toEqual([]);
});
