import type { Migration } from '../migrate.ts';

/**
 * DHIS2's system default category model (well-known UIDs, code and name "default"), present in every DHIS2 database
 * (DefaultCategoryService.generateDefaultDimension). Data values without a category option combo use it.
 */
export const DEFAULTS = {
  categoryOption: 'xYerKDKCefk',
  category: 'GLevLNI9wkl',
  categoryCombo: 'bjDvmb4bfuf',
  categoryOptionCombo: 'HllvX50cXC0',
} as const;

const ts = '2011-12-24T12:24:25.155';
const objects: [string, Record<string, unknown>][] = [
  [
    'categoryOptions',
    { id: DEFAULTS.categoryOption, code: 'default', name: 'default', shortName: 'default', created: ts, lastUpdated: ts, categories: [{ id: DEFAULTS.category }], categoryOptionCombos: [{ id: DEFAULTS.categoryOptionCombo }] },
  ],
  [
    'categories',
    { id: DEFAULTS.category, code: 'default', name: 'default', shortName: 'default', created: ts, lastUpdated: ts, dataDimensionType: 'DISAGGREGATION', dataDimension: false, categoryOptions: [{ id: DEFAULTS.categoryOption }], categoryCombos: [{ id: DEFAULTS.categoryCombo }] },
  ],
  [
    'categoryCombos',
    { id: DEFAULTS.categoryCombo, code: 'default', name: 'default', created: ts, lastUpdated: ts, dataDimensionType: 'DISAGGREGATION', skipTotal: false, categories: [{ id: DEFAULTS.category }], categoryOptionCombos: [{ id: DEFAULTS.categoryOptionCombo }] },
  ],
  [
    'categoryOptionCombos',
    { id: DEFAULTS.categoryOptionCombo, code: 'default', name: 'default', created: ts, lastUpdated: ts, ignoreApproval: false, categoryCombo: { id: DEFAULTS.categoryCombo }, categoryOptions: [{ id: DEFAULTS.categoryOption }] },
  ],
];

export const m0002: Migration = {
  version: 2,
  name: 'system-defaults',
  up: (db) => {
    const ins = db.prepare(`INSERT OR IGNORE INTO metadata_object (uid, type, code, name, last_updated, json) VALUES (?, ?, 'default', 'default', ?, ?)`);
    for (const [type, o] of objects) ins.run(o.id as string, type, ts, JSON.stringify(o));
    const ref = db.prepare(
      `INSERT OR IGNORE INTO metadata_ref (from_id, to_id, property) SELECT f.id, t.id, ? FROM metadata_object f, metadata_object t WHERE f.uid = ? AND f.type = ? AND t.uid = ? AND t.type = ?`,
    );
    ref.run('categories', DEFAULTS.categoryOption, 'categoryOptions', DEFAULTS.category, 'categories');
    ref.run('categoryOptions', DEFAULTS.category, 'categories', DEFAULTS.categoryOption, 'categoryOptions');
    ref.run('categories', DEFAULTS.categoryCombo, 'categoryCombos', DEFAULTS.category, 'categories');
    ref.run('categoryOptionCombos', DEFAULTS.categoryCombo, 'categoryCombos', DEFAULTS.categoryOptionCombo, 'categoryOptionCombos');
    ref.run('categoryCombo', DEFAULTS.categoryOptionCombo, 'categoryOptionCombos', DEFAULTS.categoryCombo, 'categoryCombos');
    ref.run('categoryOptions', DEFAULTS.categoryOptionCombo, 'categoryOptionCombos', DEFAULTS.categoryOption, 'categoryOptions');
  },
};
