import { test, expect, Page, Browser } from '@playwright/test';

async function signIn(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill(user);
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByTestId('pengguna')).toBeVisible();
  return page;
}

/** Opens the default board of SPBE 2025 through the navigation; returns its path. */
async function openBoard(page: Page): Promise<string> {
  await page.getByRole('navigation').getByRole('link', { name: 'Papan' }).click();
  await page.getByTestId('daftar-papan').getByRole('listitem').filter({ hasText: 'SPBE 2025' })
    .getByRole('link', { name: 'Rencana Aksi' }).click();
  await expect(page.getByTestId('papan')).toBeVisible();
  // Hydrated: the presence bar is filled by the browser's own heartbeat too.
  await expect(page.getByTestId('hadir').first()).toBeVisible();
  return new URL(page.url()).pathname;
}

const column = (page: Page, name: string) => page.locator(`[data-testid="kolom"][data-kolom="${name}"]`);
const tile = (page: Page, title: string) => page.getByTestId('kartu').filter({ hasText: title });

async function addCard(page: Page, title: string) {
  // The form stays open after a card is added, ready for the next one.
  const form = page.locator('details.new-card');
  if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
  await page.getByTestId('judul-kartu-baru').fill(title);
  await page.getByRole('button', { name: 'Tambah', exact: true }).click();
  await expect(tile(page, title)).toBeVisible();
}

/** Opens a card by its link's address (the board may be re-rendering under a live update). */
async function openCard(page: Page, title: string) {
  await expect(page.getByTestId('kartu').filter({ hasText: title })).toBeVisible();
  const href = await tile(page, title).getByRole('link', { name: title }).getAttribute('href');
  await page.goto(href!);
}

function marker(page: Page) {
  return page.evaluate(() => ((window as any).__tanpaMuatUlang = true));
}
function stillSamePage(page: Page) {
  return page.evaluate(() => (window as any).__tanpaMuatUlang === true);
}

test('a move and a comment in one browser reach the other within a second; presence shows both', async ({ browser }) => {
  const opd = await signIn(browser, 'opd');
  const koord = await signIn(browser, 'koordinator');
  await openBoard(opd);
  await openBoard(koord);
  await marker(koord);
  // Both are on the board, each sees the other.
  for (const p of [opd, koord]) {
    await expect(p.getByTestId('kehadiran')).toContainText('Staf Dinas Kesehatan', { timeout: 10_000 });
    await expect(p.getByTestId('kehadiran')).toContainText('Kepala Diskominfo', { timeout: 10_000 });
  }
  const title = `Telemedisin puskesmas ${Date.now()}`;
  await addCard(opd, title);
  await expect(tile(koord, title)).toBeVisible({ timeout: 2_000 });
  await expect(column(koord, 'Usulan').getByText(title)).toBeVisible();

  // Drag from Usulan to Dikerjakan.
  const started = Date.now();
  await tile(opd, title).dragTo(column(opd, 'Dikerjakan'));
  await expect(column(opd, 'Dikerjakan').getByText(title)).toBeVisible();
  await expect(column(koord, 'Dikerjakan').getByText(title)).toBeVisible({ timeout: 1_000 });
  console.log(`move seen by the other browser after ${Date.now() - started} ms`);

  // The keyboard alternative: focus the "next column" button and press Enter.
  await tile(opd, title).getByTestId('kanan').focus();
  await opd.keyboard.press('Enter');
  await expect(column(koord, 'Direviu').getByText(title)).toBeVisible({ timeout: 2_000 });

  // A comment on the card page reaches the board tile of the other browser.
  await openCard(opd, title);
  await expect(opd.getByTestId('judul-kartu')).toHaveText(title);
  await opd.getByTestId('komentar-baru').fill('Mohon ditinjau @koordinator');
  const commented = Date.now();
  await opd.getByRole('button', { name: 'Kirim komentar' }).click();
  await expect(opd.getByTestId('komentar')).toContainText('Mohon ditinjau');
  await expect(tile(koord, title)).toContainText('1 komentar', { timeout: 1_000 });
  console.log(`comment seen by the other browser after ${Date.now() - commented} ms`);
  // The mention lights the koordinator's unread counter, live.
  await expect(koord.getByTestId('belum-dibaca')).toBeVisible({ timeout: 2_000 });
  expect(await stillSamePage(koord)).toBe(true);
  await opd.context().close();
  await koord.context().close();
});

test('a browser whose stream was cut catches up on every missed change when it reconnects', async ({ browser }) => {
  const opd = await signIn(browser, 'opd');
  const koord = await signIn(browser, 'koordinator');
  await openBoard(opd);
  await openBoard(koord);
  await marker(koord);
  await koord.context().setOffline(true);
  const first = `Rujukan daring ${Date.now()}`;
  const second = `Antrean online ${Date.now()}`;
  await addCard(opd, first);
  await addCard(opd, second);
  await tile(opd, first).dragTo(column(opd, 'Dikerjakan'));
  await expect(column(opd, 'Dikerjakan').getByText(first)).toBeVisible();
  // Cut off, the koordinator sees none of it.
  await koord.waitForTimeout(1_500);
  await expect(tile(koord, first)).toHaveCount(0);
  await koord.context().setOffline(false);
  // Reconnected, it resumes after the last event it saw and applies every change.
  await expect(column(koord, 'Dikerjakan').getByText(first)).toBeVisible({ timeout: 15_000 });
  await expect(column(koord, 'Usulan').getByText(second)).toBeVisible();
  expect(await stillSamePage(koord)).toBe(true);
  await opd.context().close();
  await koord.context().close();
});

test('a stale edit shows a conflict; the draft survives and is re-applied', async ({ browser }) => {
  const opd = await signIn(browser, 'opd');
  const koord = await signIn(browser, 'koordinator');
  const board = await openBoard(opd);
  const title = `Rekam medis elektronik ${Date.now()}`;
  await addCard(opd, title);
  await openCard(opd, title);
  await expect(opd.getByTestId('ubah-kartu')).toBeVisible();
  const cardPath = new URL(opd.url()).pathname;
  expect(cardPath.startsWith(board)).toBe(true);
  await koord.goto(cardPath);
  await expect(koord.getByTestId('ubah-judul')).toHaveValue(title);

  // The koordinator starts typing; meanwhile the member saves first.
  await koord.getByTestId('ubah-judul').fill('RME versi koordinator');
  await opd.getByTestId('ubah-judul').fill('RME versi dinas');
  await opd.getByTestId('simpan-kartu').click();
  await expect(opd.getByTestId('tersimpan')).toBeVisible();
  await expect(koord.getByTestId('judul-kartu')).toHaveText('RME versi dinas', { timeout: 2_000 });
  // The typed draft is still there after the live update.
  await expect(koord.getByTestId('ubah-judul')).toHaveValue('RME versi koordinator');
  await koord.getByTestId('simpan-kartu').click();
  const conflict = koord.getByTestId('konflik');
  await expect(conflict).toContainText('sudah diubah oleh Staf Dinas Kesehatan');
  await expect(conflict).toContainText('RME versi dinas');
  await expect(koord.getByTestId('ubah-judul')).toHaveValue('RME versi koordinator');
  // Re-apply on the latest version.
  await koord.getByTestId('terapkan-ulang').click();
  await koord.getByTestId('simpan-kartu').click();
  await expect(koord.getByTestId('tersimpan')).toBeVisible();
  await expect(opd.getByTestId('judul-kartu')).toHaveText('RME versi koordinator', { timeout: 2_000 });
  await expect(koord.getByTestId('aktivitas')).toContainText('RME versi dinas');
  await expect(koord.getByTestId('aktivitas')).toContainText('RME versi koordinator');
  await opd.context().close();
  await koord.context().close();
});

test('the board scrolls by column on a 390-px phone and my work lists my cards', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill('opd');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await openBoard(page);
  const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth,
    board: (document.querySelector('.board') as HTMLElement).scrollWidth }));
  expect(widths.doc).toBeLessThanOrEqual(widths.win + 1);
  expect(widths.board).toBeGreaterThan(widths.win);
  await page.screenshot({ path: 'test-results/papan-390.png', fullPage: false });
  await page.goto('/saya');
  await expect(page.getByTestId('kartu-saya')).toContainText('Layanan kesehatan daring terintegrasi');
  await context.close();
});
