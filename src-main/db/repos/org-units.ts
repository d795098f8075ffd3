/**
 * The org unit hierarchy (org_unit: parent_id, path '/uid/uid', level from 1) read side: subtrees for data export
 * filters, level order for metadata export, and the tree browser of the screens. Org units are written by
 * MetadataRepo together with their metadata_object row.
 */
import type { Db } from '../open.ts';
import type { OrgUnitNode } from '../../../src-shared/api/contract.ts';
import { Statements } from './statements.ts';

const NODE = `m.uid, m.code, m.name, o.level, o.path, (SELECT count(*) FROM org_unit c WHERE c.parent_id = o.id) AS childCount`;

export class OrgUnitsRepo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** Ids of the direct children of an org unit. */
  childIds(id: number): number[] {
    return this.st.pluck(`SELECT id FROM org_unit WHERE parent_id = ?`).all(id) as number[];
  }

  /** Ids of an org unit and all its descendants (at most 100 levels deep). */
  subtreeIds(rootId: number): number[] {
    return this.st
      .pluck(`WITH RECURSIVE t(id, depth) AS (SELECT ?, 0 UNION SELECT o.id, t.depth + 1 FROM org_unit o JOIN t ON o.parent_id = t.id WHERE t.depth < 100) SELECT id FROM t`)
      .all(rootId) as number[];
  }

  /** Ids of every stored org unit, parents before children (by level, then id; org units without a level last). */
  idsInLevelOrder(): number[] {
    return this.st
      .pluck(`SELECT m.id FROM metadata_object m LEFT JOIN org_unit o ON o.id = m.id WHERE m.type = 'organisationUnits' ORDER BY coalesce(o.level, 1000000), m.id`)
      .all() as number[];
  }

  /** Org units whose name or code contains `text`, or whose uid is `text` (at most 200). */
  search(text: string): OrgUnitNode[] {
    const like = `%${text}%`;
    return this.st
      .rows(`SELECT ${NODE} FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.name LIKE ? OR m.code LIKE ? OR m.uid = ? ORDER BY o.level, m.name LIMIT 200`)
      .all(like, like, text) as OrgUnitNode[];
  }

  /** The roots: org units without a parent, or whose parent is not stored. */
  roots(): OrgUnitNode[] {
    return this.st
      .rows(`SELECT ${NODE} FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE o.parent_id IS NULL OR o.parent_id NOT IN (SELECT id FROM org_unit) ORDER BY m.name`)
      .all() as OrgUnitNode[];
  }

  /** The children of the org unit with this uid. */
  childrenOf(parentUid: string): OrgUnitNode[] {
    return this.st
      .rows(
        `SELECT ${NODE} FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE o.parent_id = (SELECT id FROM metadata_object WHERE type = 'organisationUnits' AND uid = ?) ORDER BY m.name`,
      )
      .all(parentUid) as OrgUnitNode[];
  }
}
