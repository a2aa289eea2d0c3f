import { test, expect, Page } from '@playwright/test';

const PASSWORD = 'sinergi-demo';
const ROLES = [
  ['admin', 'Admin'],
  ['koordinator', 'Koordinator SPBE'],
  ['opd', 'Anggota OPD'],
  ['asesor', 'Asesor internal'],
  ['pimpinan', 'Pimpinan'],
  ['viewer', 'Pembaca'],
];

async function signIn(page: Page, username: string) {
  await page.goto('/');
  await expect(page).toHaveURL(/\/masuk/);
  await page.getByLabel('Nama pengguna').fill(username);
  await page.getByLabel('Kata sandi').fill(PASSWORD);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page).toHaveURL(/\/dasbor/);
}

/** True when the chart's canvas has at least some non-transparent pixels. */
async function canvasDrawn(page: Page, id: string): Promise<boolean> {
  return page.evaluate((id) => {
    const canvas = document.querySelector(`#${id} canvas`) as HTMLCanvasElement | null;
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const ctx = canvas.getContext('2d');
    if (!ctx) return false;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
    return painted > 500;
  }, id);
}

for (const [username, label] of ROLES) {
  test(`${username} signs in, sees the dashboard drawn, and signs out`, async ({ page }) => {
    await signIn(page, username);
    await expect(page.getByTestId('pengguna')).toContainText(label);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('SPBE 2025');
    await expect(page.getByTestId('indeks')).toHaveText('4,38');
    await expect(page.getByTestId('predikat')).toHaveText('Memuaskan');
    await expect(page.getByTestId('aspek').locator('tbody tr')).toHaveCount(8);
    await expect(page.getByTestId('domain').locator('tbody tr')).toHaveCount(4);
    for (const id of ['grafik-indeks', 'grafik-aspek', 'grafik-riwayat']) {
      await expect(page.locator(`#${id} canvas`)).toHaveCount(1);
      await expect.poll(() => canvasDrawn(page, id), { message: `${id} drawn` }).toBe(true);
    }
    if (username === 'pimpinan') {
      await page.waitForTimeout(1500); // let the chart animations settle
      await page.screenshot({ path: 'test-results/dasbor-pimpinan.png', fullPage: true });
    }
    await page.getByRole('button', { name: 'Keluar' }).click();
    await expect(page).toHaveURL(/\/masuk\?keluar=1/);
    await expect(page.getByRole('status')).toHaveText('Anda telah keluar.');
    await page.goto('/dasbor');
    await expect(page).toHaveURL(/\/masuk/);
  });
}

test('a wrong password shows a clear message and no dashboard', async ({ page }) => {
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill('admin');
  await page.getByLabel('Kata sandi').fill('bukan-sandinya');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByRole('alert')).toHaveText('Nama pengguna atau kata sandi salah.');
  await page.goto('/dasbor');
  await expect(page).toHaveURL(/\/masuk/);
});

test('switching to the Pemdi 2026 cycle redraws the dashboard without domains', async ({ page }) => {
  await signIn(page, 'koordinator');
  await page.getByRole('link', { name: 'Pemdi 2026' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Pemdi 2026');
  await expect(page.getByTestId('aspek').locator('tbody tr')).toHaveCount(7);
  await expect(page.getByText('tidak memiliki tingkat domain')).toBeVisible();
  await expect.poll(() => canvasDrawn(page, 'grafik-indeks')).toBe(true);
});
