/**
 * The structure of a data set as a PDF data entry form shows it (formats/pdf-form/spec.ts): its sections in order (or
 * all its data elements), each data element with value type, form name, option set and category combo (categories,
 * options and option combos in DHIS2's sorted order). Read-only; everything comes from the stored DXF2 JSON.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';
import type { DataSetForm, FormCategory, FormCoc, FormCombo, FormDataElement, FormSection } from '../../formats/pdf-form/spec.ts';

const DEFAULT_COMBO = 'bjDvmb4bfuf';
const DEFAULT_COC = 'HllvX50cXC0';

interface Row {
  uid: string;
  name: string | null;
  code: string | null;
  json: string;
}
type Json = Record<string, unknown>;
type Ref = { id?: unknown } | undefined;

const refId = (v: unknown): string | undefined => {
  const id = (v as Ref)?.id;
  return typeof id === 'string' ? id : undefined;
};
const refIds = (v: unknown): string[] => (Array.isArray(v) ? v.map(refId).filter((x): x is string => !!x) : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.MAX_SAFE_INTEGER);

export class DataSetFormsRepo {
  private readonly st: Statements;
  private readonly cache = new Map<string, Map<string, Row>>();

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** A stored data set by uid, else by code, else by name; undefined when none. */
  findDataSet(id: string): { uid: string; name: string } | undefined {
    const r = this.st
      .rows(
        `SELECT uid, name FROM metadata_object WHERE type = 'dataSets' AND (uid = @id OR code = @id OR name = @id)
         ORDER BY (uid = @id) DESC, (code = @id) DESC, id LIMIT 1`,
      )
      .get({ id }) as { uid: string; name: string | null } | undefined;
    return r ? { uid: r.uid, name: r.name ?? r.uid } : undefined;
  }

  /** A stored org unit by uid, else by code; undefined when none. */
  findOrgUnit(id: string): { uid: string; name: string } | undefined {
    const r = this.st
      .rows(
        `SELECT uid, name FROM metadata_object WHERE type = 'organisationUnits' AND (uid = @id OR code = @id)
         ORDER BY (uid = @id) DESC, id LIMIT 1`,
      )
      .get({ id }) as { uid: string; name: string | null } | undefined;
    return r ? { uid: r.uid, name: r.name ?? r.uid } : undefined;
  }

  /** The form structure of a stored data set (by uid). */
  dataSetForm(uid: string): DataSetForm | undefined {
    const ds = this.objects('dataSets', [uid]).get(uid);
    if (!ds) return undefined;
    const j = JSON.parse(ds.json) as Json;
    // the data set's elements, with the category combo a data set element may override
    const overrides = new Map<string, string>();
    const deUids: string[] = [];
    for (const e of Array.isArray(j.dataSetElements) ? (j.dataSetElements as Json[]) : []) {
      const de = refId(e?.dataElement);
      if (!de) continue;
      deUids.push(de);
      const cc = refId(e.categoryCombo);
      if (cc) overrides.set(de, cc);
    }
    for (const de of refIds(j.dataElements)) if (!deUids.includes(de)) deUids.push(de);

    // sections: those the data set lists, and those that name it
    const sectionRows = new Map<string, Row>(this.objects('sections', refIds(j.sections)));
    for (const r of this.st
      .rows(`SELECT uid, name, code, json FROM metadata_object WHERE type = 'sections' AND json_extract(json, '$.dataSet.id') = ?`)
      .all(uid) as Row[])
      sectionRows.set(r.uid, r);
    const sections = [...sectionRows.values()]
      .map((r) => ({ r, j: JSON.parse(r.json) as Json }))
      .sort((a, b) => num(a.j.sortOrder) - num(b.j.sortOrder) || (a.r.name ?? '').localeCompare(b.r.name ?? ''));

    const allDe = new Set(deUids);
    for (const s of sections) for (const d of refIds(s.j.dataElements)) allDe.add(d);
    const des = this.dataElements([...allDe], overrides);

    const out: FormSection[] = [];
    if (sections.length) {
      for (const s of sections) {
        const list = refIds(s.j.dataElements).map((d) => des.get(d)).filter((x): x is FormDataElement => !!x);
        out.push({ name: s.r.name ?? str(s.j.displayName) ?? '', dataElements: list });
      }
    } else {
      const list = deUids.map((d) => des.get(d)).filter((x): x is FormDataElement => !!x);
      list.sort((a, b) => (a.formName ?? a.name).localeCompare(b.formName ?? b.name));
      out.push({ name: '', dataElements: list });
    }
    return {
      uid,
      name: ds.name ?? str(j.displayName) ?? uid,
      description: str(j.description) ?? str(j.displayDescription),
      periodType: str(j.periodType) ?? 'Monthly',
      sections: out,
    };
  }

  private dataElements(uids: string[], overrides: Map<string, string>): Map<string, FormDataElement> {
    const rows = this.objects('dataElements', uids);
    const parsed = new Map<string, Json>();
    const comboUids = new Set<string>();
    const optionSetUids = new Set<string>();
    for (const [uid, r] of rows) {
      const j = JSON.parse(r.json) as Json;
      parsed.set(uid, j);
      comboUids.add(overrides.get(uid) ?? refId(j.categoryCombo) ?? DEFAULT_COMBO);
      const os = refId(j.optionSet);
      if (os) optionSetUids.add(os);
    }
    const combos = this.combos([...comboUids]);
    const optionSets = this.optionSets([...optionSetUids]);
    const out = new Map<string, FormDataElement>();
    for (const [uid, j] of parsed) {
      const r = rows.get(uid)!;
      const comboUid = overrides.get(uid) ?? refId(j.categoryCombo) ?? DEFAULT_COMBO;
      const os = refId(j.optionSet);
      out.set(uid, {
        uid,
        name: r.name ?? str(j.displayName) ?? uid,
        formName: str(j.formName),
        valueType: str(j.valueType) ?? 'TEXT',
        options: os ? (optionSets.get(os) ?? null) : null,
        combo: combos.get(comboUid) ?? defaultCombo(),
      });
    }
    return out;
  }

  private combos(uids: string[]): Map<string, FormCombo> {
    const rows = this.objects('categoryCombos', uids);
    const catUids = new Set<string>();
    const parsed = new Map<string, Json>();
    for (const [uid, r] of rows) {
      const j = JSON.parse(r.json) as Json;
      parsed.set(uid, j);
      for (const c of refIds(j.categories)) catUids.add(c);
    }
    const cats = this.objects('categories', [...catUids]);
    const catJson = new Map<string, Json>([...cats].map(([u, r]) => [u, JSON.parse(r.json) as Json]));
    const optUids = new Set<string>();
    for (const j of catJson.values()) for (const o of refIds(j.categoryOptions)) optUids.add(o);
    const opts = this.objects('categoryOptions', [...optUids]);

    const out = new Map<string, FormCombo>();
    for (const [uid, j] of parsed) {
      const r = rows.get(uid)!;
      const isDefault = uid === DEFAULT_COMBO || (r.name === 'default' && refIds(j.categories).length <= 1);
      const categories: FormCategory[] = refIds(j.categories)
        .filter((c) => catJson.has(c))
        .map((c) => ({
          uid: c,
          name: cats.get(c)!.name ?? c,
          options: refIds(catJson.get(c)!.categoryOptions).map((o) => ({ uid: o, name: opts.get(o)?.name ?? o })),
        }));
      // its option combos, from either side
      const cocRows = new Map<string, Row>(this.objects('categoryOptionCombos', refIds(j.categoryOptionCombos)));
      for (const c of this.st
        .rows(`SELECT uid, name, code, json FROM metadata_object WHERE type = 'categoryOptionCombos' AND json_extract(json, '$.categoryCombo.id') = ?`)
        .all(uid) as Row[])
        cocRows.set(c.uid, c);
      let cocs: FormCoc[] = [...cocRows.values()].map((c) => ({
        uid: c.uid,
        name: c.name ?? c.uid,
        optionUids: refIds((JSON.parse(c.json) as Json).categoryOptions),
      }));
      if (isDefault && !cocs.length) cocs = [{ uid: DEFAULT_COC, name: 'default', optionUids: [] }];
      out.set(uid, { uid, name: r.name ?? uid, isDefault, categories, cocs: sortCocs(categories, cocs) });
    }
    return out;
  }

  private optionSets(uids: string[]): Map<string, { code: string; name: string }[]> {
    const out = new Map<string, { code: string; name: string }[]>();
    for (const [uid, r] of this.objects('optionSets', uids)) {
      const listed = refIds((JSON.parse(r.json) as Json).options);
      const rows = new Map<string, Row>(this.objects('options', listed));
      for (const o of this.st
        .rows(`SELECT uid, name, code, json FROM metadata_object WHERE type = 'options' AND json_extract(json, '$.optionSet.id') = ?`)
        .all(uid) as Row[])
        rows.set(o.uid, o);
      const order = (u: string): number => {
        const i = listed.indexOf(u);
        return i >= 0 ? i : listed.length + num((JSON.parse(rows.get(u)!.json) as Json).sortOrder);
      };
      out.set(
        uid,
        [...rows.values()]
          .filter((o) => o.code != null)
          .sort((a, b) => order(a.uid) - order(b.uid))
          .map((o) => ({ code: o.code!, name: o.name ?? o.code! })),
      );
    }
    return out;
  }

  /** Stored objects of a type by uid (missing ones left out). */
  private objects(type: string, uids: string[]): Map<string, Row> {
    const out = new Map<string, Row>();
    if (!uids.length) return out;
    let cached = this.cache.get(type);
    if (!cached) this.cache.set(type, (cached = new Map()));
    const missing = uids.filter((u) => !cached.has(u));
    if (missing.length) {
      const rows = this.st
        .rows(`SELECT uid, name, code, json FROM metadata_object WHERE type = ? AND uid IN (SELECT value FROM json_each(?))`)
        .all(type, JSON.stringify(missing)) as Row[];
      for (const r of rows) cached.set(r.uid, r);
    }
    for (const u of uids) {
      const r = cached.get(u);
      if (r) out.set(u, r);
    }
    return out;
  }
}

function defaultCombo(): FormCombo {
  return { uid: DEFAULT_COMBO, name: 'default', isDefault: true, categories: [], cocs: [{ uid: DEFAULT_COC, name: 'default', optionUids: [] }] };
}

/**
 * DHIS2's sorted option combos: the cartesian product of the categories' options in order (the first category varies
 * slowest), then any combo that matches none, by name.
 */
export function sortCocs(categories: FormCategory[], cocs: FormCoc[]): FormCoc[] {
  const byKey = new Map<string, FormCoc>();
  for (const c of cocs) byKey.set([...c.optionUids].sort().join(','), c);
  const out: FormCoc[] = [];
  const used = new Set<string>();
  if (categories.length) {
    let combos: string[][] = [[]];
    for (const cat of categories) combos = combos.flatMap((prefix) => cat.options.map((o) => [...prefix, o.uid]));
    for (const combo of combos) {
      const c = byKey.get([...combo].sort().join(','));
      if (c && !used.has(c.uid)) {
        out.push(c);
        used.add(c.uid);
      }
    }
  }
  const rest = cocs.filter((c) => !used.has(c.uid)).sort((a, b) => a.name.localeCompare(b.name));
  return [...out, ...rest];
}
