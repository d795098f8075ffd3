/**
 * Event export in the browser against the real engine: the corpus' e2e program metadata and DHIS2's own 2.38 events
 * file imported through the engine, then the Event export screen exports the program's events as tracker CSV in a zip
 * and as the old events JSON; both read back with Ferry's event readers to the same events and values as the imported
 * file (old events JSON → Ferry → tracker CSV / old events JSON). Skipped with a message without Chromium or corpus.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';
import { corpusExists, corpusPath } from '../corpus/harness.ts';
import { eventsReaderFor } from '../../src-main/formats/registry.ts';
import { readExport } from '../unit/exporters/read-export.ts';
import type { TrackerEvent } from '../../src-shared/dhis2/tracker.ts';

if (!corpusExists) console.warn('[e2e] event export: corpus not found, skipped');

async function readEvents(file: string, format: string): Promise<TrackerEvent[]> {
  const { text } = await readExport(file);
  async function* once(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(text, 'utf8');
  }
  const out: TrackerEvent[] = [];
  for await (const r of eventsReaderFor(format)(once(), { fileName: path.basename(file) })) out.push(r.value as TrackerEvent);
  return out;
}
const key = (e: TrackerEvent): string =>
  [e.event, e.program, e.programStage, e.orgUnit, e.occurredAt, e.status, e.dataValues.map((d) => `${d.dataElement}=${d.value}`).sort().join(';')].join('|');

describe.skipIf(!HAS_CHROMIUM || !corpusExists)('Event export (Chromium, real engine)', () => {
  let h: Harness;
  let source: TrackerEvent[];
  beforeAll(async () => {
    h = await startHarness('events-export');
    await importDirect(h, corpusPath('metadata/e2e-setup-metadata.json'), 'metadata');
    await importDirect(h, corpusPath('metadata/e2e-setup-tracker_metadata.json'), 'metadata');
    const file = corpusPath('events/e2e-events.json');
    const { jobId } = await h.invoke('import:start', { files: [file], kind: 'events', options: {} });
    const rec = await h.invoke('jobs:wait', { id: jobId });
    if (rec.status !== 'done' || rec.resultStatus === 'ERROR') throw new Error(`set-up import of the events failed: ${JSON.stringify(rec.error ?? rec.summary)}`);
    source = await readEvents(file, 'json');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('exports the program\'s events as tracker CSV in a zip: the same events and values as the imported 2.38 file', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-events').click();
    await page.getByTestId('wizard-export-events').waitFor();
    await page.getByTestId('picker-programs').locator('input[data-uid="Zd2rkv8FsWq"]').check();
    await page.getByTestId('picker-programStages').waitFor();
    await page.getByLabel('Start date').fill('2018-01-01');
    await page.getByLabel('End date').fill('2019-12-31');
    await page.getByRole('radio', { name: 'Tracker event CSV' }).check();
    await page.getByText(/suggested name: ferry-events-.*\.csv\.zip/).waitFor();
    await h.screenshot('events-export-options');
    const out = path.join(h.dir, 'events.csv.zip');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await expect(page.getByTestId('export-file').textContent()).resolves.toBe(out);
    await h.screenshot('events-export-done');
    const { compression, entryName } = await readExport(out);
    expect([compression, entryName]).toEqual(['zip', 'events.csv']);
    const got = await readEvents(out, 'csv');
    expect(got.map(key).sort()).toEqual(source.map(key).sort());
    expect(got).toHaveLength(4);
    const job = (await h.invoke('jobs:list', {}))[0]!;
    expect([job.kind, job.direction, job.status]).toEqual(['events', 'export', 'done']);
    expect(h.problems).toEqual([]);
  });

  it('exports them for a 2.40 server as the old events JSON, with a date range that leaves out the 2018 events', async () => {
    const { page } = h;
    await page.getByTestId('new-export').click();
    await page.getByLabel('Start date').fill('2019-01-01');
    await page.getByRole('radio', { name: 'Events JSON (2.40 and older)' }).check();
    await page.getByRole('radio', { name: 'Uncompressed' }).check();
    const out = path.join(h.dir, 'events-2019.json');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('"eventDate":"2019-02-01T00:00:00.000"');
    expect(text).not.toContain('occurredAt');
    const got = await readEvents(out, 'events-json');
    expect(got.map(key).sort()).toEqual(source.filter((e) => e.occurredAt! >= '2019').map(key).sort());
    expect(h.problems).toEqual([]);
  });
});
