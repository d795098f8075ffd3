/**
 * Send to another site in the browser against the real engine: the wizard shows what the package holds before writing
 * (sequence 1, the values changed), saves the package (checked: first entry the data value set, the manifest last with
 * the sha256 of every entry), shows where it went with its sequence and counts; a second send after a deletion is
 * package 2 carrying only the deletion.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';
import type { TransferManifest } from '../../src-shared/transfer.ts';

describe.skipIf(!HAS_CHROMIUM)('Send to another site (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('send');
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

  it('shows what the package holds, writes it checked, and shows where it went', async () => {
    const { page } = h;
    await page.getByTestId('menu-send').click();
    await page.getByTestId('wizard-send').waitFor();
    await page.getByTestId('start').click();
    await page.getByText('Choose or type the site the package is for.').waitFor();
    await page.getByTestId('send-site-name').fill('Bo District Office');
    await page.getByTestId('send-destination').fill('Southern Province');
    await page.getByTestId('send-preview').waitFor();
    expect(await page.getByTestId('send-preview-sequence').textContent()).toBe('1');
    expect(await page.getByTestId('send-preview-values').textContent()).toBe('up to 5 data values (new, changed or deleted)');
    await h.screenshot('send-preview');
    const out = path.join(h.dir, 'to-province-1.zip');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('send-result').waitFor();
    expect(await page.getByTestId('send-result-file').textContent()).toBe(out);
    expect(await page.getByTestId('send-result-sequence').textContent()).toBe('1');
    expect(await page.getByTestId('send-result-values').textContent()).toBe('5');
    await h.screenshot('send-done');

    const entries = Object.entries(unzipSync(fs.readFileSync(out)));
    expect(entries.map(([n]) => n)).toEqual(['dataValues.json', 'ferry-manifest.json']);
    const m = JSON.parse(Buffer.from(entries[1]![1]).toString('utf8')) as TransferManifest;
    expect(m.from.name).toBe('Bo District Office');
    expect(m.to.name).toBe('Southern Province');
    expect(m.entries[0]!.sha256).toBe(crypto.createHash('sha256').update(entries[0]![1]).digest('hex'));
    expect((JSON.parse(Buffer.from(entries[0]![1]).toString('utf8')) as { dataValues: unknown[] }).dataValues).toHaveLength(5);
    expect(h.problems).toEqual([]);
  });

  it('a second package carries only what changed since: a deletion', async () => {
    const { page } = h;
    const del = path.join(h.dir, 'delete.json');
    fs.writeFileSync(del, JSON.stringify({ dataValues: [{ dataElement: 'DeMal000001', period: '202401', orgUnit: 'OuBoClin001', value: '30', deleted: true }] }));
    await importDirect(h, del, 'data');
    await page.getByTestId('new-send').click();
    await page.getByTestId('send-destination').fill('Southern Province');
    await page.getByTestId('send-preview').waitFor();
    expect(await page.getByTestId('send-preview-sequence').textContent()).toBe('2');
    const out = path.join(h.dir, 'to-province-2.zip');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('send-result').waitFor();
    expect(await page.getByTestId('send-result-sequence').textContent()).toBe('2');
    expect(await page.getByTestId('send-result-values').textContent()).toBe('0');
    expect(await page.getByTestId('send-result-deletions').textContent()).toBe('1');
    const first = unzipSync(fs.readFileSync(out))['dataValues.json']!;
    expect((JSON.parse(Buffer.from(first).toString('utf8')) as { dataValues: Record<string, unknown>[] }).dataValues).toEqual([
      expect.objectContaining({ dataElement: 'DeMal000001', orgUnit: 'OuBoClin001', period: '202401', deleted: true }),
    ]);
    expect(h.problems).toEqual([]);
  });
});
