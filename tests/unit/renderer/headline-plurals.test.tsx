/**
 * The headline counts are real plurals (issue 15), not "importé(s)" / "criado(s)" / "error(s)": each count of a data,
 * metadata, events or tracker headline takes its own plural form, in English, French and Portuguese (pt-PT: 0 is
 * plural; fr: 0 is singular; both write "1 000 000" and take CLDR's "many" form there), at 0, 1, 2 and 1 000 000.
 */
import './setup.ts';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../src-renderer/i18n.ts';
import type { ImportReport, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import type { TrackerImportReport } from '../../../src-shared/dhis2/tracker.ts';
import { countsText, headline } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { headline as metadataHeadline, reportCounts } from '../../../src-renderer/components/ImportReportView.tsx';
import { trackerHeadline } from '../../../src-renderer/components/TrackerReportView.tsx';

/** no-break spaces (Intl's thousands separator in fr and pt-PT) as plain spaces */
const plain = (s: string): string => s.replace(/[\u00a0\u202f]/g, ' ');

const COUNTS = [0, 1, 2, 1_000_000] as const;
type Lang = 'en' | 'fr' | 'pt';

/** what each headline says at 0, 1, 2 and 1 000 000, per language */
const EXPECTED: Record<Lang, { data: string[]; report: string[]; partial: string[]; trackerDry: string[]; leftOut: string[] }> = {
  en: {
    data: ['0 imported, 0 updated, 0 deleted, 0 ignored', '1 imported, 1 updated, 1 deleted, 1 ignored', '2 imported, 2 updated, 2 deleted, 2 ignored', '1,000,000 imported, 1,000,000 updated, 1,000,000 deleted, 1,000,000 ignored'],
    report: ['0 created, 0 updated, 0 deleted, 0 ignored', '1 created, 1 updated, 1 deleted, 1 ignored', '2 created, 2 updated, 2 deleted, 2 ignored', '1,000,000 created, 1,000,000 updated, 1,000,000 deleted, 1,000,000 ignored'],
    partial: ['0 of 5 files were saved', '1 of 5 files was saved', '2 of 5 files were saved', '1,000,000 of 5 files were saved'],
    trackerDry: ['Dry run found 0 errors:', 'Dry run found 1 error:', 'Dry run found 2 errors:', 'Dry run found 1,000,000 errors:'],
    leftOut: ['', ' 1 error: that object was left out.', ' 2 errors: those objects were left out.', ' 1,000,000 errors: those objects were left out.'],
  },
  fr: {
    data: ['0 importé, 0 mis à jour, 0 supprimé, 0 ignoré', '1 importé, 1 mis à jour, 1 supprimé, 1 ignoré', '2 importés, 2 mis à jour, 2 supprimés, 2 ignorés', '1 000 000 importés, 1 000 000 mis à jour, 1 000 000 supprimés, 1 000 000 ignorés'],
    report: ['0 créé, 0 mis à jour, 0 supprimé, 0 ignoré', '1 créé, 1 mis à jour, 1 supprimé, 1 ignoré', '2 créés, 2 mis à jour, 2 supprimés, 2 ignorés', '1 000 000 créés, 1 000 000 mis à jour, 1 000 000 supprimés, 1 000 000 ignorés'],
    partial: ['0 fichier sur 5 a été enregistré', '1 fichier sur 5 a été enregistré', '2 fichiers sur 5 ont été enregistrés', '1 000 000 de fichiers sur 5 ont été enregistrés'],
    trackerDry: ['L’essai à blanc a trouvé 0 erreur :', 'L’essai à blanc a trouvé 1 erreur :', 'L’essai à blanc a trouvé 2 erreurs :', 'L’essai à blanc a trouvé 1 000 000 d’erreurs :'],
    leftOut: ['', ' 1 erreur : cet objet a été laissé de côté.', ' 2 erreurs : ces objets ont été laissés de côté.', ' 1 000 000 d’erreurs : ces objets ont été laissés de côté.'],
  },
  pt: {
    data: ['0 importados, 0 atualizados, 0 eliminados, 0 ignorados', '1 importado, 1 atualizado, 1 eliminado, 1 ignorado', '2 importados, 2 atualizados, 2 eliminados, 2 ignorados', '1 000 000 importados, 1 000 000 atualizados, 1 000 000 eliminados, 1 000 000 ignorados'],
    report: ['0 criados, 0 atualizados, 0 eliminados, 0 ignorados', '1 criado, 1 atualizado, 1 eliminado, 1 ignorado', '2 criados, 2 atualizados, 2 eliminados, 2 ignorados', '1 000 000 criados, 1 000 000 atualizados, 1 000 000 eliminados, 1 000 000 ignorados'],
    partial: ['0 de 5 ficheiros foram guardados', '1 de 5 ficheiros foi guardado', '2 de 5 ficheiros foram guardados', '1 000 000 de 5 ficheiros foram guardados'],
    trackerDry: ['O ensaio encontrou 0 erros:', 'O ensaio encontrou 1 erro:', 'O ensaio encontrou 2 erros:', 'O ensaio encontrou 1 000 000 de erros:'],
    leftOut: ['', ' 1 erro: esse objeto ficou de fora.', ' 2 erros: esses objetos ficaram de fora.', ' 1 000 000 de erros: esses objetos ficaram de fora.'],
  },
};

const dataSummary = (n: number, partial = false): ImportSummary =>
  ({
    responseType: 'ImportSummary',
    status: partial ? 'ERROR' : 'SUCCESS',
    description: '',
    importCount: { imported: n, updated: n, deleted: n, ignored: n },
    conflicts: [],
    rejectedIndexes: [],
    ...(partial ? { filesOutcome: { files: 5, failed: 1, imported: n, partial: true } } : {}),
  }) as ImportSummary;

const trackerReport = (n: number, status: 'OK' | 'ERROR'): TrackerImportReport =>
  ({
    responseType: 'TrackerImportReport',
    status,
    stats: { created: n, updated: n, deleted: n, ignored: n, total: 4 * n },
    validationReport: { errorReports: [], warningReports: [] },
    ...(n > 0 ? { moreErrorReports: { E1029: n } } : {}),
  }) as unknown as TrackerImportReport;

for (const lang of ['en', 'fr', 'pt'] as const) {
  describe(`headline plurals in ${lang}`, () => {
    it('data import counts: each number with its own plural, in the headline too', async () => {
      await i18n.changeLanguage(lang);
      const e = EXPECTED[lang];
      COUNTS.forEach((n, i) => {
        expect(plain(countsText({ imported: n, updated: n, deleted: n, ignored: n }))).toBe(e.data[i]);
        expect(plain(headline(dataSummary(n), false))).toContain(e.data[i]);
        expect(plain(headline(dataSummary(n), true))).toContain(e.data[i]);
      });
      expect(plain(headline(dataSummary(2), false))).not.toMatch(/\(s\)/);
    });

    it('metadata, events and tracker counts (created …), and the multi-file headline’s files saved', async () => {
      await i18n.changeLanguage(lang);
      const e = EXPECTED[lang];
      COUNTS.forEach((n, i) => {
        expect(plain(reportCounts(n, n, n, n))).toBe(e.report[i]);
        const report = { responseType: 'ImportReport', status: 'OK', stats: { created: n, updated: n, deleted: n, ignored: n, total: 4 * n }, typeReports: [] } as unknown as ImportReport;
        expect(plain(metadataHeadline(report, false))).toContain(e.report[i]);
        expect(plain(headline(dataSummary(n, true), false))).toContain(e.partial[i]);
      });
    });

    it('tracker headline: the errors found and the objects left out', async () => {
      await i18n.changeLanguage(lang);
      const e = EXPECTED[lang];
      COUNTS.forEach((n, i) => {
        const dry = plain(trackerHeadline(trackerReport(n, 'ERROR'), true));
        expect(dry.startsWith(e.trackerDry[i]!)).toBe(true);
        expect(dry).toContain(e.report[i]);
        const done = plain(trackerHeadline(trackerReport(n, 'OK'), false));
        expect(done.endsWith(`${e.report[i]}.${e.leftOut[i]}`)).toBe(true);
        expect(done).not.toMatch(/\(s\)/);
      });
    });
  });
}
