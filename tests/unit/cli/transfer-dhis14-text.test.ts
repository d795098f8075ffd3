/**
 * The words of `ferry send`, `site`, `receive`, `reconcile` and the DHIS 1.4 import in English, French and Portuguese
 * (the summaries built by hand: the formatting alone is under test; the commands themselves are in the integration tests).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useLanguage } from '../../../src-main/cli/i18n.ts';
import { formatReceive, formatReconcile } from '../../../src-main/cli/format-receive.ts';
import { formatDhis14 } from '../../../src-main/cli/format-dhis14.ts';
import { sendLine, siteLine } from '../../../src-main/cli/send.ts';
import type { ReceiveSummary, ReconcileReport } from '../../../src-shared/transfer-receive.ts';
import type { SendSummary } from '../../../src-shared/transfer-send.ts';
import type { Dhis14ImportSummary } from '../../../src-shared/dhis14-report.ts';

afterEach(() => useLanguage('en'));
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

const send = {
  responseType: 'ExportSummary', status: 'OK', file: '/media/key/pkg-3.ferry', format: 'ferry', compression: 'none', bytes: 123456, sha256: 'ab12', counts: { dataValues: 1_000_000, deletions: 1, events: 0 },
  packageId: 'p-3', sequence: 3, changes: { from: 10, to: 25 }, from: { id: 'a', name: 'Clinic A' }, to: { id: 'd', name: 'District' },
} as unknown as SendSummary;

const reconciliation: ReconcileReport = {
  cells: 1200, mismatches: 1,
  rows: [{ senderId: 'a', senderName: 'Clinic A', orgUnit: 'OuClinicA01', dataSet: null, period: '202401', sequence: 3, sent: { values: 2000, sum: 25 }, stored: { values: 1999, sum: 24 }, match: false }],
};
const receive = {
  responseType: 'TransferReceive', status: 'SUCCESS', description: 'package 3 from Clinic A received', file: 'pkg-3.ferry', from: { id: 'a', name: 'Clinic A' }, alreadyReceived: null,
  dataValues: { imported: 1234567, updated: 0, deleted: 4, ignored: 0, keptNewer: 2, conflicts: [] },
  events: { status: 'SUCCESS', created: 3, updated: 0, deleted: 0, ignored: 0 }, metadata: null, gaps: [], reconciliation,
} as unknown as ReceiveSummary;

const dhis14 = {
  status: 'SUCCESS',
  dhis14: {
    mode: 'import', file: 'district.mdb', format: 'mdb', lastUpdated: null,
    objects: [{ type: 'organisationUnits', created: 1500, updated: 0, unchanged: 0, ignored: 0 }],
    values: { read: 1234569, imported: 1234567, updated: 0, unchanged: 0, skipped: 2 },
    issues: [], metadataReport: null,
  },
} as unknown as Dhis14ImportSummary;

describe('transfer and DHIS 1.4 text in three languages', () => {
  it('English: as before, counts grouped', async () => {
    await useLanguage('en');
    expect(sendLine(send).split('\n')[0]).toBe('Package 3 from Clinic A to District: 1,000,000 values, 1 deletion, 0 events; changes 11–25');
    expect(formatReceive('receive', receive).slice(2, 4)).toEqual(['  data values: imported 1,234,567, updated 0, deleted 4, ignored 0, kept newer 2', '  events: SUCCESS: created 3, updated 0, deleted 0, ignored 0']);
    expect(formatReconcile(reconciliation).split('\n')).toEqual([
      'Reconciliation: 1,199 of 1,200 cells match, 1 differs',
      '  Clinic A OuClinicA01 (no data set) 202401: sent 2,000 values (sum 25, package 3), stored 1,999 (sum 24)',
    ]);
    expect(formatDhis14('import', dhis14, 10)[2]).toBe('  values: read 1,234,569, imported 1,234,567, updated 0, unchanged 0, not imported 2');
  });

  it('French', async () => {
    await useLanguage('fr');
    expect(plain(sendLine(send))).toBe(
      'Paquet 3 de Clinic A pour District : 1 000 000 de valeurs, 1 suppression, 0 événement ; modifications 11–25\n  écrit et vérifié : /media/key/pkg-3.ferry (123 456 octets, sha256 ab12)\n  identifiant du paquet p-3',
    );
    expect(plain(formatReconcile(reconciliation))).toBe(
      'Rapprochement : 1 199 cellules sur 1 200 concordent, 1 diffère\n  Clinic A OuClinicA01 (sans ensemble de données) 202401 : envoyées 2 000 valeurs (somme 25, paquet 3), enregistrées 1 999 (somme 24)',
    );
    expect(plain(formatDhis14('import', dhis14, 10).join('\n'))).toBe(
      'import : SUCCESS — DHIS 1.4, importation de district.mdb (base de données Access)\n  organisationUnits : créés 1 500, mis à jour 0, inchangés 0, refusés 0\n  valeurs : lues 1 234 569, importées 1 234 567, mises à jour 0, inchangées 0, non importées 2',
    );
    expect(siteLine({ id: 's1', name: 'Clinic A', nameSet: true, orgUnit: null, orgUnitSet: false } as never)).toBe('Ce site : Clinic A\n  unité d’organisation : aucune\n  identifiant : s1');
  });

  it('one value sent is said in the singular, in each language', async () => {
    const one: ReconcileReport = { ...reconciliation, rows: [{ ...reconciliation.rows[0]!, sent: { values: 1, sum: 7 }, stored: { values: 0, sum: 0 } }] };
    const row = async (l: 'en' | 'fr' | 'pt'): Promise<string> => (await useLanguage(l), plain(formatReconcile(one).split('\n')[1]!));
    expect(await row('en')).toBe('  Clinic A OuClinicA01 (no data set) 202401: sent 1 value (sum 7, package 3), stored 0 (sum 0)');
    expect(await row('fr')).toBe('  Clinic A OuClinicA01 (sans ensemble de données) 202401 : envoyée 1 valeur (somme 7, paquet 3), enregistrées 0 (somme 0)');
    expect(await row('pt')).toMatch(/: enviado 1 valor \(soma 7, pacote 3\), guardados 0/);
  });

  it('Portuguese (European)', async () => {
    await useLanguage('pt');
    expect(plain(sendLine(send).split('\n')[0]!)).toBe('Pacote 3 de Clinic A para District: 1 000 000 de valores, 1 eliminação, 0 eventos; alterações 11–25');
    expect(plain(formatReceive('receber', receive)[2]!)).toBe('  valores de dados: importados 1 234 567, atualizados 0, eliminados 4, ignorados 0, mantidos mais recentes 2');
    expect(plain(formatReceive('receber', receive)[4]!)).toBe('  reconciliação (Clinic A): 1199 de 1200 células coincidem, 1 difere');
  });
});
