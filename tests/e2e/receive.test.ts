/**
 * Receive from other sites in the browser against the real engine (issue 13): the wizard shows what is inside each
 * package before importing (sender, sequence, verified or damaged naming the entry, the gap), receives them — the
 * damaged one refused with nothing of it written, the others imported — then shows each result with its
 * reconciliation; the Sites page lists the sender with its gap.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, storedValues, type Harness } from './harness.ts';
import { entryDataOffset, flipByte, writePackage } from '../helpers/receive-package.ts';

describe.skipIf(!HAS_CHROMIUM)('Receive from other sites (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('receive');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('shows what is inside, refuses the damaged package, receives the others and shows the gap on the Sites page', async () => {
    const { page } = h;
    const from = { id: 'SiteBoClin1', name: 'Bo Clinic', orgUnit: 'OuBoClin001' };
    const p1 = writePackage(h.dir, 'bo-1.zip', {
      from,
      sequence: 1,
      values: [{ dataElement: 'DeAnc100001', period: '202401', orgUnit: 'OuBoClin001', value: '4' }],
      controlTotals: [],
    });
    const p3 = writePackage(h.dir, 'bo-3.zip', {
      from,
      sequence: 3,
      values: [{ dataElement: 'DeMal000001', period: '202401', orgUnit: 'OuBoClin001', value: '30' }],
    });
    const p4 = writePackage(h.dir, 'bo-4.zip', { from, sequence: 4, values: [{ dataElement: 'DeAnc100001', period: '202402', orgUnit: 'OuBoClin001', value: '9' }] });
    const bad = flipByte(p4, entryDataOffset(p4, 'dataValues.json') + 4, path.join(h.dir, 'bo-4-damaged.zip'));
    fs.rmSync(p4);

    await page.getByTestId('menu-receive').click();
    await page.getByTestId('wizard-receive').waitFor();
    await h.queueOpen([p3, bad, p1]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('bo-4-damaged.zip', { exact: true }).waitFor();
    await page.getByTestId('receive-inspect').click();
    await page.getByTestId('receive-start').waitFor();
    expect(await page.getByTestId('receive-sequence').allTextContents()).toEqual(['3', '4', '1']);
    expect(await page.getByTestId('receive-inspect-error').textContent()).toContain('dataValues.json');
    // each package is looked at with what was received before it (not with the others chosen beside it)
    expect(await page.getByTestId('receive-gap').allTextContents()).toEqual([
      'package 1 from Bo Clinic has not arrived; 3 has',
      'package 2 from Bo Clinic has not arrived; 3 has',
      'package 1 from Bo Clinic has not arrived; 4 has',
      'package 2 from Bo Clinic has not arrived; 4 has',
      'package 3 from Bo Clinic has not arrived; 4 has',
    ]);
    expect(await page.getByTestId('receive-start').textContent()).toBe('Receive (1 damaged will be refused)');
    await h.screenshot('receive-inspect');

    await page.getByTestId('receive-start').click();
    await page.getByTestId('receive-again').waitFor();
    expect(await page.getByTestId('receive-result').count()).toBe(2);
    expect(await page.getByTestId('receive-refused').textContent()).toMatch(/bo-4-damaged\.zip: dataValues\.json: .*nothing was written/);
    const descriptions = await page.getByTestId('receive-description').allTextContents();
    expect(descriptions).toEqual(['package 1 from Bo Clinic received', 'package 3 from Bo Clinic received']);
    const counts = await page.getByTestId('receive-values').allTextContents();
    expect(counts[0]).toMatch(/^Values: imported 1, /);
    expect(counts[1]).toMatch(/^Values: imported 1, /);
    expect(await page.getByTestId('receive-result').nth(1).getByTestId('receive-gap').textContent()).toBe('package 2 from Bo Clinic has not arrived; 1 and 3 have');
    await h.screenshot('receive-done');
    // nothing of the damaged package was written
    expect(storedValues(h)).toEqual(['DeAnc100001/202401/OuBoClin001/HllvX50cXC0=4', 'DeMal000001/202401/OuBoClin001/HllvX50cXC0=30']);

    await page.getByTestId('receive-to-sites').click();
    const row = page.getByTestId('sites-row');
    await row.waitFor();
    expect(await row.getAttribute('data-site')).toBe('Bo Clinic');
    expect(await page.getByTestId('sites-gaps').textContent()).toBe('2');
    expect(await page.getByTestId('sites-gap').textContent()).toBe('package 2 from Bo Clinic has not arrived; 1 and 3 have');
    await h.screenshot('sites');
    expect(h.problems).toEqual([]);
  });
});
