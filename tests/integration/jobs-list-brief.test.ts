/** jobs:list without summaries (issue 16, defect 1): the job table's channel reads no summary; jobs:get gives it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { tmpDir } from '../helpers/tmp.ts';

let dir: string;
let ferry: Ferry;
beforeEach(() => {
  dir = tmpDir('ferry-jl-');
  ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
});
afterEach(async () => {
  await ferry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('jobs:list', () => {
  it('gives records without summaries when asked, with them by default; jobs:get gives the whole record', async () => {
    const repo = ferry.jobs.jobs;
    const { jobId } = repo.create({ kind: 'data', direction: 'import', dryRun: false, options: { a: 1 }, files: [{ path: '/x/a.csv', name: 'a.csv', size: 3 }] });
    const summary: ImportSummary = { responseType: 'ImportSummary', status: 'SUCCESS', description: 'ok', importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], rejectedIndexes: [] };
    repo.finish(jobId, { status: 'done', resultStatus: 'SUCCESS', summary, error: null, files: [{ index: 0, size: 3, sha256: 'a'.repeat(64), format: 'csv', compression: 'none', status: 'SUCCESS' }] });
    const brief = await invoke(ferry.handlers, 'jobs:list', { summaries: false });
    const full = await invoke(ferry.handlers, 'jobs:list', {});
    const one = await invoke(ferry.handlers, 'jobs:get', { id: jobId });
    if (!brief.ok || !full.ok || !one.ok) throw new Error('refused');
    const [b] = brief.value as JobRecord[];
    const [f] = full.value as JobRecord[];
    expect(b!.summary).toBeNull();
    expect({ ...b, summary: summary }).toEqual(f);
    expect((one.value as JobRecord).summary).toEqual(summary);
    const bad = await invoke(ferry.handlers, 'jobs:list', { summaries: 'no' });
    expect(bad.ok).toBe(false);
  });
});
