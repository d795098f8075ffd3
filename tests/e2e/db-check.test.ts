/** Utilities › Check database against the real engine (the check runs in the engine's worker, behind the bridge). */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

describe.skipIf(!HAS_CHROMIUM)('check database screen (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('db-check');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('runs SQLite\'s integrity check from the menu and says the database is sound', async () => {
    const { page } = h;
    await page.getByTestId('menu-db-check').click();
    await expect(page.getByTestId('db-check-path').textContent()).resolves.toBe(path.join(h.dir, 'site.db'));
    await page.getByTestId('db-check-start').click();
    const ok = page.getByTestId('db-check-ok');
    await ok.waitFor();
    await expect(ok.textContent()).resolves.toMatch(/^SQLite checked \d+ tables \([\d,]+ pages\) in .+ and found nothing wrong\.$/);
    await h.screenshot('db-check-sound');
    const status = await h.invoke('db:checkStatus', {});
    expect(status).toMatchObject({ running: false, last: { ok: true } });
    expect(h.problems).toEqual([]);
  });
});
