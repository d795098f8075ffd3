/** Data import summary (DHIS2 ImportSummary): combined counts, one row per file, conflicts (filterable, CSV download). */
import { useState } from 'react';
import type { JobFile } from '../../src-shared/api/contract.ts';
import { conflictTotal, type ImportConflict, type ImportCount, type ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { errorText, invoke, usesTransfers } from '../api.ts';
import { useApp } from '../stores/app.ts';
import { DownloadExport } from './ExportResultView.tsx';
import { ConflictTable, toCsv, type Column } from './ConflictTable.tsx';
import { fmtBytes, fmtNumber, shortSha } from './format.ts';
import { NamedUid, TextWithNames, uidsIn } from './Names.tsx';
import { Notice } from './Notice.tsx';
import { DryRunTag, PartialTag, StatusTag } from './StatusTag.tsx';

export interface DataConflictRow {
  file: string;
  errorCode: string;
  object: string;
  objects: string;
  property: string;
  value: string;
  indexes: string;
}

function total(c: ImportCount): number {
  return c.imported + c.updated + c.deleted + c.ignored;
}

/**
 * Where the values are, in words a user can look up: "line 14" in a CSV file (the engine's 0-based index + 1, + 1 more
 * for the header row), "value 3" in JSON/XML/ADX. Long lists are cut.
 */
export function positions(indexes: number[] | undefined, format: string | undefined, csvHeader: boolean, lines?: number[], unlisted = 0, fields?: string[]): string {
  if (fields?.length) {
    // a PDF form: the form fields
    const rest = fields.length - Math.min(fields.length, 20) + unlisted;
    return fields.slice(0, 20).map((f) => `field ${f}`).join(', ') + (rest > 0 ? ` … and ${fmtNumber(rest)} more` : '');
  }
  if (lines?.length) {
    // the engine knows the lines (every format's reader counts them)
    const rest = lines.length - Math.min(lines.length, 20) + unlisted;
    return lines.slice(0, 20).map((l) => `line ${l}`).join(', ') + (rest > 0 ? ` … and ${fmtNumber(rest)} more` : '');
  }
  const list = indexes ?? [];
  const csv = format === 'csv';
  const shown = list.slice(0, 20).map((i) => (csv ? `line ${i + 1 + (csvHeader ? 1 : 0)}` : `value ${i + 1}`));
  const rest = list.length - shown.length + unlisted;
  return shown.join(', ') + (rest > 0 ? ` … and ${fmtNumber(rest)} more` : '');
}

/** What the summary counts but does not list (Ferry caps what a summary holds), one note per error code. */
export function moreConflictNotes(s: ImportSummary): { label: string; count: number }[] {
  return Object.entries(s.moreConflicts ?? {}).map(([code, m]) => ({
    label: `${m.conflicts === 1 ? 'conflict' : 'conflicts'} of this kind (${code === 'other' ? 'no error code' : code}) in ${fmtNumber(m.rows)} ${m.rows === 1 ? 'row' : 'rows'}, not listed`,
    count: m.conflicts,
  }));
}

export function dataConflictRows(s: ImportSummary, csvHeader = true): DataConflictRow[] {
  const make = (c: ImportConflict, file: string, format?: string, header = csvHeader): DataConflictRow => ({
    file,
    errorCode: c.errorCode ?? '',
    object: c.object ?? '',
    objects: Object.entries(c.objects ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('; '),
    property: c.property ?? '',
    // (Ferry's own words on a conflict of the whole file, after DHIS2's message)
    value: (c.value ?? '') + (c.detail ? ` — ${c.detail}` : ''),
    indexes: positions(c.indexes, format, header, c.lines, c.moreIndexes, c.fields),
  });
  const perFile = s.fileSummaries ?? [];
  if (perFile.length > 0 && perFile.some((f) => (f.conflicts ?? []).length > 0)) {
    // a CSV file says how its first row was read (Ferry decides it when the option was not given)
    return perFile.flatMap((f) => (f.conflicts ?? []).map((c) => make(c, f.file, f.format, f.firstRowIsHeader ?? csvHeader)));
  }
  const only = perFile.length === 1 ? perFile[0] : undefined;
  return (s.conflicts ?? []).map((c) => make(c, only?.file ?? '', only?.format, only?.firstRowIsHeader ?? s.firstRowIsHeader ?? csvHeader));
}

export function headline(s: ImportSummary, dryRun: boolean): string {
  const c = s.importCount;
  const counts = `${fmtNumber(c.imported)} imported, ${fmtNumber(c.updated)} updated, ${fmtNumber(c.deleted)} deleted, ${fmtNumber(c.ignored)} ignored`;
  const fo = s.filesOutcome;
  if (dryRun) return `Dry run finished: nothing was changed. The import would give: ${counts}.`;
  if (fo?.partial) {
    const refused = `${fmtNumber(fo.failed)} ${fo.failed === 1 ? 'file was' : 'files were'} refused and nothing of ${fo.failed === 1 ? 'it' : 'them'} was saved`;
    return `Import finished: ${fmtNumber(fo.imported)} of ${fmtNumber(fo.files)} files were saved (${counts}); ${refused}.`;
  }
  if (s.status === 'ERROR' && c.imported + c.updated + c.deleted === 0) return `The import was refused: nothing was changed (${counts}).`;
  return `Import finished: ${counts}.`;
}

/**
 * Every row of the files in words, from the engine's breakdown (the summary's ignoredBreakdown): what was imported,
 * updated, deleted and ignored — and of the ignored, how many were unchanged and how many refused — and the zeros
 * not stored. Null for a summary without a breakdown (older jobs).
 */
export function countsInWords(s: ImportSummary, dryRun: boolean): string | null {
  const b = s.ignoredBreakdown;
  if (!b) return null;
  const c = s.importCount;
  const n = fmtNumber;
  const rows = (k: number): string => `${n(k)} ${k === 1 ? 'row' : 'rows'}`;
  const parts = [
    `${rows(b.rows)} read: ${n(c.imported)} ${dryRun ? 'would be imported' : 'imported'} (new), ${n(c.updated)} ${dryRun ? 'would be updated' : 'updated'}, ${n(c.deleted)} ${dryRun ? 'would be deleted' : 'deleted'}, ${n(c.ignored)} ignored.`,
  ];
  if (c.ignored > 0) {
    parts.push(
      `Of the ignored, ${n(b.unchanged)} ${b.unchanged === 1 ? 'was' : 'were'} unchanged (already stored as in the file) and ${n(b.refused)} ${b.refused === 1 ? 'was' : 'were'} refused (see the conflicts, or the strategy did not apply).`,
    );
  }
  if (b.zeroNotStored > 0) {
    parts.push(
      `${n(b.zeroNotStored)} zero ${b.zeroNotStored === 1 ? 'value was' : 'values were'} not stored: zero is not significant for ${b.zeroNotStored === 1 ? 'its data element' : 'their data elements'} (DHIS2 does not count these).`,
    );
  }
  return parts.join(' ');
}

/** A job whose good files were kept while others were refused: not plain "Error". */
function OverlapSection({ summary, dryRun }: { summary: ImportSummary; dryRun: boolean }) {
  const o = summary.overlaps;
  if (!o) return null;
  const n = fmtNumber;
  const what =
    o.policy === 'first'
      ? `The first file's values ${dryRun ? 'would be' : 'were'} kept`
      : o.policy === 'newer' || o.policy === 'last'
        ? `The ${o.policy} file's values ${dryRun ? 'would be' : 'were'} kept`
        : o.differing > 0
          ? 'Nothing will be imported until you choose which file’s values to keep'
          : 'Their values are the same, so the order does not matter';
  return (
    <section data-test="overlaps">
      <h3>Files with the same values</h3>
      <p>
        {n(o.keys)} value {o.keys === 1 ? 'key is' : 'keys are'} (data element, period, org unit and combos) in more than one file; {n(o.differing)}{' '}
        {o.differing === 1 ? 'has' : 'have'} different values. {what}
        {o.order ? ` (files imported in this order: ${o.order.join(', ')})` : ''}.
      </p>
      <table className="table" data-test="overlap-pairs">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Same values as</th>
            <th scope="col" className="num">Shared keys</th>
            <th scope="col" className="num">Different values</th>
          </tr>
        </thead>
        <tbody>
          {o.pairs.map((p, i) => (
            <tr key={i}>
              <td>{p.second}</td>
              <td>{p.first}</td>
              <td className="num">{n(p.keys)}</td>
              <td className="num">{n(p.differing)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.morePairs ? <p className="muted small">… and {n(o.morePairs)} more pairs of files.</p> : null}
    </section>
  );
}

export function DataImportSummaryView({
  summary,
  dryRun,
  files,
  csvHeader = true,
}: {
  summary: ImportSummary;
  dryRun: boolean;
  files?: JobFile[];
  /** the job's firstRowIsHeader (CSV line numbers) */
  csvHeader?: boolean;
}) {
  const rows = dataConflictRows(summary, csvHeader);
  const hasFileCol = rows.some((r) => r.file);
  const columns: Column<DataConflictRow>[] = [
    ...(hasFileCol ? [{ key: 'file', label: 'File', text: (r: DataConflictRow) => r.file }] : []),
    { key: 'errorCode', label: 'Error code', text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
    { key: 'value', label: 'Message', text: (r) => r.value, named: true },
    {
      key: 'object',
      label: 'Object',
      text: (r) => [r.object, r.objects].filter(Boolean).join(' '),
      uids: (r) => [...(r.object ? [r.object] : []), ...uidsIn(r.objects)],
      render: (r) => (
        <>
          {r.object && <NamedUid uid={r.object} />}
          {r.objects && (
            <div className="muted small">
              <TextWithNames text={r.objects} />
            </div>
          )}
        </>
      ),
    },
    { key: 'property', label: 'Property', text: (r) => r.property },
    { key: 'indexes', label: 'Where in the file', text: (r) => r.indexes },
  ];
  const c = summary.importCount;
  const perFile = summary.fileSummaries ?? [];
  const words = countsInWords(summary, dryRun);
  const failedFiles = summary.filesOutcome?.failed ?? 0;
  return (
    <div className="summary" data-test="import-summary">
      <div className="summary-head">
        {summary.filesOutcome?.partial ? <PartialTag dryRun={dryRun} /> : <StatusTag status={summary.status} />}
        {dryRun && <DryRunTag />}
        <p className="headline" data-test="summary-headline">
          {headline(summary, dryRun)}
        </p>
      </div>
      {failedFiles > 0 ? (
        <p className="files-outcome" data-test="files-outcome">
          <strong>{summary.description}.</strong> Each file is imported whole or not at all: {dryRun ? 'the good files would be kept' : 'the good files were kept'}, a refused file
          leaves nothing behind. See each file’s reason below.
        </p>
      ) : (
        summary.description && summary.description !== 'Import process completed successfully' && <p className="muted">{summary.description}</p>
      )}
      <table className="table counts" data-test="combined-counts">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" className="num">Imported</th>
            <th scope="col" className="num">Updated</th>
            <th scope="col" className="num">Deleted</th>
            <th scope="col" className="num">Ignored</th>
            <th scope="col" className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          <tr data-file="total">
            <th scope="row">{perFile.length > 1 ? `All ${perFile.length} files` : 'Data values'}</th>
            <td className="num" data-col="imported">{fmtNumber(c.imported)}</td>
            <td className="num" data-col="updated">{fmtNumber(c.updated)}</td>
            <td className="num" data-col="deleted">{fmtNumber(c.deleted)}</td>
            <td className="num" data-col="ignored">{fmtNumber(c.ignored)}</td>
            <td className="num" data-col="total">{fmtNumber(total(c))}</td>
          </tr>
        </tbody>
      </table>
      {words && (
        <p className="counts-words" data-test="counts-words">
          {words}
        </p>
      )}
      <OverlapSection summary={summary} dryRun={dryRun} />
      {perFile.length > 0 && (
        <>
          <h3>Files</h3>
          <div className="table-scroll">
            <table className="table" data-test="file-summaries">
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Imported</th>
                  <th scope="col" className="num">Updated</th>
                  <th scope="col" className="num">Deleted</th>
                  <th scope="col" className="num">Ignored</th>
                  <th scope="col" className="num">Conflicts</th>
                </tr>
              </thead>
              <tbody>
                {perFile.map((f, i) => {
                  const jf = files?.find((x) => x.name === f.file) ?? files?.[i];
                  return (
                    <tr key={i} data-file={f.file}>
                      <th scope="row">
                        <div>{f.file}</div>
                        <div className="muted small">
                          {[f.format?.toUpperCase(), f.compression && f.compression !== 'none' ? f.compression : null, jf?.size != null ? fmtBytes(jf.size) : null]
                            .filter(Boolean)
                            .join(' · ')}
                        </div>
                        {f.status === 'ERROR' && perFile.length > 1 && (
                          <div className="field-error file-error" data-test="file-error">
                            {f.description.replace(/^The import process failed: /, '')}
                          </div>
                        )}
                        {f.firstRowIsHeaderDetected && (
                          <div className="muted small" data-test="first-row-note">
                            {f.firstRowIsHeader ? 'First row read as a header (it names DHIS2 columns)' : 'First row read as data and imported'}
                          </div>
                        )}
                      </th>
                      <td>
                        <code title={f.sha256 ?? jf?.sha256 ?? ''}>{shortSha(f.sha256 ?? jf?.sha256)}</code>
                      </td>
                      <td>
                        <StatusTag status={f.status} testId="file-status" />
                      </td>
                      <td className="num" data-col="imported">{fmtNumber(f.importCount.imported)}</td>
                      <td className="num" data-col="updated">{fmtNumber(f.importCount.updated)}</td>
                      <td className="num" data-col="deleted">{fmtNumber(f.importCount.deleted)}</td>
                      <td className="num" data-col="ignored">{fmtNumber(f.importCount.ignored)}</td>
                      <td className="num" data-col="conflicts">{fmtNumber(conflictTotal({ conflicts: f.conflicts ?? [], moreConflicts: f.moreConflicts }))}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {summary.compacted && (
        <p className="muted" data-test="compacted-note">
          An older job: the job history keeps its counts, not its list of conflicts.
        </p>
      )}
      <ConflictTable
        title="Conflicts"
        rows={rows}
        columns={columns}
        more={moreConflictNotes(summary)}
        empty="No conflicts."
        actions={rows.length > 0 ? <DownloadConflicts rows={rows} columns={columns} /> : null}
      />
    </div>
  );
}

function DownloadConflicts({ rows, columns }: { rows: DataConflictRow[]; columns: Column<DataConflictRow>[] }) {
  const [msg, setMsg] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  // in a browser (ferry serve) the file is written in Ferry's own folder and downloaded through a link
  const capabilities = useApp((a) => a.capabilities);
  const browser = usesTransfers(capabilities) && !capabilities.includes('files:dialogs');
  const [written, setWritten] = useState<string | null>(null);
  const download = async (): Promise<void> => {
    setMsg(null);
    setWritten(null);
    try {
      const { path } = await invoke('dialog:saveFile', { title: 'Save the conflicts as', defaultName: `ferry-conflicts-${new Date().toISOString().slice(0, 10)}.csv` });
      if (!path) return;
      const csvColumns = [...columns.filter((c) => c.key !== 'object'), { key: 'object', label: 'Object', text: (r: DataConflictRow) => r.object }, { key: 'objects', label: 'Objects', text: (r: DataConflictRow) => r.objects }];
      await invoke('files:writeText', { path, text: toCsv(rows, csvColumns) });
      if (browser) setWritten(path);
      else setMsg({ kind: 'success', text: `Saved ${fmtNumber(rows.length)} conflicts to ${path}` });
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void download()} data-test="download-conflicts">
        Download conflicts (CSV)
      </button>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {written && <DownloadExport file={written} />}
    </>
  );
}
