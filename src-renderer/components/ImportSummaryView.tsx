/** Data import summary (DHIS2 ImportSummary): combined counts, one row per file, conflicts (filterable, CSV download). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n.ts';
import type { JobFile } from '../../src-shared/api/contract.ts';
import { conflictTotal, type FilesOutcome, type ImportConflict, type ImportCount, type ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { errorText, invoke, usesTransfers } from '../api.ts';
import { useApp } from '../stores/app.ts';
import { DownloadExport } from './ExportResultView.tsx';
import { ConflictTable, toCsv, type Column } from './ConflictTable.tsx';
import { fmtBytes, fmtNumber, shortSha } from './format.ts';
import { NamedUid, TextWithNames, fetchNames, uidsIn, withNames, type Names } from './Names.tsx';
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
  const t = i18n.t;
  const more = (rest: number): string => (rest > 0 ? ` ${t('components:report.andMore', { n: fmtNumber(rest) })}` : '');
  if (fields?.length) {
    // a PDF form: the form fields
    const rest = fields.length - Math.min(fields.length, 20) + unlisted;
    return fields.slice(0, 20).map((f) => t('components:summary.field', { f })).join(', ') + more(rest);
  }
  if (lines?.length) {
    // the engine knows the lines (every format's reader counts them)
    const rest = lines.length - Math.min(lines.length, 20) + unlisted;
    return lines.slice(0, 20).map((l) => t('components:report.lineN', { n: l })).join(', ') + more(rest);
  }
  const list = indexes ?? [];
  const csv = format === 'csv';
  const shown = list.slice(0, 20).map((i) => (csv ? t('components:report.lineN', { n: i + 1 + (csvHeader ? 1 : 0) }) : t('components:summary.value', { n: i + 1 })));
  const rest = list.length - shown.length + unlisted;
  return shown.join(', ') + more(rest);
}

/** What the summary counts but does not list (Ferry caps what a summary holds), one note per error code. */
export function moreConflictNotes(s: ImportSummary): { label: string; count: number; text: string }[] {
  const t = i18n.t;
  return Object.entries(s.moreConflicts ?? {}).map(([code, m]) => ({
    label: code,
    count: m.conflicts,
    text: t('components:summary.moreConflicts', {
      count: m.conflicts,
      code: code === 'other' ? t('components:summary.noErrorCode') : code,
      rows: t('components:summary.rows', { count: m.rows }),
    }),
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

/** The counts of a data import in words ("40 imported, 3 updated, 0 deleted, 5 ignored"), each by its plural ("1 importé, 2 importés"). */
export function countsText(c: ImportCount): string {
  const t = i18n.t;
  return t('components:summary.counts', {
    imported: t('components:n.imported', { count: c.imported }),
    updated: t('components:n.updated', { count: c.updated }),
    deleted: t('components:n.deleted', { count: c.deleted }),
    ignored: t('components:n.ignored', { count: c.ignored }),
  });
}

/** The headline of a data import, in the chosen language, from the summary's counts and files outcome. */
export function headline(s: ImportSummary, dryRun: boolean): string {
  const t = i18n.t;
  const c = s.importCount;
  const counts = countsText(c);
  const fo = s.filesOutcome;
  if (dryRun) return t('components:report.dryRunDone', { counts });
  if (fo?.partial) {
    const refused = t('components:summary.refusedFiles', { count: fo.failed });
    return t('components:summary.partial', { count: fo.imported, files: fmtNumber(fo.files), counts, refused });
  }
  if (s.status === 'ERROR' && c.imported + c.updated + c.deleted === 0) return t('components:report.refused', { counts });
  return t('components:report.finished', { counts });
}

/** "1 of 5 files could not be imported; 4 were imported" from the summary's files outcome (would be, in a dry run). */
export function filesOutcomeText(o: FilesOutcome, dryRun: boolean): string {
  const t = i18n.t;
  const files = fmtNumber(o.files);
  if (o.imported === 0) return dryRun ? t('components:files.noneDry', { files }) : t('components:files.none', { files });
  return t('components:files.someFailed', {
    failed: t('components:files.failedPart', { count: o.failed, files }),
    imported: dryRun ? t('components:files.importedPartDry', { count: o.imported }) : t('components:files.importedPart', { count: o.imported }),
  });
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
  const t = i18n.t;
  const counts = { count: b.rows, imported: n(c.imported), updated: n(c.updated), deleted: n(c.deleted), ignored: n(c.ignored) };
  const parts = [dryRun ? t('components:words.readDry', counts) : t('components:words.read', counts)];
  if (c.ignored > 0) {
    parts.push(t('components:words.ofIgnored', { unchanged: t('components:words.unchanged', { count: b.unchanged }), refused: t('components:words.refused', { count: b.refused }) }));
  }
  if (b.zeroNotStored > 0) parts.push(t('components:words.zero', { count: b.zeroNotStored }));
  return parts.join(' ');
}

/** A job whose good files were kept while others were refused: not plain "Error". */
function OverlapSection({ summary, dryRun }: { summary: ImportSummary; dryRun: boolean }) {
  const { t } = useTranslation('components');
  const o = summary.overlaps;
  if (!o) return null;
  const n = fmtNumber;
  const what =
    o.policy === 'first'
      ? t(dryRun ? 'overlap.kept.firstDry' : 'overlap.kept.first')
      : o.policy === 'newer'
        ? t(dryRun ? 'overlap.kept.newerDry' : 'overlap.kept.newer')
        : o.policy === 'last'
          ? t(dryRun ? 'overlap.kept.lastDry' : 'overlap.kept.last')
          : o.differing > 0
            ? t('overlap.choose')
            : t('overlap.same');
  return (
    <section data-test="overlaps">
      <h3>{t('overlap.title')}</h3>
      <p>
        {t('overlap.keys', { count: o.keys })} {t('overlap.differing', { count: o.differing })} {what}
        {o.order ? t('overlap.order', { order: o.order.join(', ') }) : ''}.
      </p>
      <table className="table" data-test="overlap-pairs">
        <thead>
          <tr>
            <th scope="col">{t('col.file')}</th>
            <th scope="col">{t('overlap.sameAs')}</th>
            <th scope="col" className="num">{t('overlap.sharedKeys')}</th>
            <th scope="col" className="num">{t('overlap.differentValues')}</th>
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
      {o.morePairs ? <p className="muted small">{t('overlap.morePairs', { n: n(o.morePairs) })}</p> : null}
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
  const { t } = useTranslation('components');
  const rows = dataConflictRows(summary, csvHeader);
  const hasFileCol = rows.some((r) => r.file);
  const columns: Column<DataConflictRow>[] = [
    ...(hasFileCol ? [{ key: 'file', label: t('col.file'), text: (r: DataConflictRow) => r.file }] : []),
    { key: 'errorCode', label: t('col.errorCode'), text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
    { key: 'value', label: t('col.message'), text: (r) => r.value, named: true },
    {
      key: 'object',
      label: t('col.object'),
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
    { key: 'property', label: t('col.property'), text: (r) => r.property },
    { key: 'indexes', label: t('col.whereInFile'), text: (r) => r.indexes },
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
          <strong>{summary.filesOutcome ? filesOutcomeText(summary.filesOutcome, dryRun) : summary.description}.</strong> {t(dryRun ? 'files.ruleDry' : 'files.rule')}
        </p>
      ) : (
        summary.description && summary.description !== 'Import process completed successfully' && <p className="muted">{summary.description}</p>
      )}
      <table className="table counts" data-test="combined-counts">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" className="num">{t('count.imported')}</th>
            <th scope="col" className="num">{t('count.updated')}</th>
            <th scope="col" className="num">{t('count.deleted')}</th>
            <th scope="col" className="num">{t('count.ignored')}</th>
            <th scope="col" className="num">{t('count.total')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-file="total">
            <th scope="row">{perFile.length > 1 ? t('summary.allFiles', { n: fmtNumber(perFile.length) }) : t('undo.dataValues')}</th>
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
          <h3>{t('summary.files')}</h3>
          <div className="table-scroll">
            <table className="table" data-test="file-summaries">
              <thead>
                <tr>
                  <th scope="col">{t('col.file')}</th>
                  <th scope="col">{t('col.sha')}</th>
                  <th scope="col">{t('col.status')}</th>
                  <th scope="col" className="num">{t('count.imported')}</th>
                  <th scope="col" className="num">{t('count.updated')}</th>
                  <th scope="col" className="num">{t('count.deleted')}</th>
                  <th scope="col" className="num">{t('count.ignored')}</th>
                  <th scope="col" className="num">{t('count.conflicts')}</th>
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
                            {errorText({ message: f.description.replace(/^The import process failed: /, ''), details: { messageKey: f.messageKey, messageParams: f.messageParams } })}
                          </div>
                        )}
                        {f.firstRowIsHeaderDetected && (
                          <div className="muted small" data-test="first-row-note">
                            {f.firstRowIsHeader ? t('summary.firstRowHeader') : t('summary.firstRowData')}
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
          {t('report.compacted')}
        </p>
      )}
      <ConflictTable
        title={t('count.conflicts')}
        rows={rows}
        columns={columns}
        more={moreConflictNotes(summary)}
        empty={t('report.noConflicts')}
        actions={rows.length > 0 ? <DownloadConflicts rows={rows} columns={columns} /> : null}
      />
    </div>
  );
}

/**
 * The columns of the conflicts CSV: the table's (object and objects last, as bare uids: others parse the file), then
 * the names Ferry knows — the object's name, and the message and the objects with "name (uid)" as the table shows them.
 */
export function conflictCsvColumns(columns: Column<DataConflictRow>[], names: Names): Column<DataConflictRow>[] {
  const t = i18n.t;
  return [
    ...columns.filter((c) => c.key !== 'object'),
    { key: 'object', label: t('components:col.object'), text: (r) => r.object },
    { key: 'objects', label: t('components:col.objects'), text: (r) => r.objects },
    { key: 'objectName', label: t('components:col.objectName'), text: (r) => (r.object && names.get(r.object)?.name) || '' },
    { key: 'messageNamed', label: t('components:col.messageWithNames'), text: (r) => withNames(r.value, names) },
    { key: 'objectsNamed', label: t('components:col.objectsWithNames'), text: (r) => withNames(r.objects, names) },
  ];
}

function DownloadConflicts({ rows, columns }: { rows: DataConflictRow[]; columns: Column<DataConflictRow>[] }) {
  const { t } = useTranslation('components');
  const [msg, setMsg] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  // in a browser (ferry serve) the file is written in Ferry's own folder and downloaded through a link
  const capabilities = useApp((a) => a.capabilities);
  const browser = usesTransfers(capabilities) && !capabilities.includes('files:dialogs');
  const [written, setWritten] = useState<string | null>(null);
  const download = async (): Promise<void> => {
    setMsg(null);
    setWritten(null);
    try {
      const { path } = await invoke('dialog:saveFile', { title: t('summary.saveConflictsAs'), defaultName: `ferry-conflicts-${new Date().toISOString().slice(0, 10)}.csv` });
      if (!path) return;
      // the names of every row's uids, 1,000 uids a call (names are a help: without them the name columns stay empty)
      const names = await fetchNames(rows.flatMap((r) => [r.object, ...uidsIn(r.objects), ...uidsIn(r.value)])).catch((): Names => new Map());
      await invoke('files:writeText', { path, text: toCsv(rows, conflictCsvColumns(columns, names)) });
      if (browser) setWritten(path);
      else setMsg({ kind: 'success', text: t('summary.savedConflicts', { count: rows.length, path }) });
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void download()} data-test="download-conflicts">
        {t('summary.downloadConflicts')}
      </button>
      {msg && <Notice kind={msg.kind}>{msg.text}</Notice>}
      {written && <DownloadExport file={written} />}
    </>
  );
}
