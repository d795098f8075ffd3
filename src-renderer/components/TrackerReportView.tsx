/**
 * The summaries of an event / tracker import: DHIS2's tracker ImportReport (tracker files: counts per tracker type,
 * the Reports table — UID, error code, message, tracker type — with the file line of each object) and ImportSummaries
 * (old events files: counts, then the events that were not imported with their conflicts and lines).
 */
import type { TrackerErrorReport, TrackerImportReport, TrackerType } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import { ConflictTable, type Column } from './ConflictTable.tsx';
import { fmtNumber } from './format.ts';
import { NamedUid } from './Names.tsx';
import { DryRunTag, StatusTag } from './StatusTag.tsx';

const TYPE_LABELS: Record<TrackerType, string> = {
  TRACKED_ENTITY: 'Tracked entities',
  ENROLLMENT: 'Enrollments',
  EVENT: 'Events',
  RELATIONSHIP: 'Relationships',
};
const TYPES: TrackerType[] = ['TRACKED_ENTITY', 'ENROLLMENT', 'EVENT', 'RELATIONSHIP'];

const REPORT_COLUMNS: Column<TrackerErrorReport>[] = [
  { key: 'line', label: 'Line', text: (r) => (r.line !== undefined ? String(r.line) : ''), className: 'num' },
  { key: 'uid', label: 'UID', text: (r) => r.uid, uids: (r) => [r.uid], render: (r) => <NamedUid uid={r.uid} /> },
  { key: 'errorCode', label: 'Error code', text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
  { key: 'message', label: 'Message', text: (r) => r.message, named: true },
  { key: 'trackerType', label: 'Tracker type', text: (r) => r.trackerType },
];

function counts(created: number, updated: number, deleted: number, ignored: number): string {
  return `${fmtNumber(created)} created, ${fmtNumber(updated)} updated, ${fmtNumber(deleted)} deleted, ${fmtNumber(ignored)} ignored`;
}

export function trackerHeadline(r: TrackerImportReport, dryRun: boolean): string {
  // a dry run's own counts are DHIS2's zeros: what the import would give is in wouldBe
  const s = r.wouldBe?.stats ?? r.stats;
  const c = counts(s.created, s.updated, s.deleted, s.ignored);
  const errors = r.validationReport.errorReports.length + Object.values(r.moreErrorReports ?? {}).reduce((a, b) => a + b, 0);
  if (r.status === 'ERROR') {
    return dryRun
      ? `Dry run found ${fmtNumber(errors)} error(s): with atomic mode ALL the import would change nothing (${c}).`
      : `The import was refused: nothing was changed (${c}). With atomic mode ALL one error stops the whole file.`;
  }
  const tail = errors ? ` ${fmtNumber(errors)} error(s): those objects were left out.` : '';
  return dryRun ? `Dry run finished: nothing was changed. The import would give: ${c}.${tail}` : `Import finished: ${c}.${tail}`;
}

export function TrackerReportView({ report, dryRun }: { report: TrackerImportReport; dryRun: boolean }) {
  const s = report.wouldBe?.stats ?? report.stats;
  const map = report.wouldBe?.typeReportMap ?? report.bundleReport?.typeReportMap ?? {};
  const more = Object.entries(report.moreErrorReports ?? {}).map(([code, n]) => ({ label: `reports of this kind (${code}), not listed`, count: n }));
  const errorCount = report.validationReport.errorReports.length + more.reduce((a, m) => a + m.count, 0);
  return (
    <div className="summary" data-test="tracker-report">
      <div className="summary-head">
        <StatusTag status={report.status} />
        {/* DHIS2 says OK in atomic mode OBJECT even when objects were left out: the errors get a tag of their own */}
        {report.status !== 'ERROR' && errorCount > 0 && (
          <span className="tag tag-warning" data-test="error-count-tag">
            {fmtNumber(errorCount)} {errorCount === 1 ? 'error' : 'errors'}
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
            <th scope="col">Type</th>
            <th scope="col" className="num">Created</th>
            <th scope="col" className="num">Deleted</th>
            <th scope="col" className="num">Ignored</th>
            <th scope="col" className="num">Updated</th>
            <th scope="col" className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {TYPES.filter((t) => (map[t]?.stats.total ?? 0) > 0).map((t) => {
            const st = map[t]!.stats;
            return (
              <tr key={t} data-type={t}>
                <th scope="row">{TYPE_LABELS[t]}</th>
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
            <th scope="row">All</th>
            <td className="num" data-col="created">{fmtNumber(s.created)}</td>
            <td className="num" data-col="deleted">{fmtNumber(s.deleted)}</td>
            <td className="num" data-col="ignored">{fmtNumber(s.ignored)}</td>
            <td className="num" data-col="updated">{fmtNumber(s.updated)}</td>
            <td className="num" data-col="total">{fmtNumber(s.total)}</td>
          </tr>
        </tfoot>
      </table>
      <ConflictTable title="Reports" rows={report.validationReport.errorReports} columns={REPORT_COLUMNS} empty="No errors." more={more} testId="tracker-errors" />
      {report.validationReport.warningReports.length > 0 && (
        <ConflictTable title="Warnings" rows={report.validationReport.warningReports} columns={REPORT_COLUMNS} testId="tracker-warnings" />
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

const SUMMARY_COLUMNS: Column<SummaryRow>[] = [
  { key: 'line', label: 'Line', text: (r) => (r.line !== undefined ? String(r.line) : ''), className: 'num' },
  { key: 'event', label: 'Event', text: (r) => r.event, render: (r) => <code className="uid">{r.event}</code> },
  { key: 'errorCode', label: 'Error code', text: (r) => r.errorCode, render: (r) => <code>{r.errorCode}</code> },
  { key: 'message', label: 'Message', text: (r) => r.message, named: true },
];

export function EventSummariesView({ summaries, dryRun }: { summaries: EventImportSummaries; dryRun: boolean }) {
  const s = summaries;
  const rows: SummaryRow[] = s.importSummaries
    .filter((x) => x.status === 'ERROR')
    .flatMap((x) => x.conflicts.map((c) => ({ ...(x.line !== undefined ? { line: x.line } : {}), event: x.reference ?? c.object, errorCode: c.errorCode ?? '', message: c.value })));
  const c = counts(s.imported, s.updated, s.deleted, s.ignored).replace(' created', ' imported');
  const headline = dryRun ? `Dry run finished: nothing was changed. The import would give: ${c}.` : `Import finished: ${c}.`;
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
            <th scope="col">Events</th>
            <th scope="col" className="num">Imported</th>
            <th scope="col" className="num">Deleted</th>
            <th scope="col" className="num">Ignored</th>
            <th scope="col" className="num">Updated</th>
            <th scope="col" className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          <tr data-type="EVENT">
            <th scope="row">All</th>
            <td className="num" data-col="imported">{fmtNumber(s.imported)}</td>
            <td className="num" data-col="deleted">{fmtNumber(s.deleted)}</td>
            <td className="num" data-col="ignored">{fmtNumber(s.ignored)}</td>
            <td className="num" data-col="updated">{fmtNumber(s.updated)}</td>
            <td className="num" data-col="total">{fmtNumber(s.total)}</td>
          </tr>
        </tbody>
      </table>
      <ConflictTable
        title="Events not imported"
        rows={rows}
        columns={SUMMARY_COLUMNS}
        empty="Every event was imported."
        more={[{ label: 'events not imported, not listed', count: s.moreImportSummaries?.ERROR ?? 0 }]}
        testId="event-conflicts"
      />
    </div>
  );
}
