/** Test helpers: run an export through the job API and read the file back with Ferry's own data readers. */
import fs from 'node:fs';
import crypto from 'node:crypto';
import type { Ferry } from '../../../src-main/services/context.ts';
import { invoke } from '../../../src-main/ipc/register.ts';
import type { ExportStartReq, ExportSummary, JobRecord } from '../../../src-shared/api/contract.ts';
import { openInput } from '../../../src-main/io/input.ts';
import { readJsonDataValues } from '../../../src-main/formats/dxf2-json/data-reader.ts';
import { readXmlDataValues } from '../../../src-main/formats/dxf2-xml/data-reader.ts';
import { readCsvDataValues } from '../../../src-main/formats/csv-data/reader.ts';
import type { DataValueHeader, DataValueRow } from '../../../src-main/formats/data-value-row.ts';

export async function runExport(f: Ferry, req: ExportStartReq): Promise<JobRecord> {
  const r = await invoke(f.handlers, 'export:start', req);
  if (!r.ok) throw new Error(`export:start refused: ${r.error.message}`);
  return f.jobs.wait((r.value as { jobId: number }).jobId);
}

export function summaryOf(job: JobRecord): ExportSummary {
  if (job.error) throw new Error(`export failed: ${job.error.code} ${job.error.message}`);
  return job.summary as ExportSummary;
}

/** The decompressed text of an export plus what openInput detected. */
export async function readExport(file: string): Promise<{ text: string; compression: string; entryName: string | null }> {
  const inp = await openInput(file);
  const parts: Buffer[] = [];
  for await (const c of inp.chunks()) parts.push(c);
  inp.close();
  return { text: Buffer.concat(parts).toString('utf8'), compression: inp.compression, entryName: inp.entryName };
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export async function readDataRows(file: string, format: 'json' | 'xml' | 'csv'): Promise<{ header: DataValueHeader | undefined; rows: DataValueRow[] }> {
  const inp = await openInput(file);
  const chunks = inp.chunks();
  const reader =
    format === 'json'
      ? readJsonDataValues(chunks, { fileName: inp.name })
      : format === 'xml'
        ? readXmlDataValues(chunks, { fileName: inp.name })
        : readCsvDataValues(chunks, { fileName: inp.name, firstRowIsHeader: true });
  const rows: DataValueRow[] = [];
  let header: DataValueHeader | undefined;
  for await (const b of reader) {
    if (b.header) header = b.header;
    rows.push(...b.rows);
  }
  inp.close();
  return { header, rows };
}

export const keyOf = (r: { dataElement?: string | null; period?: string | null; orgUnit?: string | null; categoryOptionCombo?: string | null; attributeOptionCombo?: string | null }): string =>
  `${r.dataElement}|${r.period}|${r.orgUnit}|${r.categoryOptionCombo}|${r.attributeOptionCombo}`;
