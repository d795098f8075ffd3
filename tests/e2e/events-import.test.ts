/**
 * Event import wizard against the real engine (Chromium): choose a tracker JSON file with one good and one bad event
 * → dry run (atomic mode ALL by default: refused, nothing changed, the Reports table gives the line, uid, code and
 * DHIS2's message) → options: atomic mode OBJECT → import → the good event is stored, the summary counts it. Then an
 * old events CSV gives ImportSummaries. Screenshots are saved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, rowCounts, startHarness, type Harness } from './harness.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';

describe.skipIf(!HAS_CHROMIUM)('event import wizard (Chromium, real engine)', () => {
  let h: Harness;
  let json: string;
  let csv: string;
  beforeAll(async () => {
    h = await startHarness('events-import');
    loadEventMetadata(h.ferry.db);
    const base = { program: 'ProgEvent01', programStage: 'StageCase01', occurredAt: '2024-03-01T00:00:00.000', status: 'ACTIVE' };
    json = path.join(h.dir, 'malaria-events.json');
    fs.writeFileSync(
      json,
      `{"events": [\n${JSON.stringify({ ...base, event: 'EvWeb000001', orgUnit: 'OuClinic001', dataValues: [{ dataElement: 'DeWeight001', value: '14' }] })},\n` +
        `${JSON.stringify({ ...base, event: 'EvWeb000002', orgUnit: 'NoSuchOu001', dataValues: [] })}\n]}\n`,
    );
    csv = path.join(h.dir, 'old-events.csv');
    fs.writeFileSync(
      csv,
      'event,status,program,programStage,enrollment,orgUnit,eventDate,dueDate,latitude,longitude,dataElement,value,storedBy,providedElsewhere,completedDate,completedBy,geometry\n' +
        'EvWeb000003,ACTIVE,ProgEvent01,StageCase01,,OuClinic001,2024-04-01,,,,DeWeight001,9,,false,,,\n' +
        'EvWeb000004,ACTIVE,ProgEvent01,StageCase01,,OuClinic001,,,,,DeWeight001,9,,false,,,\n',
    );
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  const stored = (): string[] => h.ferry.db.prepare(`SELECT uid FROM event WHERE deleted = 0 ORDER BY uid`).pluck().all() as string[];

  it('dry run refused (atomic ALL) with the error and its line, then OBJECT imports the valid event', async () => {
    const { page } = h;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('menu-import-events').click();
    await h.queueOpen([json]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('malaria-events.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Start dry run');
    await page.getByTestId('start').click();
    await page.getByTestId('tracker-report').waitFor();
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toBe(
      'Dry run found 1 error: with atomic mode ALL the import would change nothing (0 created, 0 updated, 0 deleted, 2 ignored).',
    );
    const errorRow = page.getByTestId('tracker-errors').locator('tbody tr').first();
    await expect(errorRow.locator('td').allTextContents()).resolves.toEqual([
      '3', 'EvWeb000002', 'E1011', 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.', 'EVENT',
    ]);
    console.log('screenshot:', await h.screenshot('events-import-dry-run'));
    expect(stored()).toEqual([]);

    await page.getByTestId('back-to-options').click();
    await page.getByLabel('Import the valid objects (OBJECT)').check();
    await page.getByLabel('Dry run').uncheck();
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Start import');
    await page.getByTestId('start').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    await page.getByTestId('tracker-report').waitFor();
    expect(await rowCounts(page, '[data-test="type-counts"] tbody tr[data-type="EVENT"]')).toEqual({ created: 1, deleted: 0, ignored: 1, updated: 0, total: 2 });
    await expect(page.getByTestId('tracker-errors').textContent()).resolves.toContain('E1011');
    console.log('screenshot:', await h.screenshot('events-import-object'));
    expect(stored()).toEqual(['EvWeb000001']);
    expect(h.problems).toEqual([]);
  }, 120_000);

  it('an old events CSV: ImportSummaries with the event that was not imported', async () => {
    const { page } = h;
    await page.getByTestId('new-import').click();
    await h.queueOpen([csv]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('old-events.csv', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByLabel('Dry run').uncheck();
    await page.getByTestId('start').click();
    await page.getByTestId('event-summaries').waitFor();
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toBe('Import finished: 1 imported, 0 updated, 0 deleted, 1 ignored.');
    const row = page.getByTestId('event-conflicts').locator('tbody tr').first();
    await expect(row.locator('td').allTextContents()).resolves.toEqual(['3', 'EvWeb000004', 'E1031', 'Event occurredAt date is missing.']);
    expect(stored()).toEqual(['EvWeb000001', 'EvWeb000003']);
    expect(h.problems).toEqual([]);
  }, 120_000);
});
