import type { Db } from '../db/open.ts';
import type { DbInfo, MetadataListItem, OrgUnitNode } from '../../src-shared/api/contract.ts';

export function dbInfo(db: Db): DbInfo {
  const metadata: Record<string, number> = {};
  for (const r of db.prepare(`SELECT type, count(*) AS n FROM metadata_object GROUP BY type ORDER BY type`).all() as { type: string; n: number }[]) {
    metadata[r.type] = r.n;
  }
  const dataValues = (db.prepare(`SELECT count(*) AS n FROM data_value WHERE deleted = 0`).get() as { n: number }).n;
  const events = (db.prepare(`SELECT count(*) AS n FROM event WHERE deleted = 0`).get() as { n: number }).n;
  return { metadata, dataValues, events };
}

export function listMetadata(db: Db, type: string, search?: string, limit = 500): MetadataListItem[] {
  const like = `%${search ?? ''}%`;
  return db
    .prepare(
      `SELECT uid, code, name FROM metadata_object WHERE type = ? AND (? = '%%' OR name LIKE ? OR code LIKE ? OR uid = ?) ORDER BY name COLLATE NOCASE, uid LIMIT ?`,
    )
    .all(type, like, like, like, search ?? '', limit) as MetadataListItem[];
}

export function orgUnitChildren(db: Db, parent: string | null | undefined, search?: string): OrgUnitNode[] {
  const cols = `m.uid, m.code, m.name, o.level, o.path, (SELECT count(*) FROM org_unit c WHERE c.parent_id = o.id) AS childCount`;
  if (search) {
    const like = `%${search}%`;
    return db
      .prepare(`SELECT ${cols} FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.name LIKE ? OR m.code LIKE ? OR m.uid = ? ORDER BY o.level, m.name LIMIT 200`)
      .all(like, like, search) as OrgUnitNode[];
  }
  if (!parent) {
    // roots: no parent, or a parent that is not stored
    return db
      .prepare(
        `SELECT ${cols} FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE o.parent_id IS NULL OR o.parent_id NOT IN (SELECT id FROM org_unit) ORDER BY m.name`,
      )
      .all() as OrgUnitNode[];
  }
  return db
    .prepare(
      `SELECT ${cols} FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE o.parent_id = (SELECT id FROM metadata_object WHERE type = 'organisationUnits' AND uid = ?) ORDER BY m.name`,
    )
    .all(parent) as OrgUnitNode[];
}
