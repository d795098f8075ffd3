/**
 * The map preview a geometry dry run carries (GeometryPreview): the org units that change with their current and new
 * geometry, the features that do not apply, and the changed units' parents' boundaries from the database. Bounded:
 * PREVIEW_LIMITS entries, every geometry thinned for drawing, and about PREVIEW_LIMITS.points positions in all.
 */
import { PREVIEW_LIMITS, type GeoGeometry, type GeometryPreview, type PreviewChange, type PreviewUnmatched } from '../../../src-shared/dhis2/geometry.ts';
import { bboxOf, countPositions, geometryProblem, simplifyForDrawing } from '../../formats/shared/geometry.ts';
import type { GeometryRepo, GeometryTarget } from '../../db/repos/geometry.ts';

const parse = (text: string | null): GeoGeometry | null => {
  if (!text) return null;
  try {
    const g = JSON.parse(text) as unknown;
    return geometryProblem(g) === null ? (g as GeoGeometry) : null;
  } catch {
    return null;
  }
};

export class PreviewBuilder {
  private readonly changes: (PreviewChange & { parentId: number | null })[] = [];
  private readonly unmatched: PreviewUnmatched[] = [];
  private moreChanges = 0;
  /** every org unit this import changes (a parent it changes is not drawn as a database boundary) */
  private readonly changed = new Set<number>();
  private moreUnmatched = 0;

  private cap(): number {
    return this.changes.length < 200 ? PREVIEW_LIMITS.pointsPerGeometry : 100;
  }

  change(index: number, line: number, t: GeometryTarget, next: GeoGeometry | null, points: number): void {
    this.changed.add(t.id);
    if (this.changes.length >= PREVIEW_LIMITS.changes) {
      this.moreChanges++;
      return;
    }
    const cap = this.cap();
    const current = parse(t.geometry);
    this.changes.push({
      index,
      line,
      uid: t.uid,
      name: t.name,
      parentId: t.parentId,
      current: current && simplifyForDrawing(current, cap),
      next: next && simplifyForDrawing(next, cap),
      points,
    });
  }

  miss(index: number, line: number, identifier: string | null, errorCode: string, reason: string, geometry: unknown, label?: string): void {
    if (this.unmatched.length >= PREVIEW_LIMITS.unmatched) {
      this.moreUnmatched++;
      return;
    }
    const u: PreviewUnmatched = { index, line, identifier, errorCode, reason };
    if (label !== undefined && label !== identifier) u.label = label;
    if (geometry && geometryProblem(geometry) === null) u.geometry = simplifyForDrawing(geometry as GeoGeometry, 100);
    this.unmatched.push(u);
  }

  build(repo: GeometryRepo): GeometryPreview {
    // the parents' boundaries as the database has them: a parent this import changes is drawn as a change instead
    const allParents = [...new Set(this.changes.map((c) => c.parentId).filter((x): x is number => x !== null))];
    const parentIds = allParents.filter((x) => !this.changed.has(x)).slice(0, PREVIEW_LIMITS.parents);
    const parents: GeometryPreview['parents'] = [];
    for (const p of repo.withGeometry(parentIds)) {
      const g = parse(p.geometry);
      if (g && g.type !== 'Point') parents.push({ uid: p.uid, name: p.name, geometry: simplifyForDrawing(g, 300) });
    }
    const parentUid = new Map<number, string>();
    for (const id of allParents) {
      const uid = repo.uidOf(id);
      if (uid) parentUid.set(id, uid);
    }
    const changes: PreviewChange[] = this.changes.map(({ parentId, ...c }) => ({ ...c, parent: parentId === null ? null : (parentUid.get(parentId) ?? null) }));
    // the whole preview to about PREVIEW_LIMITS.points positions
    const geoms = (): GeoGeometry[] => [
      ...changes.flatMap((c) => [c.current, c.next]),
      ...this.unmatched.map((u) => u.geometry ?? null),
      ...parents.map((p) => p.geometry),
    ].filter((g): g is GeoGeometry => !!g);
    const total = geoms().reduce((n, g) => n + countPositions(g.coordinates), 0);
    if (total > PREVIEW_LIMITS.points) {
      const f = PREVIEW_LIMITS.points / total;
      const thin = (g: GeoGeometry | null | undefined): GeoGeometry | null => (g ? simplifyForDrawing(g, Math.max(4, Math.floor(countPositions(g.coordinates) * f))) : null);
      for (const c of changes) {
        c.current = thin(c.current);
        c.next = thin(c.next);
      }
      for (const u of this.unmatched) if (u.geometry) u.geometry = thin(u.geometry);
      for (const p of parents) p.geometry = thin(p.geometry)!;
    }
    let bbox: GeometryPreview['bbox'] = null;
    for (const g of geoms()) bbox = bboxOf(g, bbox);
    return { changes, unmatched: this.unmatched, parents, moreChanges: this.moreChanges, moreUnmatched: this.moreUnmatched, bbox };
  }
}
