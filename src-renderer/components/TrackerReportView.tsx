/**
 * The summaries of an event / tracker import: DHIS2's tracker ImportReport (tracker files: counts per tracker type,
 * the Reports table — UID, error code, message, tracker type — with the file line of each object) and ImportSummaries
 * (old events files: counts, then the events that were not imported with their conflicts and lines).
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { TrackerErrorReport, TrackerImportReport, TrackerType } from '../../src-shared/dhis2/tracker.ts';
import { i18n } from '../i18n.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import { ConflictTable, type Column } from './ConflictTable.tsx';
import { fmtNumber } from './format.ts';
import { NamedUid } from './Names.tsx';
import { reportCounts } from './ImportReportView.tsx';
import { countsText } from './ImportSummaryView.tsx';
import { DryRunTag, StatusTag } from './StatusTag.tsx';

function typeLabel(t: TFunction<'components'>, type: TrackerType): string {
  switch (type) {
    case 'TRACKED_ENTITY':
      return t('tracker.type.TRACKED_ENTITY');
    case 'ENROLLMENT':
      return t('tracker.type.ENROLLMENT');
    case 'EVENT':
      return t('tracker.type.EVENT');
    case 'RELATIONSHIP':
      return t('tracker.type.RELATIONSHIP');
  }
}
const TYPES: TrackerType[] = ['TRACKED_ENTITY', 'ENROLLMENT', 'EVENT', 'RELATIONSHIP'];

function reportColumns(t: TFunction<'components'>): Column<TrackerErrorReport>[] {
  return [
    { key: 'line', label: t('col.line'), text: (r) => (r.line !== undefined ? String(r.line) : ''), className: 'num' },
    { key: 'uid', label: 'UID', text: (r) => r.uid, uids: (r) => [r.uid], render: (r) => <NamedUid uid={r.uid} /> },
    { key: 'errorCode', label: t('col.errorCode'), text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
    { key: 'message', label: t('col.message'), text: (r) => r.message, named: true },
    { key: 'trackerType', label: t('col.trackerType'), text: (r) => r.trackerType },
  ];
}

const counts = reportCounts;

export function trackerHeadline(r: TrackerImportReport, dryRun: boolean): string {
  // a dry run's own counts are DHIS2's zeros: what the import would give is in wouldBe
  const s = r.wouldBe?.stats ?? r.stats;
  const c = counts(s.created, s.updated, s.deleted, s.ignored);
  const errors = r.validationReport.errorReports.length + Object.values(r.moreErrorReports ?? {}).reduce((a, b) => a + b, 0);
  const t = i18n.t;
  if (r.status === 'ERROR') return dryRun ? t('components:tracker.dryRunErrors', { count: errors, counts: c }) : t('components:tracker.refused', { counts: c });
  const tail = errors ? ` ${t('components:tracker.leftOut', { count: errors })}` : '';
  return (dryRun ? t('components:report.dryRunDone', { counts: c }) : t('components:report.finished', { counts: c })) + tail;
}

export function TrackerReportView({ report, dryRun }: { report: TrackerImportReport; dryRun: boolean }) {
  const { t, i18n: lang } = useTranslation('components');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => reportColumns(t), [t, lang.language]);
  const s = report.wouldBe?.stats ?? report.stats;
  const map = report.wouldBe?.typeReportMap ?? report.bundleReport?.typeReportMap ?? {};
  const more = Object.entries(report.moreErrorReports ?? {}).map(([code, n]) => ({ label: code, count: n, text: t('tracker.moreReports', { count: n, code }) }));
  const errorCount = report.validationReport.errorReports.length + more.reduce((a, m) => a + m.count, 0);
  return (
    <div className="summary" data-test="tracker-report">
      <div className="summary-head">
        <StatusTag status={report.status} />
        {/* DHIS2 says OK in atomic mode OBJECT even when objects were left out: the errors get a tag of their own */}
        {report.status !== 'ERROR' && errorCount > 0 && (
          <span className="tag tag-warning" data-test="error-count-tag">
            {t('tracker.errorTag', { count: errorCount })}
          </span>
        )}
        {dryRun && <DryRunTag />}
        <p className="headline" data-test="summary-headline">
          {trackerHeadline(report, dryRun)}
        </p>
      </div>
      <table className="table counts" data-test="type-counts">
        <thead>
          <tr>
            <th scope="col">{t('col.type')}</th>
            <th scope="col" className="num">{t('count.created')}</th>
            <th scope="col" className="num">{t('count.deleted')}</th>
            <th scope="col" className="num">{t('count.ignored')}</th>
            <th scope="col" className="num">{t('count.updated')}</th>
            <th scope="col" className="num">{t('count.total')}</th>
          </tr>
        </thead>
        <tbody>
          {TYPES.filter((type) => (map[type]?.stats.total ?? 0) > 0).map((type) => {
            const st = map[type]!.stats;
            return (
              <tr key={type} data-type={type}>
                <th scope="row">{typeLabel(t, type)}</th>
                <td className="num" data-col="created">{fmtNumber(st.created)}</td>
                <td className="num" data-col="deleted">{fmtNumber(st.deleted)}</td>
                <td className="num" data-col="ignored">{fmtNumber(st.ignored)}</td>
                <td className="num" data-col="updated">{fmtNumber(st.updated)}</td>
                <td className="num" data-col="total">{fmtNumber(st.total)}</td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr data-type="total">
            <th scope="row">{t('tracker.all')}</th>
            <td className="num" data-col="created">{fmtNumber(s.created)}</td>
            <td className="num" data-col="deleted">{fmtNumber(s.deleted)}</td>
            <td className="num" data-col="ignored">{fmtNumber(s.ignored)}</td>
            <td className="num" data-col="updated">{fmtNumber(s.updated)}</td>
            <td className="num" data-col="total">{fmtNumber(s.total)}</td>
          </tr>
        </tfoot>
      </table>
      <ConflictTable title={t('tracker.reports')} rows={report.validationReport.errorReports} columns={columns} empty={t('tracker.noErrors')} more={more} testId="tracker-errors" />
      {report.validationReport.warningReports.length > 0 && (
        <ConflictTable title={t('tracker.warnings')} rows={report.validationReport.warningReports} columns={columns} testId="tracker-warnings" />
      )}
    </div>
  );
}

interface SummaryRow {
  line?: number;
  event: string;
  errorCode: string;
  message: string;
}

function summaryColumns(t: TFunction<'components'>): Column<SummaryRow>[] {
  return [
    { key: 'line', label: t('col.line'), text: (r) => (r.line !== undefined ? String(r.line) : ''), className: 'num' },
    { key: 'event', label: t('col.event'), text: (r) => r.event, render: (r) => <code className="uid">{r.event}</code> },
    { key: 'errorCode', label: t('col.errorCode'), text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
    { key: 'message', label: t('col.message'), text: (r) => r.message, named: true },
  ];
}

export function EventSummariesView({ summaries, dryRun }: { summaries: EventImportSummaries; dryRun: boolean }) {
  const { t, i18n: lang } = useTranslation('components');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const columns = useMemo(() => summaryColumns(t), [t, lang.language]);
  const s = summaries;
  const rows: SummaryRow[] = s.importSummaries
    .filter((x) => x.status === 'ERROR')
    .flatMap((x) => x.conflicts.map((c) => ({ ...(x.line !== undefined ? { line: x.line } : {}), event: x.reference ?? c.object, errorCode: c.errorCode ?? '', message: c.value })));
  const c = countsText(s);
  const headline = dryRun ? t('report.dryRunDone', { counts: c }) : t('report.finished', { counts: c });
  return (
    <div className="summary" data-test="event-summaries">
      <div className="summary-head">
        <StatusTag status={s.status} />
        {dryRun && <DryRunTag />}
        <p className="headline" data-test="summary-headline">
          {headline}
        </p>
      </div>
      <table className="table counts" data-test="type-counts">
        <thead>
          <tr>
            <th scope="col">{t('tracker.type.EVENT')}</th>
            <th scope="col" className="num">{t('count.imported')}</th>
            <th scope="col" className="num">{t('count.deleted')}</th>
            <th scope="col" className="num">{t('count.ignored')}</th>
            <th scope="col" className="num">{t('count.updated')}</th>
            <th scope="col" className="num">{t('count.total')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-type="EVENT">
            <th scope="row">{t('tracker.all')}</th>
            <td className="num" data-col="imported">{fmtNumber(s.imported)}</td>
            <td className="num" data-col="deleted">{fmtNumber(s.deleted)}</td>
            <td className="num" data-col="ignored">{fmtNumber(s.ignored)}</td>
            <td className="num" data-col="updated">{fmtNumber(s.updated)}</td>
            <td className="num" data-col="total">{fmtNumber(s.total)}</td>
          </tr>
        </tbody>
      </table>
      <ConflictTable
        title={t('events.notImported')}
        rows={rows}
        columns={columns}
        empty={t('events.allImported')}
        more={[{ label: 'events', count: s.moreImportSummaries?.ERROR ?? 0, text: t('events.more', { count: s.moreImportSummaries?.ERROR ?? 0 }) }]}
        testId="event-conflicts"
      />
    </div>
  );
}
