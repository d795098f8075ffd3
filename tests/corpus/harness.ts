/**
 * Shared helpers for the conformance suites: locate ../shared/corpus (read in place, never copied), load cases, load a
 * case's setup fixtures, run imports through the same code the CLI uses (openFerry + import:start + jobs.wait).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../src-main/db/open.ts';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { MetadataEngine, readMetadataFile } from '../../src-main/importers/metadata/index.ts';
import { AppError } from '../../src-shared/errors.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared/corpus next to the repository (FERRY_CORPUS_DIR overrides it, e.g. to check the skip path). */
export const corpusDir = process.env.FERRY_CORPUS_DIR ? path.resolve(process.env.FERRY_CORPUS_DIR) : path.resolve(repoRoot, '../shared/corpus');
export const corpusExists = fs.existsSync(path.join(corpusDir, 'cases.json'));
if (!corpusExists) console.warn(`[corpus] ${corpusDir} not found: conformance tests are skipped`);

export interface CorpusCase {
  id: string;
  kind: string;
  phase?: string;
  setup?: string[];
  before?: { file: string; options?: Record<string, unknown> }[];
  periods?: string[];
  file: string;
  options?: Record<string, unknown> | null;
  expect: Record<string, unknown>;
  semantics?: string;
  applicable?: boolean;
  reason?: string;
  source?: string;
  notes?: string;
}

export function corpusPath(rel: string): string {
  return path.isAbsolute(rel) ? rel : path.join(corpusDir, rel);
}

export function loadCases(kind?: string): CorpusCase[] {
  if (!corpusExists) return [];
  const all = JSON.parse(fs.readFileSync(path.join(corpusDir, 'cases.json'), 'utf8')) as CorpusCase[];
  return kind ? all.filter((c) => c.kind === kind) : all;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-'));
}

/**
 * Loads a metadata fixture (path relative to the corpus folder) straight into `db`, leniently: no UID format check, no
 * schema/uniqueness checks, unresolved references kept, and properties of default category objects (e.g. the code
 * OC_DEF_CODE of the default COC in the dvs-CCode fixture) applied to the stored system defaults. One transaction.
 */
export async function loadFixture(db: Db, file: string): Promise<ImportReport> {
  const full = corpusPath(file);
  const engine = new MetadataEngine(db, {
    dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'NONE', identifier: 'UID', skipValidation: true, skipSharing: false,
    skipTranslation: false, importReportMode: 'ERRORS', firstRowIsHeader: true, lenient: true, now: new Date().toISOString(), sourceFileId: null,
  });
  await readMetadataFile({ path: full, name: path.basename(full) }, engine, undefined);
  const r = db.transaction(() => engine.run())();
  return r.report;
}

/** DHIS2 parameter names of a case → Ferry import options. */
export function caseOptions(o: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o ?? {})) {
    if (k === 'strategy' || k === 'importStrategy') out.importStrategy = v;
    else if (k === 'importMode') out.dryRun = String(v).toUpperCase() === 'VALIDATE';
    else out[k] = v;
  }
  return out;
}

/** Imports one file through the job API (as the CLI does) and waits for it. */
export async function importThrough(ferry: Ferry, file: string, options: Record<string, unknown>, kind?: string): Promise<JobRecord> {
  const r = await invoke(ferry.handlers, 'import:start', { files: [corpusPath(file)], kind, options });
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  return ferry.jobs.wait((r.value as { jobId: number }).jobId);
}

export interface CaseDb {
  ferry: Ferry;
  dir: string;
  close(): Promise<void>;
}

/** A fresh database with the case's setup fixtures loaded. */
export async function openCaseDb(c: CorpusCase, mode: 'inline' | 'worker' = 'inline'): Promise<CaseDb> {
  const dir = tempDir();
  const ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode });
  for (const s of c.setup ?? []) await loadFixture(ferry.db, s);
  return {
    ferry,
    dir,
    async close() {
      await ferry.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
