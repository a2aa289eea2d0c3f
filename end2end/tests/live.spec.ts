import { test, expect } from '@playwright/test';
import { execFileSync } from 'child_process';
import path from 'path';

const root = path.resolve(__dirname, '..', '..');

/** Records a level through the operator command, in another process, as a real change would. */
function recordLevel(indicator: string, level: string) {
  execFileSync(
    './target/debug/sinergi',
    ['--data-dir', 'target/e2e-data', 'record-level', '--cycle', 'SPBE 2025', '--indicator', indicator,
      '--stage', 'mandiri', '--level', level, '--by', 'opd', '--justification', 'uji langsung'],
    { cwd: root, stdio: 'pipe' },
  );
}

test('a level recorded elsewhere moves the index in two open browsers without reload', async ({ browser }) => {
  const pages = [];
  for (const user of ['pimpinan', 'koordinator']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/masuk');
    await page.getByLabel('Nama pengguna').fill(user);
    await page.getByLabel('Kata sandi').fill('sinergi-demo');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect(page.getByTestId('indeks')).toHaveText('4,38');
    await expect(page.locator('#grafik-indeks canvas')).toHaveCount(1);
    // A marker that a reload would wipe.
    await page.evaluate(() => ((window as any).__tanpaMuatUlang = true));
    pages.push(page);
  }
  try {
    // Indicator 32 (2,75 %) from 5 to 1: 4,3805 − 0,11 = 4,2705 → 4,27.
    recordLevel('32', '1');
    for (const page of pages) {
      await expect(page.getByTestId('indeks')).toHaveText('4,27', { timeout: 5_000 });
      expect(await page.evaluate(() => (window as any).__tanpaMuatUlang)).toBe(true);
      await expect(page.locator('#grafik-indeks canvas')).toHaveCount(1);
    }
  } finally {
    recordLevel('32', '5');
  }
  for (const page of pages) {
    await expect(page.getByTestId('indeks')).toHaveText('4,38', { timeout: 5_000 });
    await page.context().close();
  }
});
