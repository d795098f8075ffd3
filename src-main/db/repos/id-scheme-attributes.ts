/**
 * The attributes a screen offers as id schemes (ATTRIBUTE:<uid>, as DHIS2's import/export app does): the stored
 * attributes marked unique, with the object classes each applies to. DHIS2 2.42 stores the classes twice in an
 * attribute's JSON, as booleans named after the class (`organisationUnitAttribute: true`) and as the read-only
 * `objectTypes` list (`ORGANISATION_UNIT`); both are read, so a file from either side of that change works.
 */
import type { Db } from '../open.ts';
import type { IdSchemeAttribute } from '../../../src-shared/api/contract.ts';
import { Statements } from './statements.ts';

/** ORGANISATION_UNIT → organisationUnit (the stem of DHIS2's `organisationUnitAttribute` flag). */
function classOfObjectType(t: string): string {
  return t.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The classes an attribute's JSON says it applies to, sorted. */
export function attributeClasses(o: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(o)) if (v === true && k.endsWith('Attribute') && k.length > 'Attribute'.length) out.add(k.slice(0, -'Attribute'.length));
  if (Array.isArray(o.objectTypes)) for (const t of o.objectTypes) if (typeof t === 'string') out.add(classOfObjectType(t));
  return [...out].sort();
}

export class IdSchemeAttributesRepo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** Every unique attribute (one query), by name, with the classes it applies to. */
  list(): IdSchemeAttribute[] {
    const rows = this.st
      .raw(
        `SELECT uid, code, name, json FROM metadata_object
          WHERE type = 'attributes' AND json_extract(json, '$.unique') IN (1, 'true')
          ORDER BY name COLLATE NOCASE, uid`,
      )
      .all() as [string, string | null, string | null, string][];
    return rows.map(([uid, code, name, json]) => ({
      uid,
      name: name ?? code ?? uid,
      ...(code ? { code } : {}),
      classes: attributeClasses(JSON.parse(json) as Record<string, unknown>),
    }));
  }
}
