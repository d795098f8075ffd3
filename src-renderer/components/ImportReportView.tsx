/** Metadata import summary (DHIS2 ImportReport): counts, per-type table, conflicts, unknown keys, missing references. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ErrorReport, ImportReport, MissingReference } from '../../src-shared/dhis2/import-summary.ts';
import { ConflictTable, type Column } from './ConflictTable.tsx';
import { fmtNumber, typeLabel } from './format.ts';
import { NamedUid, useNameOf } from './Names.tsx';
import { i18n } from '../i18n.ts';
import { errorText } from '../api.ts';
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

function conflictColumns(t: TFunction<'components'>): Column<MetadataConflictRow>[] {
  return [
    { key: 'type', label: t('col.type'), text: (r) => r.type },
    {
      key: 'object',
      label: t('col.object'),
      text: (r) => `${r.name} ${r.uid}${r.line !== undefined ? ` (${t('report.lineN', { n: r.line })})` : ''}`.trim(),
      uids: (r) => (r.uid && !r.name ? [r.uid] : []),
      render: (r) => <MetadataObjectCell row={r} />,
    },
    { key: 'property', label: t('col.property'), text: (r) => r.property },
    { key: 'errorCode', label: t('col.errorCode'), text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
    { key: 'message', label: t('col.message'), text: (r) => r.message, named: true },
    { key: 'value', label: t('col.value'), text: (r) => r.value, render: (r) => (r.value ? <code>{r.value}</code> : '') },
  ];
}

/** The object of a conflict: its name (the report's, else the one Ferry knows), its uid, its line. */
function MetadataObjectCell({ row: r }: { row: MetadataConflictRow }) {
  const { t } = useTranslation('components');
  const known = useNameOf(r.name ? undefined : r.uid);
  const name = r.name || known;
  return (
    <>
      {name && <div>{name}</div>}
      {r.uid && <code className="uid">{r.uid}</code>}
      {r.line !== undefined && <div className="muted small">{t('report.lineN', { n: r.line })}</div>}
    </>
  );
}

function missingColumns(t: TFunction<'components'>): Column<MissingReference>[] {
  return [
    { key: 'type', label: t('col.type'), text: (r) => typeLabel(r.type) },
    {
      key: 'object',
      label: t('col.object'),
      text: (r) => `${r.name ?? ''} ${r.uid}`.trim(),
      render: (r) => (
        <>
          {r.name && <div>{r.name}</div>}
          <code className="uid">{r.uid}</code>
        </>
      ),
    },
    { key: 'property', label: t('col.property'), text: (r) => r.property },
    { key: 'targetType', label: t('col.refersTo'), text: (r) => typeLabel(r.targetType) },
    { key: 'target', label: t('col.missingObject'), text: (r) => r.target, uids: (r) => [r.target], render: (r) => <NamedUid uid={r.target} /> },
  ];
}

/** The counts of a metadata or tracker import in words ("1 created, 0 updated, 0 deleted, 2 ignored"), each by its plural. */
export function reportCounts(created: number, updated: number, deleted: number, ignored: number): string {
  const t = i18n.t;
  return t('components:report.counts', {
    created: t('components:n.created', { count: created }),
    updated: t('components:n.updated', { count: updated }),
    deleted: t('components:n.deleted', { count: deleted }),
    ignored: t('components:n.ignored', { count: ignored }),
  });
}

/** The headline of a metadata import, in the chosen language. */
export function headline(r: ImportReport, dryRun: boolean): string {
  const s = r.stats;
  const t = i18n.t;
  const counts = reportCounts(s.created, s.updated, s.deleted, s.ignored);
  if (dryRun) return r.status === 'ERROR' ? t('components:report.dryRunProblems', { counts }) : t('components:report.dryRunDone', { counts });
  if (r.status === 'ERROR' && s.created + s.updated + s.deleted === 0) return t('components:report.refused', { counts });
  return t('components:report.finished', { counts });
}

/** Error reports the report counts but does not list (Ferry caps what a report holds), one note per error code. */
export function moreErrorNotes(r: ImportReport): { label: string; count: number; text: string }[] {
  return Object.entries(r.moreErrorReports ?? {}).map(([code, n]) => ({ label: code, count: n, text: i18n.t('components:report.moreErrors', { count: n, code }) }));
}

export function ImportReportView({ report, dryRun }: { report: ImportReport; dryRun: boolean }) {
  const { t, i18n: lang } = useTranslation('components');
  const conflicts = metadataConflictRows(report);
  const s = report.stats;
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => conflictColumns(t), [t, lang.language]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const missing = useMemo(() => missingColumns(t), [t, lang.language]);
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
            <th scope="col">{t('report.objectType')}</th>
            <th scope="col" className="num">{t('count.created')}</th>
            <th scope="col" className="num">{t('count.updated')}</th>
            <th scope="col" className="num">{t('count.deleted')}</th>
            <th scope="col" className="num">{t('count.ignored')}</th>
            <th scope="col" className="num">{t('count.total')}</th>
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
            <th scope="row">{t('report.allTypes')}</th>
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
          <h3>{t('report.pleaseNote')}</h3>
          <ul>
            {report.warnings.map((w, i) => (
              <li key={`${i}:${w}`}>{errorText({ message: w, details: report.warningDetails?.[i] ?? {} })}</li>
            ))}
          </ul>
        </section>
      )}
      {report.compacted && (
        <p className="muted" data-test="compacted-note">
          {t('report.compacted')}
        </p>
      )}
      <ConflictTable title={t('count.conflicts')} rows={conflicts} columns={columns} empty={t('report.noConflicts')} more={moreErrorNotes(report)} />
      {report.unknownKeys && report.unknownKeys.length > 0 && (
        <section data-test="unknown-keys">
          <h3>{t('report.skipped', { n: fmtNumber(report.unknownKeys.length + (report.moreUnknownKeys ?? 0)) })}</h3>
          <p className="muted">{t('report.skippedWhy')}</p>
          <ul className="inline-list">
            {report.unknownKeys.map((k) => (
              <li key={k}>
                <code>{k}</code>
              </li>
            ))}
            {(report.moreUnknownKeys ?? 0) > 0 && <li className="muted">{t('report.andMore', { n: fmtNumber(report.moreUnknownKeys ?? 0) })}</li>}
          </ul>
        </section>
      )}
      {report.missingReferences && report.missingReferences.length > 0 && (
        <ConflictTable
          title={t('report.missingRefs')}
          rows={report.missingReferences}
          columns={missing}
          testId="missing-references"
          more={[{ label: 'missing', count: report.moreMissingReferences ?? 0, text: t('report.moreMissing', { count: report.moreMissingReferences ?? 0 }) }]}
          description={t('report.missingRefsWhy')}
        />
      )}
    </div>
  );
}
