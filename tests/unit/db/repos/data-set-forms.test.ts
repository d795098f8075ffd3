/** The data set structure a PDF form shows, read from the stored DXF2 JSON. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { DataSetFormsRepo } from '../../../../src-main/db/repos/data-set-forms.ts';
import { loadMetadata } from '../../importers/data-values/helpers.ts';
import { FORM_METADATA } from '../../../helpers/pdf-form.ts';
import { tmpDir } from '../../../helpers/tmp.ts';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = tmpDir('ferry-dsf-');
  db = openDb(path.join(dir, 'x.sqlite'));
  loadMetadata(db, FORM_METADATA);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DataSetFormsRepo', () => {
  it('gives sections in order with their data elements, combos sorted as DHIS2 sorts them, option sets', () => {
    const repo = new DataSetFormsRepo(db);
    const f = repo.dataSetForm('DsSante0001')!;
    expect([f.name, f.periodType, f.description]).toEqual(['Santé maternelle — Formulário mensual', 'Monthly', 'Rapport mensuel des établissements : consultations, qualité (é ç ã ñ œ).']);
    expect(f.sections.map((s) => [s.name, s.dataElements.map((d) => d.uid)])).toEqual([
      ['Consultations prénatales', ['DeVisits001', 'DeWeight001', 'DeInteger01']],
      ['Qualité des soins', ['DeBool00001', 'DeTrueOnly1', 'DeColour001', 'DeText00001', 'DeLongTxt01']],
    ]);
    const visits = f.sections[0]!.dataElements[0]!;
    expect([visits.formName, visits.valueType, visits.combo.isDefault]).toEqual(['Consultas pré-natais – niño', 'INTEGER_ZERO_OR_POSITIVE', false]);
    expect(visits.combo.categories.map((c) => [c.name, c.options.map((o) => o.name)])).toEqual([
      ['Sex', ['Male', 'Female']],
      ['Âge', ['Moins de 5 ans', '5 ans et plus']],
    ]);
    expect(visits.combo.cocs.map((c) => c.uid)).toEqual(['CocMU500001', 'CocMO500001', 'CocFU500001', 'CocFO500001']);
    const integer = f.sections[0]!.dataElements[2]!;
    expect([integer.combo.isDefault, integer.combo.cocs.map((c) => c.uid)]).toEqual([true, ['HllvX50cXC0']]);
    expect(f.sections[1]!.dataElements[2]!.options).toEqual([
      { code: 'RED', name: 'Red' },
      { code: 'BLUE', name: 'Blue' },
    ]);
  });

  it('lists every data element by name when the data set has no sections; a data set element may override the combo', () => {
    db.prepare(`UPDATE metadata_object SET json = json_set(json, '$.dataSetElements[0].categoryCombo', json('{"id":"bjDvmb4bfuf"}')) WHERE uid = 'DsMonthly01'`).run();
    const f = new DataSetFormsRepo(db).dataSetForm('DsMonthly01')!;
    expect(f.sections.map((s) => [s.name, s.dataElements.map((d) => [d.uid, d.combo.isDefault])])).toEqual([
      ['', [['DeInteger01', true], ['DeNumber001', true]]],
    ]);
  });

  it('finds data sets and org units by uid or code', () => {
    const repo = new DataSetFormsRepo(db);
    expect(repo.findDataSet('DS_SANTE')?.uid).toBe('DsSante0001');
    expect(repo.findDataSet('DsSante0001')?.name).toBe('Santé maternelle — Formulário mensual');
    expect(repo.findDataSet('nope')).toBeUndefined();
    expect(repo.findOrgUnit('OU_SJ')).toEqual({ uid: 'OuSaoJoao01', name: 'Centro de Saúde São João – Peñalolén' });
    expect(repo.dataSetForm('nope')).toBeUndefined();
  });
});
