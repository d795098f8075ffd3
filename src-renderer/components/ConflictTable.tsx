/**
 * A filterable table of conflicts (or any rows), one page at a time (`pageSize` rows, Previous/Next). Where the columns
 * have an error code (`errorCode`) and an object (`object` or `uid`), the rows can be grouped by the two: one line per
 * code and object with how many conflicts it stands for (the default when there is more than a page).
 */
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { fmtNumber } from './format.ts';
import { NamesProvider, TextWithNames, uidsIn, useAllNames, useMetadataNames } from './Names.tsx';

export interface Column<R> {
  key: string;
  label: string;
  /** the cell's plain text (used for filtering and the CSV download) */
  text: (r: R) => string;
  render?: (r: R) => ReactNode;
  className?: string;
  /** the uids of the cell whose names the table looks up (the rows of the page shown); see Names.tsx */
  uids?: (r: R) => string[];
  /** the cell's text holds uids (a message): shown with the names Ferry knows, "name (uid)" */
  named?: boolean;
}

/** Rows shown at once unless the caller says otherwise. */
export const PAGE_SIZE = 50;

interface Group<R> {
  key: string;
  first: R;
  count: number;
}

/** Rows grouped by code and object, in order of first appearance (biggest groups are not moved first: file order). */
export function groupRows<R>(rows: R[], code: Column<R>, object: Column<R>): Group<R>[] {
  const groups = new Map<string, Group<R>>();
  for (const r of rows) {
    const key = `${code.text(r)}\u0000${object.text(r)}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { key, first: r, count: 1 });
  }
  return [...groups.values()];
}

export function ConflictTable<R>(p: {
  title: string;
  rows: R[];
  columns: Column<R>[];
  /** rows per page (default PAGE_SIZE) */
  pageSize?: number;
  /** @deprecated the page size (kept for callers that set it) */
  limit?: number;
  /** extra buttons (e.g. Download conflicts) */
  actions?: ReactNode;
  empty?: string;
  testId?: string;
  description?: ReactNode;
  /**
   * conflicts the summary counts but does not list (Ferry's cap): added to the count, told below the table — in `text`
   * (the whole line, in the chosen language) or as "… and {count} more {label}"
   */
  more?: { label: string; count: number; text?: string }[];
}) {
  const { t } = useTranslation('components');
  const [filter, setFilter] = useState('');
  const id = useId();
  const size = Math.max(1, p.pageSize ?? p.limit ?? PAGE_SIZE);
  const more = (p.more ?? []).filter((m) => m.count > 0);
  const all = p.rows.length + more.reduce((n, m) => n + m.count, 0);
  const codeCol = p.columns.find((c) => c.key === 'errorCode');
  const objectCol = p.columns.find((c) => c.key === 'object') ?? p.columns.find((c) => c.key === 'uid');
  const messageCol = p.columns.find((c) => c.key === 'message') ?? p.columns.find((c) => c.key === 'value');
  const canGroup = !!codeCol && !!objectCol;
  const [grouped, setGrouped] = useState(canGroup && p.rows.length > size);
  const [page, setPage] = useState(0);
  // printed (window.print, the desktop app's Save as PDF: see ReportActions) the table holds every listed line
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    const before = (): void => flushSync(() => setPrinting(true));
    const after = (): void => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  // The filter matches the cells' text and the names Ferry knows for the rows' uids ("ANC 4th" finds the rows naming
  // DeAnc400001). Nothing is asked until a filter is typed; then the names of every listed row's uids, once per list
  // (fetchNames: 1,000 uids a call — a summary lists at most SUMMARY_LIMITS.total conflicts, the rest are counted), and
  // each keystroke matches precomputed folded texts (no query per keystroke): case and accents aside, "unite" finds
  // "Unité", as on a keyboard without accents.
  const f = fold(filter.trim());
  const [searching, setSearching] = useState(false);
  if (f && !searching) setSearching(true);
  const rowUids = useMemo(() => (searching ? p.rows.map((r) => uidsOfRow(r, p.columns)) : null), [searching, p.rows, p.columns]);
  const allUids = useMemo(() => (rowUids ? rowUids.flat() : null), [rowUids]);
  const allNames = useAllNames(allUids);
  const haystacks = useMemo(
    () =>
      searching
        ? p.rows.map((r, i) => {
            const names = (rowUids?.[i] ?? []).map((u) => allNames.get(u)?.name).filter((n): n is string => !!n);
            return fold([...p.columns.map((c) => c.text(r)), ...names].join('\u0000'));
          })
        : null,
    [searching, p.rows, p.columns, rowUids, allNames],
  );
  const shown = useMemo(() => {
    if (!f || !haystacks) return p.rows;
    return p.rows.filter((_, i) => haystacks[i]!.includes(f));
  }, [f, p.rows, haystacks]);
  const groups = useMemo(() => (grouped && codeCol && objectCol ? groupRows(shown, codeCol, objectCol) : null), [grouped, shown, codeCol, objectCol]);
  const lines = groups ? groups.length : shown.length;
  const pages = Math.max(1, Math.ceil(lines / size));
  // a new filter, view or list starts at the first page
  useEffect(() => setPage(0), [filter, grouped, p.rows.length]);
  const at = Math.min(page, pages - 1);
  const from = printing ? 0 : at * size;
  const to = printing ? lines : Math.min(lines, from + size);
  const cell = (c: Column<R>, r: R): ReactNode => (c.render ? c.render(r) : c.named ? <TextWithNames text={c.text(r)} /> : c.text(r));
  // the names of the uids on the page shown (one lookup per page)
  const pageRows = useMemo(() => (groups ? groups.slice(from, to).map((g) => g.first) : shown.slice(from, to)), [groups, shown, from, to]);
  const pageUids = useMemo(() => pageRows.flatMap((r) => uidsOfRow(r, p.columns)), [pageRows, p.columns]);
  const names = useMetadataNames(pageUids);
  return (
    <section className="conflicts" data-test={p.testId ?? 'conflict-table'}>
      <div className="table-head">
        <h3>
          {p.title} <span className="count">({fmtNumber(all)})</span>
        </h3>
        <div className="table-tools">
          <label htmlFor={id} className="sr-only">
            {t('table.filterLabel', { what: p.title.toLowerCase() })}
          </label>
          <input
            id={id}
            type="search"
            placeholder={t('table.filterPlaceholder')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            data-test="conflict-filter"
          />
          {canGroup && p.rows.length > 0 && (
            <div className="button-row left" role="group" aria-label={t('table.showAs', { what: p.title.toLowerCase() })}>
              <button type="button" className={`chip${grouped ? '' : ' on'}`} aria-pressed={!grouped} onClick={() => setGrouped(false)} data-test="conflict-view-rows">
                {t('table.eachOne')}
              </button>
              <button type="button" className={`chip${grouped ? ' on' : ''}`} aria-pressed={grouped} onClick={() => setGrouped(true)} data-test="conflict-view-grouped">
                {t('table.grouped')}
              </button>
            </div>
          )}
          {p.actions}
        </div>
      </div>
      {p.description && <p className="muted">{p.description}</p>}
      {p.rows.length === 0 && more.length === 0 ? (
        <p className="muted">{p.empty ?? t('table.none')}</p>
      ) : p.rows.length === 0 ? null : (
        <>
          <NamesProvider names={names}>
            <div className="table-scroll">
              {groups && codeCol && objectCol ? (
                <table className="table" data-test="conflict-groups">
                  <thead>
                    <tr>
                      <th scope="col">{codeCol.label}</th>
                      <th scope="col">{objectCol.label}</th>
                      <th scope="col" className="num">
                        {t('table.listed')}
                      </th>
                      {messageCol && <th scope="col">{t('table.theFirst', { label: messageCol.label })}</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {groups.slice(from, to).map((g) => (
                      <tr key={g.key} data-code={codeCol.text(g.first)}>
                        <td>{cell(codeCol, g.first)}</td>
                        <td>{cell(objectCol, g.first)}</td>
                        <td className="num" data-col="count">
                          {fmtNumber(g.count)}
                        </td>
                        {messageCol && <td>{cell(messageCol, g.first)}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <table className="table">
                  <thead>
                    <tr>
                      {p.columns.map((c) => (
                        <th key={c.key} scope="col" className={c.className}>
                          {c.label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {shown.slice(from, to).map((r, i) => (
                      <tr key={from + i}>
                        {p.columns.map((c) => (
                          <td key={c.key} className={c.className}>
                            {cell(c, r)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </NamesProvider>
          <div className="table-foot">
            <p className="muted small" aria-live="polite" data-test="conflict-page">
              {lines === 0
                ? t('table.noMatch')
                : t(groups ? 'table.groupsRange' : 'table.rowsRange', { from: fmtNumber(from + 1), to: fmtNumber(to), total: fmtNumber(lines) }) +
                  (filter ? ` ${t('table.matching', { shown: fmtNumber(shown.length), all: fmtNumber(p.rows.length) })}` : '')}
            </p>
            {pages > 1 && (
              <div className="button-row left" role="group" aria-label={t('table.pages')}>
                <button type="button" className="button small" disabled={at === 0} onClick={() => setPage(at - 1)} data-test="conflict-prev">
                  {t('table.previous')}
                </button>
                <span className="muted small">
                  {t('table.page', { n: fmtNumber(at + 1), pages: fmtNumber(pages) })}
                </span>
                <button type="button" className="button small" disabled={at >= pages - 1} onClick={() => setPage(at + 1)} data-test="conflict-next">
                  {t('table.next')}
                </button>
              </div>
            )}
          </div>
        </>
      )}
      {more.length > 0 && (
        <ul className="muted small" data-test="more-conflicts">
          {more.map((m) => (
            <li key={m.label}>
              {m.text ?? t('table.more', { n: fmtNumber(m.count), label: m.label })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A text for matching: lower case, without accents (é → e, ç → c), a typographic apostrophe as a straight one. */
function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[\u2018\u2019]/g, "'").toLowerCase();
}

/** The uids of a row whose names the table shows: its columns' `uids` and the uids inside its `named` texts. */
function uidsOfRow<R>(r: R, columns: Column<R>[]): string[] {
  return columns.flatMap((c) => [...(c.uids?.(r) ?? []), ...(c.named ? uidsIn(c.text(r)) : [])]);
}

/** CSV text (RFC 4180, CRLF) of rows through the columns' text. */
export function toCsv<R>(rows: R[], columns: Column<R>[]): string {
  const esc = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [columns.map((c) => esc(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => esc(c.text(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}
