/** A filterable table of conflicts (or any rows), showing at most `limit` rows at once. */
import { useId, useMemo, useState, type ReactNode } from 'react';
import { fmtNumber } from './format.ts';

export interface Column<R> {
  key: string;
  label: string;
  /** the cell's plain text (used for filtering and the CSV download) */
  text: (r: R) => string;
  render?: (r: R) => ReactNode;
  className?: string;
}

export function ConflictTable<R>(p: {
  title: string;
  rows: R[];
  columns: Column<R>[];
  limit?: number;
  /** extra buttons (e.g. Download conflicts) */
  actions?: ReactNode;
  empty?: string;
  testId?: string;
  description?: ReactNode;
  /** conflicts the summary counts but does not list (Ferry's cap): added to the count, told below the table */
  more?: { label: string; count: number }[];
}) {
  const [filter, setFilter] = useState('');
  const id = useId();
  const limit = p.limit ?? 500;
  const more = (p.more ?? []).filter((m) => m.count > 0);
  const all = p.rows.length + more.reduce((n, m) => n + m.count, 0);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    if (!f) return p.rows;
    return p.rows.filter((r) => p.columns.some((c) => c.text(r).toLowerCase().includes(f)));
  }, [filter, p.rows, p.columns]);
  return (
    <section className="conflicts" data-test={p.testId ?? 'conflict-table'}>
      <div className="table-head">
        <h3>
          {p.title} <span className="count">({fmtNumber(all)})</span>
        </h3>
        <div className="table-tools">
          <label htmlFor={id} className="sr-only">
            Filter {p.title.toLowerCase()}
          </label>
          <input
            id={id}
            type="search"
            placeholder="Filter…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            data-test="conflict-filter"
          />
          {p.actions}
        </div>
      </div>
      {p.description && <p className="muted">{p.description}</p>}
      {p.rows.length === 0 && more.length === 0 ? (
        <p className="muted">{p.empty ?? 'None.'}</p>
      ) : p.rows.length === 0 ? null : (
        <>
          <div className="table-scroll">
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
                {shown.slice(0, limit).map((r, i) => (
                  <tr key={i}>
                    {p.columns.map((c) => (
                      <td key={c.key} className={c.className}>
                        {c.render ? c.render(r) : c.text(r)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small" aria-live="polite">
            {filter ? `${fmtNumber(shown.length)} of ${fmtNumber(p.rows.length)} match the filter.` : ''}
            {shown.length > limit ? ` Showing the first ${fmtNumber(limit)}; narrow the filter to see others.` : ''}
          </p>
        </>
      )}
      {more.length > 0 && (
        <ul className="muted small" data-test="more-conflicts">
          {more.map((m) => (
            <li key={m.label}>
              … and {fmtNumber(m.count)} more {m.label}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** CSV text (RFC 4180, CRLF) of rows through the columns' text. */
export function toCsv<R>(rows: R[], columns: Column<R>[]): string {
  const esc = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [columns.map((c) => esc(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => esc(c.text(r))).join(','));
  return lines.join('\r\n') + '\r\n';
}
