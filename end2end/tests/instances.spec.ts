import { test, expect, Browser, Page } from '@playwright/test';

// Two instances of Sinergi on one PostgreSQL database (issue 6). The `postgres` project's
// baseURL is the first instance; the second listens on E2E_PG2_PORT. They share nothing but
// the database: a change made through one reaches a browser on the other through
// PostgreSQL LISTEN/NOTIFY, and a session opened on one is valid on the other.
const second = `http://127.0.0.1:${process.env.E2E_PG2_PORT || '3007'}`;

async function signIn(browser: Browser, baseURL: string, user: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill(user);
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByTestId('pengguna')).toBeVisible();
  return page;
}

async function openBoard(page: Page): Promise<string> {
  await page.getByRole('navigation').getByRole('link', { name: 'Papan' }).click();
  await page.getByTestId('daftar-papan').getByRole('listitem').filter({ hasText: 'SPBE 2025' })
    .getByRole('link', { name: 'Rencana Aksi' }).click();
  await expect(page.getByTestId('papan')).toBeVisible();
  await expect(page.getByTestId('hadir').first()).toBeVisible();
  return new URL(page.url()).pathname;
}

const column = (page: Page, name: string) => page.locator(`[data-testid="kolom"][data-kolom="${name}"]`);
const tile = (page: Page, title: string) => page.getByTestId('kartu').filter({ hasText: title });

test('a change through one instance reaches a browser on the other; a session works on both', async ({ browser, baseURL }) => {
  expect(new URL(baseURL!).port).not.toBe(new URL(second).port);
  const opd = await signIn(browser, baseURL!, 'opd');
  const koord = await signIn(browser, second, 'koordinator');
  const path = await openBoard(opd);
  await openBoard(koord);
  await koord.evaluate(() => ((window as any).__tanpaMuatUlang = true));

  // Presence is in the database: each browser sees the other, across instances.
  await expect(koord.getByTestId('kehadiran')).toContainText('Staf Dinas Kesehatan', { timeout: 10_000 });
  await expect(opd.getByTestId('kehadiran')).toContainText('Kepala Diskominfo', { timeout: 10_000 });

  const title = `Lintas instans ${Date.now()}`;
  const form = opd.locator('details.new-card');
  if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
  await opd.getByTestId('judul-kartu-baru').fill(title);
  const added = Date.now();
  await opd.getByRole('button', { name: 'Tambah', exact: true }).click();
  await expect(tile(opd, title)).toBeVisible();
  await expect(tile(koord, title)).toBeVisible({ timeout: 1_000 });
  console.log(`card added on instance 1 seen on instance 2 after ${Date.now() - added} ms`);

  // The move by the keyboard alternative (the drag itself is the boards journey's subject).
  await opd.waitForTimeout(500);
  const moved = Date.now();
  await tile(opd, title).getByTestId('kanan').click();
  await expect(column(opd, 'Dikerjakan').getByText(title)).toBeVisible();
  await expect(column(koord, 'Dikerjakan').getByText(title)).toBeVisible({ timeout: 1_000 });
  console.log(`move on instance 1 seen on instance 2 after ${Date.now() - moved} ms`);

  // And back the other way: the koordinator on instance 2 moves it on; instance 1 follows.
  await tile(koord, title).getByTestId('kanan').focus();
  await koord.keyboard.press('Enter');
  await expect(column(opd, 'Direviu').getByText(title)).toBeVisible({ timeout: 2_000 });
  expect(await koord.evaluate(() => (window as any).__tanpaMuatUlang === true)).toBe(true);

  // The session opened on instance 1 is valid on instance 2 (the cookie is the same site's).
  const sameUser = await opd.context().newPage();
  await sameUser.goto(`${second}${path}`);
  await expect(sameUser.getByTestId('pengguna')).toContainText('Staf Dinas Kesehatan');
  await expect(tile(sameUser, title)).toBeVisible();
  await opd.context().close();
  await koord.context().close();
});
