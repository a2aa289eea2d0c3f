import { test, expect } from '@playwright/test';

// A person creates a personal API token in the browser, sees it once, uses it from another
// program (Playwright's own HTTP client, no cookies), and revokes it; the reference page lists
// the same routes as the OpenAPI document.
test('a token made on /token opens the API until it is revoked', async ({ browser, playwright, baseURL }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/masuk');
  await page.getByLabel('Nama pengguna').fill('viewer');
  await page.getByLabel('Kata sandi').fill('sinergi-demo');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByTestId('pengguna')).toBeVisible();

  await page.getByRole('contentinfo').getByRole('link', { name: 'Token API' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Token API');
  await page.waitForTimeout(500);
  await page.getByLabel('Nama token').fill('Dasbor provinsi');
  await page.getByRole('button', { name: 'Buat token' }).click();
  const shown = page.getByTestId('token-baru');
  await expect(shown).toBeVisible();
  const token = (await shown.textContent())!.trim();
  expect(token).toMatch(/^sng_[0-9a-f]{64}$/);
  await expect(page.getByTestId('token-daftar')).toContainText('Dasbor provinsi');
  await expect(page.getByTestId('token-daftar')).toContainText('Baca saja');

  // Another program, with the token and nothing else.
  const client = await playwright.request.newContext({ baseURL });
  const res = await client.get('/api/v1/cycles', { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.data.map((c: any) => c.name)).toContain('SPBE 2025');
  // A read token cannot write.
  const cycle = body.data.find((c: any) => c.name === 'SPBE 2025').id;
  const write = await client.post(`/api/v1/cycles/${cycle}/indicators/45/claims`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { level: 5, justification: 'uji' },
  });
  expect(write.status()).toBe(403);
  expect((await write.json()).error.code).toBe('insufficient_scope');

  // After a reload the token is no longer shown anywhere.
  await page.reload();
  await expect(page.getByTestId('token-daftar')).toContainText('Dasbor provinsi');
  expect(await page.content()).not.toContain(token);

  await page.getByRole('button', { name: 'Cabut Dasbor provinsi' }).click();
  await expect(page.getByTestId('token-daftar')).toContainText('Dicabut');
  const after = await client.get('/api/v1/cycles', { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe('unauthorized');

  // The reference page shows every route of the document.
  const doc = await (await client.get('/api/v1/openapi.json')).json();
  const count = Object.values(doc.paths).reduce((n: number, ops: any) => n + Object.keys(ops).length, 0);
  await page.goto('/dokumentasi-api');
  await expect(page.getByTestId('api-operasi')).toHaveCount(count as number);
  await expect(page.getByTestId('api-operasi').first()).toContainText('/api/v1/');
  await client.dispose();
  await context.close();
});

test('the super-admin reads the national roll-up; a koordinator may not', async ({ browser }) => {
  for (const [user, allowed] of [['admin', true], ['koordinator', false]] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/masuk');
    await page.getByLabel('Nama pengguna').fill(user);
    await page.getByLabel('Kata sandi').fill('sinergi-demo');
    await page.getByRole('button', { name: 'Masuk' }).click();
    await expect(page.getByTestId('pengguna')).toBeVisible();
    const nav = page.getByRole('navigation').getByRole('link', { name: 'Nasional' });
    if (allowed) {
      await nav.click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rekap nasional');
      await expect(page.getByTestId('nasional-tabel')).toContainText('Pemerintah Kota Mojokerto');
      await expect(page.getByTestId('nasional-instansi')).not.toHaveText('0');
    } else {
      await expect(nav).toHaveCount(0);
      await page.goto('/nasional');
      await expect(page.getByRole('alert')).toContainText('tidak berwenang');
      await expect(page.getByTestId('nasional-tabel')).toHaveCount(0);
    }
    await context.close();
  }
});
