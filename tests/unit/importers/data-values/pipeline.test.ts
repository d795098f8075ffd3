/**
 * The data value import on two threads (issue 14; importers/data-values/pipeline.ts, parse-side.ts, parse-worker.ts,
 * codec.ts): the same summaries, stored values and errors whether the parse side runs on its own thread or on the
 * job's; cancel mid-file and a parse thread that dies or cannot start leave the database as it was; the parse side
 * never runs more than MAX_IN_FLIGHT batches ahead of the writing side.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { CSV_HEADER, SMALL_METADATA, freshFerry, loadMetadata, runImport, storedValues, writeFile, type ImportOutcome } from './helpers.ts';
import type { Ferry } from '../../../../src-main/services/context.ts';
import { BatchDecoder, BatchEncoder } from '../../../../src-main/importers/data-values/codec.ts';
import { MAX_IN_FLIGHT, parseFiles, type ParseMessage } from '../../../../src-main/importers/data-values/parse-side.ts';
import { F_FILE_DELETE, F_FOLLOWUP, F_NULL, type ResolvedSink } from '../../../../src-main/importers/data-values/resolved.ts';
import { parseThreadFor, PARSE_THREAD_MIN_BYTES } from '../../../../src-main/importers/data-values/index.ts';
import { dataImportOptionsSchema } from '../../../../src-shared/dhis2/options.ts';
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';
import type { ImportFileInput } from '../../../../src-main/jobs/types.ts';

const ENV = ['FERRY_PARSE_THREAD', 'FERRY_TEST_PARSE_THREAD', 'FERRY_PARSE_WORKER'] as const;
const opened: Ferry[] = [];

afterEach(async () => {
  for (const k of ENV) delete process.env[k];
  for (const f of opened.splice(0)) await f.close();
});

function site(): { ferry: Ferry; dir: string } {
  const s = freshFerry('inline');
  loadMetadata(s.ferry.db, SMALL_METADATA);
  opened.push(s.ferry);
  return s;
}

/** What a job leaves: its summary or error, the file outcomes and the stored values (timestamps left out: each job has its own). */
function outcomeOf(ferry: Ferry, r: ImportOutcome): unknown {
  return {
    status: r.job?.status,
    summary: r.summary,
    error: r.error,
    files: r.job?.files.map(({ path: _p, ...f }) => f),
    values: storedValues(ferry.db, { includeDeleted: true }).map(({ created: _c, lastUpdated: _l, ...v }) => v),
  };
}

/** Runs the same files in two fresh sites, the parse side on the job's thread and on its own, and returns both outcomes. */
async function bothWays(make: (dir: string) => string[], options: Record<string, unknown> = {}, before?: (ferry: Ferry, dir: string) => Promise<void>): Promise<[unknown, unknown]> {
  const out: unknown[] = [];
  for (const thread of ['same', 'worker'] as const) {
    const { ferry, dir } = site();
    if (before) {
      process.env.FERRY_PARSE_THREAD = 'same';
      await before(ferry, dir);
    }
    process.env.FERRY_PARSE_THREAD = thread;
    const files = make(dir);
    out.push(outcomeOf(ferry, await runImport(ferry, files, options)));
  }
  return out as [unknown, unknown];
}

const csv = (dir: string, name: string, ...rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');

/** rows of every kind: new values, conflicts of many codes, a key repeated in the file, comments, followup, deletes */
const MIXED = [
  'DeInteger01,202401,OuClinicA01,,,11,alice,,first,true,',
  'DeInteger01,202401,OuClinicA01,,,12,,,,,', // the same key again: updated
  'DeNumber001,202401,OuClinicA01,CocMale0001,,1.5,,,"a comment, with ""quotes""\nand a line",false,',
  'DeNumber001,202401,OuClinicA01,CocFemale01,,0,,,,,', // insignificant zero: skipped
  'DeMissing01,202401,OuClinicA01,,,1,,,,,', // E7610
  'DeInteger01,2024-13,OuClinicA01,,,1,,,,,', // E7611
  'DeInteger01,202401,OuMissing01,,,1,,,,,', // E7612
  'DeInteger01,202402,OuClinicA01,CocNope0001,,1,,,,,', // E7613
  'DeInteger01,202402,OuClinicA01,,,1.5,,,,,', // E7619
  'DeColour001,202402,OuClinicA01,,,GREEN,,,,,', // E7621
  'DeColour001,202402,OuClinicB01,,,RED,,,,,',
  'DeBool00001,202403,OuClinicB01,,,TRUE,,,,,',
  'DeText00001,202403,OuClinicB01,,,,,,,,', // E7618
  'DeText00001,202404,OuClinicB01,,,hello,bob,,,,',
  'DeText00001,202404,OuClinicB01,,,,bob,,,,true', // deleted: soft delete of the row above
  'DeMissing01,202405,OuClinicA01,,,2,,,,,', // E7610 again: the same conflict lists both rows
];

describe('the same result on either thread', () => {
  it('a CSV file with rows of every kind', async () => {
    const [same, worker] = await bothWays((dir) => [csv(dir, 'mixed.csv', ...MIXED)]);
    expect(worker).toEqual(same);
    const s = (same as { summary: { importCount: unknown; conflicts: { errorCode: string; indexes: number[] }[] } }).summary;
    expect(s.importCount).toEqual({ imported: 5, updated: 1, ignored: 8, deleted: 1 });
    expect(s.conflicts.find((c) => c.errorCode === 'E7610')!.indexes).toEqual([4, 15]);
  });

  it('a re-import over stored values, and the strategies UPDATE and DELETE', async () => {
    const stored = async (ferry: Ferry, dir: string): Promise<void> => void (await runImport(ferry, [csv(dir, 'first.csv', ...MIXED)]));
    for (const options of [{}, { importStrategy: 'UPDATE' }, { importStrategy: 'DELETE' }, { importStrategy: 'CREATE' }, { dryRun: true }]) {
      const [same, worker] = await bothWays((dir) => [csv(dir, 'again.csv', ...MIXED, 'DeInteger01,202406,OuClinicA01,,,5,,,,,')], options, stored);
      expect(worker).toEqual(same);
    }
  });

  it('JSON with a header (data set, period, org unit, completion) and a payload dry run; XML; ADX with an aborted group', async () => {
    const json = (dir: string, name: string, body: Record<string, unknown>): string => writeFile(dir, name, JSON.stringify(body));
    const values = [
      { dataElement: 'DeInteger01', value: '3' },
      { dataElement: 'DeNumber001', categoryOptionCombo: 'CocMale0001', value: '4', comment: 'ok' },
      { dataElement: 'DeNope00001', value: '5' },
    ];
    const cases: ((dir: string) => string[])[] = [
      (dir) => [json(dir, 'h.json', { dataSet: 'DsMonthly01', period: '202401', orgUnit: 'OuClinicA01', completeDate: '2024-02-03', dataValues: values })],
      (dir) => [json(dir, 'dry.json', { dryRun: true, period: '202401', orgUnit: 'OuClinicA01', dataValues: values })],
      (dir) => [json(dir, 'bad-ds.json', { dataSet: 'DsNope00001', period: '202401', orgUnit: 'OuClinicA01', dataValues: values })],
      (dir) => [
        writeFile(dir, 'v.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" period="202402" orgUnit="OuClinicB01">
  <dataValue dataElement="DeInteger01" value="7" storedBy="x"/>
  <dataValue dataElement="DeInteger01" period="202403" value="8"/>
  <dataValue dataElement="DeText00001" value="t" comment="c"/>
</dataValueSet>`),
      ],
      (dir) => [
        writeFile(dir, 'x.adx.xml', `<adx xmlns="urn:ihe:qrph:adx:2015">
  <group dataSet="DS_M" period="2024-03-01/P1M" orgUnit="OU_A">
    <dataValue dataElement="DE_NUM" SEX="F" value="4"/>
    <dataValue dataElement="DE_TEXT" value="0"><annotation>All good</annotation></dataValue>
    <dataValue dataElement="DE_NUM" SEX="X" value="4"/>
  </group>
  <group dataSet="DS_NOPE" period="2024-04-01/P1M" orgUnit="OU_A">
    <dataValue dataElement="DE_NUM" SEX="M" value="5"/>
  </group>
</adx>`),
      ],
    ];
    for (const make of cases) {
      const [same, worker] = await bothWays(make);
      expect(worker).toEqual(same);
    }
  });

  it('a zip whose second entry is broken, several files with a broken one, a gzip file, and a single broken file', async () => {
    const cases: ((dir: string) => string[])[] = [
      (dir) => [
        writeFile(dir, 'two.zip', Buffer.from(zipSync({ 'a.csv': strToU8([CSV_HEADER, ...MIXED].join('\n')), 'b.xml': strToU8('<dataValueSet><dataValue dataElement="x"') }, { mtime: new Date('2024-01-02T03:04:05Z') }))),
      ],
      (dir) => [csv(dir, 'ok.csv', ...MIXED), writeFile(dir, 'broken.xml', '<dataValueSet><dataValue dataElement="DeInteger01" value="1"></oops>'), csv(dir, 'ok2.csv', 'DeInteger01,202409,OuClinicB01,,,9,,,,,')],
      (dir) => [writeFile(dir, 'v.csv.gz', zlib.gzipSync([CSV_HEADER, ...MIXED].join('\n')))],
      (dir) => [writeFile(dir, 'broken.json', '{"dataValues": [{"dataElement": "DeInteger01", "period": "202401", "orgUnit": "OuClinicA01", "value": "1"}, {')],
      (dir) => [writeFile(dir, 'metadata.json', JSON.stringify({ organisationUnits: [{ id: 'OuNew000001', name: 'New' }] }))],
    ];
    for (const make of cases) {
      const [same, worker] = await bothWays(make);
      expect(worker).toEqual(same);
    }
  });
});

/** A CSV of `n` valid values (several batches): two data elements in no data set (no period rules) × two org units × days from 1990 on. */
function bigCsv(dir: string, n: number): string {
  const rows: string[] = [CSV_HEADER];
  const day0 = Date.UTC(1990, 0, 1);
  for (let i = 0; i < n; i++) {
    const day = new Date(day0 + Math.floor(i / 4) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const [de, value] = i % 2 ? ['DeText00001', `text ${i}`] : ['DeBool00001', 'true'];
    rows.push(`${de},${day},${i % 4 < 2 ? 'OuClinicA01' : 'OuClinicB01'},,,${value},,,,,`);
  }
  return writeFile(dir, 'big.csv', rows.join('\n') + '\n');
}

const storedCount = (ferry: Ferry): number => ferry.db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number;

describe('the parse thread', () => {
  it('is used for large inputs only (and always when told)', () => {
    const { ferry, dir } = site();
    const small = csv(dir, 'small.csv', ...MIXED);
    const large = writeFile(dir, 'large.csv', Buffer.alloc(PARSE_THREAD_MIN_BYTES, 'x'));
    const f = (p: string): ImportFileInput[] => [{ index: 0, fileId: 1, path: p, name: path.basename(p) }];
    expect(parseThreadFor(ferry.db, f(small), {})).toBe('same');
    expect(parseThreadFor(ferry.db, f(large), {})).toBe('worker');
    expect(parseThreadFor(ferry.db, f(small), { FERRY_PARSE_THREAD: 'worker' })).toBe('worker');
    expect(parseThreadFor(ferry.db, f(large), { FERRY_PARSE_THREAD: 'same' })).toBe('same');
  });

  it('imports a file of 60,000 values in many batches, with progress in bytes', async () => {
    const { ferry, dir } = site();
    const file = bigCsv(dir, 60_000);
    process.env.FERRY_PARSE_THREAD = 'worker';
    const progress: { done: number; total: number | null; records?: number }[] = [];
    const off = ferry.jobs.on('job:progress', (e) => void (e.unit === 'bytes' && progress.push(e)));
    const r = await runImport(ferry, [file]);
    off();
    expect(r.error).toBeNull();
    expect(r.summary!.importCount).toEqual({ imported: 60_000, updated: 0, ignored: 0, deleted: 0 });
    expect(storedCount(ferry)).toBe(60_000);
    expect(progress.length).toBeGreaterThan(0);
    // the bytes read grow to the file's size
    const reading = progress.filter((p) => p.total === fs.statSync(file).size);
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.every((p, i) => i === 0 || p.done >= reading[i - 1]!.done)).toBe(true);
    expect(reading.at(-1)!.done).toBe(fs.statSync(file).size);
  });

  it('is stopped by a cancel mid-file: the job is cancelled and nothing is stored', async () => {
    const { ferry, dir } = site();
    const file = bigCsv(dir, 200_000);
    process.env.FERRY_PARSE_THREAD = 'worker';
    const r0 = await runImport(ferry, [csv(dir, 'one.csv', 'DeInteger01,202401,OuClinicA01,,,1,,,,,')]);
    expect(r0.summary!.importCount.imported).toBe(1);
    let seen = 0;
    const off = ferry.jobs.on('job:progress', (e) => {
      if (e.unit === 'bytes' && (e.records ?? 0) > 0 && seen++ === 0) ferry.jobs.cancel(e.jobId);
    });
    const r = await runImport(ferry, [file]);
    off();
    expect(r.job!.status).toBe('cancelled');
    expect(r.error!.code).toBe('CANCELLED');
    expect(storedCount(ferry)).toBe(1);
  });

  it('that dies mid-file fails the job clearly, and nothing is stored', async () => {
    const { ferry, dir } = site();
    const file = bigCsv(dir, 60_000);
    process.env.FERRY_PARSE_THREAD = 'worker';
    process.env.FERRY_TEST_PARSE_THREAD = 'exit-after:3';
    const r = await runImport(ferry, [file]);
    expect(r.job!.status).toBe('failed');
    expect(r.error).toMatchObject({ code: 'INTERNAL', message: "The import's parse thread stopped unexpectedly (exit code 3); nothing was imported." });
    expect(storedCount(ferry)).toBe(0);
  });

  it('that cannot start fails the job clearly, and nothing is stored', async () => {
    const { ferry, dir } = site();
    process.env.FERRY_PARSE_THREAD = 'worker';
    process.env.FERRY_PARSE_WORKER = path.join(dir, 'no-such-worker.js');
    const r = await runImport(ferry, [csv(dir, 'a.csv', ...MIXED)]);
    expect(r.job!.status).toBe('failed');
    expect(r.error!.code).toBe('INTERNAL');
    expect(r.error!.message).toMatch(/^The import's parse thread (failed|stopped unexpectedly) .*; nothing was imported\.$/);
    expect(storedCount(ferry)).toBe(0);
  });
});

describe('back-pressure and the batches', () => {
  it('the parse side stops after MAX_IN_FLIGHT unapplied batches and goes on as they are applied', async () => {
    const { ferry, dir } = site();
    const file = bigCsv(dir, 100_000);
    const messages: ParseMessage[] = [];
    let applied = 0;
    let release: (() => void) | null = null;
    const inFlight = (): number => messages.filter((m) => m.t === 'batch').length - applied;
    const done = parseFiles(
      { files: [{ index: 0, fileId: 1, path: file, name: 'big.csv' }], format: undefined, options: dataImportOptionsSchema.parse({}), user: 'u', now: new Date().toISOString() },
      ferry.db,
      {
        post: (m) => void messages.push(m),
        credit: () => (inFlight() < MAX_IN_FLIGHT ? Promise.resolve() : new Promise<void>((r) => (release = r))),
      },
    );
    // nothing applied: the parse side fills MAX_IN_FLIGHT batches (however slow the machine) …
    for (const end = Date.now() + 30_000; inFlight() < MAX_IN_FLIGHT && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    expect(inFlight()).toBe(MAX_IN_FLIGHT);
    // … then waits there, far from the end of the file, however long nothing is applied
    await new Promise((r) => setTimeout(r, 300));
    expect(inFlight()).toBe(MAX_IN_FLIGHT);
    expect(messages.some((m) => m.t === 'done')).toBe(false);
    const rows = (): number => messages.reduce((n, m) => n + (m.t === 'batch' ? m.rows : 0), 0);
    expect(rows()).toBeLessThan(100_000 / 2);
    // apply as they come: the file is read to its end
    while (!messages.some((m) => m.t === 'done')) {
      applied = messages.filter((m) => m.t === 'batch').length;
      const r = release as (() => void) | null;
      release = null;
      r?.();
      await new Promise((r) => setImmediate(r));
    }
    await done;
    expect(rows()).toBe(100_000);
    expect(messages.map((m) => m.t).filter((t) => t !== 'batch')).toEqual(['unit', 'unit-end', 'file-end', 'done']);
  });

  it('a batch gives back every call in order: values, refusals, conflicts without rows, completions, periods', () => {
    const enc = new BatchEncoder(4);
    const p1 = parsePeriod('202401')!;
    const p2 = parsePeriod('2024Q2')!;
    type Call = [string, ...unknown[]];
    const calls: Call[] = [];
    const recorder: ResolvedSink = {
      value: (...a) => void calls.push(['value', ...a]),
      reject: (...a) => void calls.push(['reject', ...a]),
      plain: (...a) => void calls.push(['plain', ...a]),
      complete: (...a) => void calls.push(['complete', ...a]),
    };
    const input = (sink: ResolvedSink): void => {
      sink.value(0, 2, undefined, 11, p1, 21, 31, 41, '5', null, 'admin', F_FOLLOWUP, 'De1');
      sink.value(1, 3, 'field_a', 12, p2, 22, 32, 42, null, 'a "comment"\nwith a line', 'admin', F_NULL, 'De2');
      sink.value(2, 4, undefined, 13, p1, 23, 33, 43, '', '', 'émile 😀', F_FILE_DELETE, 'De3 raw ');
      sink.reject(3, 5, undefined, [['E7610', { dataElement: 'x' }, ['x']]]);
      sink.reject(4, 6, 'f', [['E7640', { period: '202401', dataSet: 'a' }, ['202401', 'a']], ['E7640', { period: '202401', dataSet: 'b' }, ['202401', 'b']]]);
      sink.plain({ object: 'Ds', objects: { dataSet: 'Ds' }, value: 'm', errorCode: 'E7600', property: 'dataSet' });
      sink.complete(7, p2, 8, 9, '2024-07-01', 'admin');
      sink.value(5, 7, undefined, 14, p2, 24, 34, 44, '6', null, 'admin', 0, 'De4');
    };
    input(enc);
    const expected: Call[] = [];
    input({
      value: (...a) => void expected.push(['value', ...a.slice(0, 12), (a[11] & F_FILE_DELETE) !== 0 ? a[12] : '']),
      reject: (...a) => void expected.push(['reject', ...a]),
      plain: (...a) => void expected.push(['plain', ...a]),
      complete: (...a) => void expected.push(['complete', ...a]),
    });
    const dec = new BatchDecoder();
    const batch = enc.take()!;
    expect(batch.calls).toBe(8);
    // through a structured clone, as between threads
    dec.apply(structuredClone(batch), recorder);
    expect(calls).toEqual(expected);
    expect(enc.take()).toBeNull();
    // a later batch uses the periods defined by an earlier one
    enc.value(6, 8, undefined, 15, p2, 25, 35, 45, '7', null, 'admin', 0, 'De5');
    calls.length = 0;
    dec.apply(enc.take()!, recorder);
    expect(calls).toEqual([['value', 6, 8, undefined, 15, p2, 25, 35, 45, '7', null, 'admin', 0, '']]);
  });
});
