/**
 * This database's own site (what packages name as `from`) and the destinations it sends to.
 *
 * The site's uid is made once by migration 10 and never changes. Its name and org unit default until set: the org
 * unit's name when exactly one org unit holds data at the deepest level that holds any (a facility's database), else
 * the computer's host name; the org unit then defaults to that one org unit (else none).
 */
import os from 'node:os';
import type { Db } from '../db/open.ts';
import { TransferSitesRepo, type DestinationRow } from '../db/repos/transfer-sites.ts';
import type { SiteRef } from '../../src-shared/transfer.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { generateUid } from '../../src-shared/dhis2/uid.ts';

export interface OwnSite extends SiteRef {
  /** whether the name (org unit) was set, or is the default */
  nameSet: boolean;
  orgUnitSet: boolean;
  orgUnitName: string | null;
}

export function ownSite(db: Db): OwnSite {
  const repo = new TransferSitesRepo(db);
  const row = repo.ownSite();
  let name = row.name;
  let orgUnit = row.orgUnit;
  let orgUnitName: string | null = null;
  if (name == null || orgUnit == null) {
    const deepest = repo.deepestOrgUnitsWithData(2);
    const only = deepest.length === 1 ? deepest[0]! : null;
    if (orgUnit == null && only) orgUnit = only[0];
    if (name == null) name = only?.[1] ?? (os.hostname() || 'Ferry');
  }
  if (orgUnit != null) orgUnitName = repo.orgUnitByAny(orgUnit)?.[1] ?? null;
  return { id: row.uid, name, orgUnit: orgUnit ?? null, nameSet: row.name != null, orgUnitSet: row.orgUnit != null, orgUnitName };
}

const NAME_MAX = 100;

function checkName(name: string, what: 'site' | 'destination'): string {
  const n = name.trim();
  if (!n) throw ferryError('BAD_REQUEST', what === 'site' ? 'site.needsName' : 'site.destinationNeedsName');
  if (n.length > NAME_MAX) throw ferryError('BAD_REQUEST', what === 'site' ? 'site.nameTooLong' : 'site.destinationNameTooLong', { max: NAME_MAX });
  return n;
}

/** Sets this site's name and/or org unit (uid, code or name of a stored org unit; '' clears it). */
export function setOwnSite(db: Db, change: { name?: string; orgUnit?: string }): OwnSite {
  const repo = new TransferSitesRepo(db);
  let ou: string | null | undefined;
  if (change.orgUnit !== undefined) {
    if (change.orgUnit === '') ou = null;
    else {
      const found = repo.orgUnitByAny(change.orgUnit);
      if (!found) throw ferryError('BAD_REQUEST', 'site.noOrgUnit', { orgUnit: change.orgUnit }, { missing: [change.orgUnit] });
      ou = found[0];
    }
  }
  repo.setOwnSite(change.name === undefined ? undefined : checkName(change.name, 'site'), ou);
  return ownSite(db);
}

/** The destination of that name, made (with a new uid) when it is not known yet. */
export function destinationNamed(db: Db, name: string, now: string): DestinationRow {
  const repo = new TransferSitesRepo(db);
  const n = checkName(name, 'destination');
  return repo.destinationByName(n) ?? repo.addDestination(generateUid(), n, null, now);
}

export function destinationRef(d: DestinationRow): SiteRef {
  return { id: d.uid, name: d.name, orgUnit: d.orgUnit };
}
