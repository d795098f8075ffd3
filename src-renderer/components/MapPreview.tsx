/**
 * The geometry dry run's map, drawn offline as SVG from the geometries themselves (no tiles): the parents' boundaries
 * from the database (dashed), each org unit's current geometry (grey) and new geometry (blue), and the features that
 * will not be applied (red). Org units whose new geometry lies far from their current one or outside their parent are
 * counted, so that swapped axes or a file of the wrong country show at a glance.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtNumber } from './format.ts';
import type { GeoGeometry, GeometryPreview, PreviewChange } from '../../src-shared/dhis2/geometry.ts';

type Box = [number, number, number, number];
const W = 640;
const H = 400;

function walkPositions(g: GeoGeometry, fn: (x: number, y: number) => void): void {
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') fn(c[0], c[1] as number);
    else for (const x of c) walk(x);
  };
  walk(g.coordinates);
}

export function boxOf(g: GeoGeometry | null | undefined): Box | null {
  if (!g) return null;
  let b: Box | null = null;
  walkPositions(g, (x, y) => {
    if (!b) b = [x, y, x, y];
    else b = [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)];
  });
  return b;
}

const centre = (b: Box): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
const inside = (b: Box, outer: Box): boolean => b[0] >= outer[0] && b[1] >= outer[1] && b[2] <= outer[2] && b[3] <= outer[3];

/** Changes that look wrong: moved more than `degrees` from the current geometry, or outside the parent's boundary box. */
export function suspicious(p: GeometryPreview, degrees = 0.5): { moved: PreviewChange[]; outsideParent: PreviewChange[] } {
  const parentBox = new Map(p.parents.map((x) => [x.uid, boxOf(x.geometry)]));
  const moved: PreviewChange[] = [];
  const outsideParent: PreviewChange[] = [];
  for (const c of p.changes) {
    const nb = boxOf(c.next);
    if (!nb) continue;
    const cb = boxOf(c.current);
    if (cb) {
      const [x1, y1] = centre(cb);
      const [x2, y2] = centre(nb);
      if (Math.hypot(x1 - x2, y1 - y2) > degrees) moved.push(c);
    }
    const pb = c.parent ? parentBox.get(c.parent) : null;
    if (pb && !inside(nb, [pb[0] - 0.05, pb[1] - 0.05, pb[2] + 0.05, pb[3] + 0.05])) outsideParent.push(c);
  }
  return { moved, outsideParent };
}

interface Projection {
  x(lon: number): number;
  y(lat: number): number;
}

function projection(bbox: Box): Projection {
  const [x0, y0, x1, y1] = bbox;
  const k = Math.max(0.2, Math.cos((((y0 + y1) / 2) * Math.PI) / 180));
  const dx = Math.max((x1 - x0) * k, 1e-6);
  const dy = Math.max(y1 - y0, 1e-6);
  const s = Math.min((W - 20) / dx, (H - 20) / dy);
  const ox = (W - dx * s) / 2;
  const oy = (H - dy * s) / 2;
  return { x: (lon) => ox + (lon - x0) * k * s, y: (lat) => oy + (y1 - lat) * s };
}

function pathOf(g: GeoGeometry, pr: Projection): string {
  const ring = (r: number[][], close: boolean): string =>
    r.map((p, i) => `${i ? 'L' : 'M'}${pr.x(p[0]!).toFixed(1)} ${pr.y(p[1]!).toFixed(1)}`).join('') + (close ? 'Z' : '');
  switch (g.type) {
    case 'Polygon':
      return g.coordinates.map((r) => ring(r, true)).join('');
    case 'MultiPolygon':
      return g.coordinates.map((p) => p.map((r) => ring(r, true)).join('')).join('');
    case 'LineString':
      return ring(g.coordinates, false);
    case 'MultiLineString':
      return g.coordinates.map((l) => ring(l, false)).join('');
    default:
      return '';
  }
}

function pointsOf(g: GeoGeometry): number[][] {
  return g.type === 'Point' ? [g.coordinates] : g.type === 'MultiPoint' ? g.coordinates : [];
}

function Shape(p: { g: GeoGeometry | null | undefined; pr: Projection; cls: string; title: string; cross?: boolean; highlight?: boolean }) {
  if (!p.g) return null;
  const pts = pointsOf(p.g);
  const cls = `map-${p.cls}${p.highlight ? ' map-highlight' : ''}`;
  if (pts.length) {
    return (
      <g className={cls} data-test={`map-${p.cls}`}>
        <title>{p.title}</title>
        {pts.map((q, i) => {
          const x = p.pr.x(q[0]!);
          const y = p.pr.y(q[1]!);
          return p.cross ? <path key={i} d={`M${x - 4} ${y - 4}L${x + 4} ${y + 4}M${x - 4} ${y + 4}L${x + 4} ${y - 4}`} /> : <circle key={i} cx={x} cy={y} r={p.highlight ? 5 : 3} />;
        })}
      </g>
    );
  }
  return (
    <path className={cls} d={pathOf(p.g, p.pr)} fillRule="evenodd" data-test={`map-${p.cls}`}>
      <title>{p.title}</title>
    </path>
  );
}

export function MapPreview({ preview }: { preview: GeometryPreview }) {
  const { t } = useTranslation('components');
  const [selected, setSelected] = useState<number | null>(null);
  /** the area of the org units as the database knows them (parents and current geometries), to zoom past outliers */
  const known = useMemo(() => {
    let b: Box | null = null;
    for (const g of [...preview.parents.map((x) => x.geometry), ...preview.changes.map((c) => c.current)]) {
      const x = boxOf(g);
      if (x) b = b ? [Math.min(b[0], x[0]), Math.min(b[1], x[1]), Math.max(b[2], x[2]), Math.max(b[3], x[3])] : x;
    }
    if (!b) return null;
    const m = Math.max(b[2] - b[0], b[3] - b[1]) * 0.05 + 0.01;
    return [b[0] - m, b[1] - m, b[2] + m, b[3] + m] as Box;
  }, [preview]);
  const [zoom, setZoom] = useState<'all' | 'known'>('all');
  const view = zoom === 'known' && known ? known : preview.bbox;
  const pr = useMemo(() => (view ? projection(view) : null), [view]);
  const odd = useMemo(() => suspicious(preview), [preview]);
  const changes = preview.changes.length + preview.moreChanges;
  const unmatched = preview.unmatched.length + preview.moreUnmatched;
  return (
    <section className="map-preview" aria-label={t('map.label')} data-test="map-preview">
      <div className="map-frame">
        {pr ? (
          <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('map.aria', { changes: fmtNumber(changes), unmatched: fmtNumber(unmatched) })} data-test="map-svg">
            <rect x={0} y={0} width={W} height={H} className="map-sea" />
            {preview.parents.map((x) => (
              <Shape key={x.uid} g={x.geometry} pr={pr} cls="parent" title={t('map.parentTitle', { name: x.name ?? x.uid })} />
            ))}
            {preview.changes.map((c) => (
              <Shape key={`c${c.index}`} g={c.current} pr={pr} cls="current" title={t('map.currentTitle', { name: c.name ?? c.uid })} highlight={selected === c.index} />
            ))}
            {preview.changes.map((c) => (
              <Shape key={`n${c.index}`} g={c.next} pr={pr} cls="next" title={c.line ? t('map.nextTitleLine', { name: c.name ?? c.uid, index: fmtNumber(c.index), line: fmtNumber(c.line) }) : t('map.nextTitle', { name: c.name ?? c.uid, index: fmtNumber(c.index) })} highlight={selected === c.index} />
            ))}
            {preview.unmatched.map((u) => (
              <Shape key={`u${u.index}`} g={u.geometry} pr={pr} cls="unmatched" cross title={t('map.unmatchedTitle', { index: fmtNumber(u.index), identifier: u.identifier ?? t('map.noIdentifier'), reason: u.reason })} highlight={selected === u.index} />
            ))}
          </svg>
        ) : (
          <p className="muted">{t('map.nothing')}</p>
        )}
      </div>
      <div className="map-side">
        {known && (
          <div className="radios small" role="group" aria-label={t('map.extent')}>
            <label className="radio">
              <input type="radio" name="map-zoom" checked={zoom === 'all'} onChange={() => setZoom('all')} data-test="map-zoom-all" /> {t('map.zoomAll')}
            </label>
            <label className="radio">
              <input type="radio" name="map-zoom" checked={zoom === 'known'} onChange={() => setZoom('known')} data-test="map-zoom-known" /> {t('map.zoomKnown')}
            </label>
          </div>
        )}
        <ul className="map-legend">
          <li>
            <span className="swatch swatch-next" /> {t('map.newGeometry')} <strong data-test="map-count-changes">{fmtNumber(changes)}</strong> {t('map.orgUnits', { count: changes })}
          </li>
          <li>
            <span className="swatch swatch-current" /> {t('map.currentGeometry')}
          </li>
          <li>
            <span className="swatch swatch-unmatched" /> {t('map.notApplied')} <strong data-test="map-count-unmatched">{fmtNumber(unmatched)}</strong> {t('map.features', { count: unmatched })}
          </li>
          {preview.parents.length > 0 && (
            <li>
              <span className="swatch swatch-parent" /> {t('map.parents')}
            </li>
          )}
        </ul>
        {(odd.moved.length > 0 || odd.outsideParent.length > 0) && (
          <div className="notice notice-warning" data-test="map-suspicious">
            {odd.moved.length > 0 && (
              <div>{t('map.moved', { count: odd.moved.length })}</div>
            )}
            {odd.outsideParent.length > 0 && (
              <div>{t('map.outside', { count: odd.outsideParent.length })}</div>
            )}
            <div className="small">{t('map.swapped')}</div>
          </div>
        )}
        {preview.unmatched.length > 0 && (
          <div className="map-list">
            <table className="table small" data-test="map-unmatched-table">
              <thead>
                <tr>
                  <th>{t('map.feature')}</th>
                  <th>{t('map.identifier')}</th>
                  <th>{t('map.why')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.unmatched.slice(0, 200).map((u) => (
                  <tr key={u.index} onMouseEnter={() => setSelected(u.index)} onMouseLeave={() => setSelected(null)}>
                    <td>
                      {fmtNumber(u.index)}
                      {u.line ? <span className="muted"> ({t('report.lineN', { n: fmtNumber(u.line) })})</span> : null}
                    </td>
                    <td>
                      {u.identifier ?? <span className="muted">{t('map.none')}</span>}
                      {u.label ? <span className="muted"> ({u.label})</span> : null}
                    </td>
                    <td>
                      <span className="muted">{u.errorCode}</span> {u.reason}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {unmatched > 200 && <p className="muted small">{t('map.more', { n: fmtNumber(unmatched - 200) })}</p>}
          </div>
        )}
      </div>
    </section>
  );
}
