/** Metadata import summary (DHIS2 ImportReport): counts, per-type table, conflicts, unknown keys, missing references. */
import type { ErrorReport, ImportReport, MissingReference } from '../../src-shared/dhis2/import-summary.ts';
import { ConflictTable, type Column } from './ConflictTable.tsx';
import { fmtNumber, typeLabel } from './format.ts';
import { NamedUid, useNameOf } from './Names.tsx';
import { DryRunTag, StatusTag } from './StatusTag.tsx';

export interface MetadataConflictRow {
  type: string;
  name: string;
  uid: string;
  property: string;
  errorCode: string;
  message: string;
  value: string;
  /** CSV metadata: the line of the file the object came from */
  line?: number;
}

export function metadataConflictRows(r: ImportReport): MetadataConflictRow[] {
  const rows: MetadataConflictRow[] = [];
  for (const tr of r.typeReports ?? []) {
    for (const or of tr.objectReports ?? []) {
      for (const er of or.errorReports ?? []) rows.push({ ...row(tr.klass, or.displayName, or.uid ?? er.mainId, er), ...(or.line !== undefined ? { line: or.line } : {}) });
    }
  }
  return rows;
}

/** The object's name when the report has no displayName: DHIS2's message args read "Name [uid] (Klass)". */
function nameFromArgs(uid: string | undefined, er: ErrorReport): string {
  if (!uid) return '';
  for (const a of [...(er.args ?? []), er.message]) {
    const i = a.indexOf(` [${uid}]`);
    if (i > 0) {
      const before = a.slice(0, i);
      const start = Math.max(before.lastIndexOf('object ') >= 0 ? before.lastIndexOf('object ') + 7 : 0, 0);
      return before.slice(start).trim();
    }
  }
  return '';
}

function row(klass: string, name: string | undefined, uid: string | undefined, er: ErrorReport): MetadataConflictRow {
  return {
    type: typeLabel(er.mainKlass || klass),
    name: name ?? nameFromArgs(uid, er),
    uid: uid ?? '',
    property: er.errorProperty ?? er.errorProperties?.join(', ') ?? '',
    errorCode: er.errorCode,
    message: er.message,
    value: er.value ?? '',
  };
}

const CONFLICT_COLUMNS: Column<MetadataConflictRow>[] = [
  { key: 'type', label: 'Type', text: (r) => r.type },
  {
    key: 'object',
    label: 'Object',
    text: (r) => `${r.name} ${r.uid}${r.line !== undefined ? ` (line ${r.line})` : ''}`.trim(),
    uids: (r) => (r.uid && !r.name ? [r.uid] : []),
    render: (r) => <MetadataObjectCell row={r} />,
  },
  { key: 'property', label: 'Property', text: (r) => r.property },
  { key: 'errorCode', label: 'Error code', text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
  { key: 'message', label: 'Message', text: (r) => r.message, named: true },
  { key: 'value', label: 'Value', text: (r) => r.value, render: (r) => (r.value ? <code>{r.value}</code> : '') },
];

/** The object of a conflict: its name (the report's, else the one Ferry knows), its uid, its line. */
function MetadataObjectCell({ row: r }: { row: MetadataConflictRow }) {
  const known = useNameOf(r.name ? undefined : r.uid);
  const name = r.name || known;
  return (
    <>
      {name && <div>{name}</div>}
      {r.uid && <code className="uid">{r.uid}</code>}
      {r.line !== undefined && <div className="muted small">line {r.line}</div>}
    </>
  );
}

const MISSING_COLUMNS: Column<MissingReference>[] = [
  { key: 'type', label: 'Type', text: (r) => typeLabel(r.type) },
  { key: 'object', label: 'Object', text: (r) => `${r.name ?? ''} ${r.uid}`.trim(), render: (r) => (<>{r.name && <div>{r.name}</div>}<code className="uid">{r.uid}</code></>) },
  { key: 'property', label: 'Property', text: (r) => r.property },
  { key: 'targetType', label: 'Refers to (type)', text: (r) => typeLabel(r.targetType) },
  { key: 'target', label: 'Missing object', text: (r) => r.target, uids: (r) => [r.target], render: (r) => <NamedUid uid={r.target} /> },
];

export function headline(r: ImportReport, dryRun: boolean): string {
  const s = r.stats;
  const counts = `${fmtNumber(s.created)} created, ${fmtNumber(s.updated)} updated, ${fmtNumber(s.deleted)} deleted, ${fmtNumber(s.ignored)} ignored`;
  if (dryRun) {
    return r.status === 'ERROR'
      ? `Dry run found problems: nothing was changed. The import would give: ${counts}.`
      : `Dry run finished: nothing was changed. The import would give: ${counts}.`;
  }
  if (r.status === 'ERROR' && s.created + s.updated + s.deleted === 0) return `The import was refused: nothing was changed (${counts}).`;
  return `Import finished: ${counts}.`;
}

/** Error reports the report counts but does not list (Ferry caps what a report holds), one note per error code. */
export function moreErrorNotes(r: ImportReport): { label: string; count: number }[] {
  return Object.entries(r.moreErrorReports ?? {}).map(([code, n]) => ({ label: `${n === 1 ? 'conflict' : 'conflicts'} of this kind (${code}), not listed`, count: n }));
}

export function ImportReportView({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const conflicts = metadataConflictRows(report);
  const s = report.stats;
  return (
    <div className="summary" data-test="import-report">
      <div className="summary-head">
        <StatusTag status={report.status} />
        {dryRun && <DryRunTag />}
        <p className="headline" data-test="summary-headline">
          {headline(report, dryRun)}
        </p>
      </div>
      <table className="table counts" data-test="type-counts">
        <thead>
          <tr>
            <th scope="col">Object type</th>
            <th scope="col" className="num">Created</th>
            <th scope="col" className="num">Updated</th>
            <th scope="col" className="num">Deleted</th>
            <th scope="col" className="num">Ignored</th>
            <th scope="col" className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {(report.typeReports ?? []).map((t) => (
            <tr key={t.klass} data-type={t.klass}>
              <th scope="row">{typeLabel(t.klass)}</th>
              <td className="num" data-col="created">{fmtNumber(t.stats.created)}</td>
              <td className="num" data-col="updated">{fmtNumber(t.stats.updated)}</td>
              <td className="num" data-col="deleted">{fmtNumber(t.stats.deleted)}</td>
              <td className="num" data-col="ignored">{fmtNumber(t.stats.ignored)}</td>
              <td className="num" data-col="total">{fmtNumber(t.stats.total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-type="total">
            <th scope="row">All types</th>
            <td className="num" data-col="created">{fmtNumber(s.created)}</td>
            <td className="num" data-col="updated">{fmtNumber(s.updated)}</td>
            <td className="num" data-col="deleted">{fmtNumber(s.deleted)}</td>
            <td className="num" data-col="ignored">{fmtNumber(s.ignored)}</td>
            <td className="num" data-col="total">{fmtNumber(s.total)}</td>
          </tr>
        </tfoot>
      </table>
      {report.warnings && report.warnings.length > 0 && (
        <section data-test="report-warnings">
          <h3>Please note</h3>
          <ul>
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
      {report.compacted && (
        <p className="muted" data-test="compacted-note">
          An older job: the job history keeps its counts, not its list of conflicts.
        </p>
      )}
      <ConflictTable title="Conflicts" rows={conflicts} columns={CONFLICT_COLUMNS} empty="No conflicts." more={moreErrorNotes(report)} />
      {report.unknownKeys && report.unknownKeys.length > 0 && (
        <section data-test="unknown-keys">
          <h3>Parts of the file that were skipped ({report.unknownKeys.length + (report.moreUnknownKeys ?? 0)})</h3>
          <p className="muted">These top-level keys are not metadata types, so nothing in them was imported:</p>
          <ul className="inline-list">
            {report.unknownKeys.map((k) => (
              <li key={k}>
                <code>{k}</code>
              </li>
            ))}
            {(report.moreUnknownKeys ?? 0) > 0 && <li className="muted">… and {fmtNumber(report.moreUnknownKeys ?? 0)} more</li>}
          </ul>
        </section>
      )}
      {report.missingReferences && report.missingReferences.length > 0 && (
        <ConflictTable
          title="Missing references"
          rows={report.missingReferences}
          columns={MISSING_COLUMNS}
          testId="missing-references"
          more={[{ label: 'missing references, not listed', count: report.moreMissingReferences ?? 0 }]}
          description="These objects were imported although they refer to objects that are neither in the file nor in the database. Fix or import the missing objects later."
        />
      )}
    </div>
  );
}
