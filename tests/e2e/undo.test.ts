/**
 * Undo in the browser against the real engine: the job overview's Undo on an import that a later import changed is
 * refused naming the later job; "Undo those too" previews both (dry run), the confirmation says what is restored, and
 * the undo leaves the database as before both imports; the undone job then names its undo.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, storedValues, type Harness } from './harness.ts';

describe.skipIf(!HAS_CHROMIUM)('Undo an import (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('undo');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('refuses while a later import changed the values, then undoes both with "Undo those too"', async () => {
    const { page } = h;
    const before = storedValues(h);
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    const first = (await h.invoke('jobs:list', { limit: 1 }))[0]!.id;
    const upd = path.join(h.dir, 'update.json');
    fs.writeFileSync(upd, JSON.stringify({ dataValues: [{ dataElement: 'DeAnc100001', period: '202401', orgUnit: 'OuBoHosp001', value: '99' }] }));
    await importDirect(h, upd, 'data');
    const second = (await h.invoke('jobs:list', { limit: 1 }))[0]!.id;
    expect(storedValues(h)).toHaveLength(before.length + 5);
    await page.reload();
    await page.getByTestId('menu-jobs').click();
    await page.locator(`[data-job="${first}"] [data-test="open-job"]`).click();
    await page.getByTestId('undo').click();
    const refused = await page.getByTestId('undo-refused').textContent();
    expect(refused).toContain('Later jobs changed the same values or objects');
    expect(refused).not.toContain('--cascade');
    expect(refused).toContain(`job ${second} (data,`);
    await h.screenshot('undo-refused');
    await page.getByTestId('undo-cascade').click();
    const confirm = await page.getByTestId('undo-confirm').textContent();
    expect(confirm).toContain(`before job ${second} (data), job ${first} (data)`);
    expect(await page.getByTestId('undo-preview').textContent()).toContain('Data values: 5 removed, 1 restored'); // job 2's update put back, then job 1's five inserts removed
    // the preview was a dry run: nothing changed yet
    expect(storedValues(h)).toHaveLength(before.length + 5);
    await h.screenshot('undo-confirm');
    await page.getByTestId('undo-confirm-yes').click();
    await page.getByText(`Undone: job ${second} (data), job ${first} (data)`).waitFor();
    expect(storedValues(h)).toEqual(before);
    await h.screenshot('undo-done');
    // the history: the undone job names its undo
    await page.getByTestId('back-to-jobs').click();
    await page.locator(`[data-job="${first}"] [data-test="open-job"]`).click();
    expect(await page.getByTestId('undone-by').textContent()).toMatch(/^This job was undone by job \d+\.$/);
    expect(h.problems).toEqual([]);
  });
});
