import type { Db } from '../db/open.ts';
import type { DbInfo, MetadataListItem, MetadataName, OrgUnitNode } from '../../src-shared/api/contract.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { DataValuesRepo } from '../db/repos/data-values.ts';
import { EventsRepo } from '../db/repos/events.ts';
import { OrgUnitsRepo } from '../db/repos/org-units.ts';
import { freeSpace } from '../db/maintenance.ts';

export function dbInfo(db: Db): DbInfo {
  const metadata: Record<string, number> = {};
  for (const r of new MetadataLookupRepo(db).countsByType()) metadata[r.type] = r.n;
  const dataValues = new DataValuesRepo(db).countLive();
  const events = new EventsRepo(db).countLive();
  return { metadata, dataValues, events, freeSpace: freeSpace(db) };
}

export function listMetadata(db: Db, type: string, search?: string, limit = 500, linkedTo?: string): MetadataListItem[] {
  return new MetadataLookupRepo(db).list(type, search, limit, linkedTo);
}

/** The names Ferry knows for these uids (any metadata type): uid → {name, type}; an unknown uid is absent. */
export function metadataNames(db: Db, uids: readonly string[]): Record<string, MetadataName> {
  const out: Record<string, MetadataName> = {};
  for (const [uid, v] of new MetadataLookupRepo(db).namesOfUids(uids)) out[uid] = v;
  return out;
}

export function orgUnitChildren(db: Db, parent: string | null | undefined, search?: string): OrgUnitNode[] {
  const repo = new OrgUnitsRepo(db);
  if (search) return repo.search(search);
  if (!parent) return repo.roots(); // roots: no parent, or a parent that is not stored
  return repo.childrenOf(parent);
}
