/**
 * The `ferry` command in French and Portuguese (issue 15): the language comes from --lang, else FERRY_LANG, else the
 * system's locale (LC_ALL, LC_MESSAGES, LANG), else English; an unknown --lang is refused naming the languages; the
 * usage and the summaries speak the language with counts written its way; --json output is the same bytes in every
 * language.
 */
import { describe, expect, it } from 'vitest';
import { formatJob } from '../../src-main/cli/format.ts';
import { useLanguage } from '../../src-main/cli/i18n.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { ferryCli } from '../helpers/cli.ts';
import { NO_LOCALE, smallSiteEachTest } from '../helpers/lang-site.ts';
import { CSV_HEADER, writeFile } from '../unit/importers/data-values/helpers.ts';

const site = smallSiteEachTest('ferry-cli-i18n-');
const noLocale = NO_LOCALE;
const NNBSP = '\u202f'; // French groups digits with a narrow no-break space (CLDR)

const csv = (name: string, ...rows: string[]): string => writeFile(site.dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');

describe('ferry in French and Portuguese', () => {
  it('--help in each language: the words translated, the flags, commands and format names as they are', async () => {
    const en = await ferryCli(['help', '--lang', 'en'], { env: noLocale });
    const fr = await ferryCli(['help', '--lang', 'fr'], { env: noLocale });
    const pt = await ferryCli(['help', '--lang', 'pt'], { env: noLocale });
    for (const r of [en, fr, pt]) expect(r.code).toBe(0);
    expect(en.stdout).toContain('Usage:\n  ferry [--db PATH] import FILE...');
    expect(fr.stdout).toContain('Utilisation :\n  ferry [--db CHEMIN] import FICHIER...');
    expect(fr.stdout).toContain('essai : valide et rend compte, ne change rien');
    expect(fr.stdout).toContain("unités d'organisation EXISTANTES");
    expect(fr.stdout).toContain('importe data, metadata ; exporte data, metadata'.replace(' ; ', '; '));
    expect(pt.stdout).toContain('Utilização:\n  ferry [--db CAMINHO] import FICHEIRO...');
    expect(pt.stdout).toContain('ensaio: valida e relata, não altera nada');
    expect(pt.stdout).toContain('unidades organizacionais EXISTENTES');
    // the list of importers joined the language's way
    expect(fr.stdout).toContain('dhis14 et transfer');
    expect(pt.stdout).toContain('dhis14 e transfer');
    // what a user types stays the same in every language
    for (const r of [fr, pt]) {
      expect(r.stdout).toContain('--kind metadata|data|events|geometry|csv-metadata|pdf|dhis14|transfer');
      expect(r.stdout).toContain('--dry-run');
      expect(r.stdout).toContain('--lang en|fr|pt');
      expect(r.stdout).not.toContain('Usage:');
    }
  });

  it('an import summary in French and Portuguese: words translated, counts written the language\'s way', async () => {
    const f = csv('month.csv', 'DeInteger01,202401,OuClinicA01,,,7,,,,,', 'DeNumber001,202401,OuClinicA01,CocMale0001,,0,,,,,', 'DeNope00001,202401,OuClinicA01,,,1,,,,,');
    const fr = await ferryCli(['--db', site.dbPath, 'import', f, '--dry-run', '--lang', 'fr'], { env: noLocale });
    expect(fr.code, fr.stderr).toBe(0);
    expect(fr.stdout).toContain('import data (essai : rien n\'a été changé): WARNING');
    expect(fr.stdout).toContain('  importées 1, mises à jour 0, supprimées 0, ignorées 1');
    expect(fr.stdout).toContain('3 lignes en tout ; sur les 1 ignorées'.replace(' ; ', '; '));
    expect(fr.stdout).toContain('1 valeur zéro non stockée');
    expect(fr.stdout).toContain('  1 conflit :\n    E7610');
    const pt = await ferryCli(['--db', site.dbPath, 'import', f, '--dry-run', '--lang', 'pt'], { env: noLocale });
    expect(pt.stdout).toContain('import data (ensaio: nada foi alterado): WARNING');
    expect(pt.stdout).toContain('  importados 1, atualizados 0, eliminados 0, ignorados 1');
    expect(pt.stdout).toContain('3 linhas ao todo; dos 1 ignorados');
    expect(pt.stdout).toContain('  1 conflito:\n    E7610');
    // DHIS2's own conflict message stays as DHIS2 writes it
    const en = await ferryCli(['--db', site.dbPath, 'import', f, '--dry-run'], { env: noLocale });
    const dhis2 = /E7610 [^(]*/.exec(en.stdout)![0];
    expect(dhis2.length).toBeGreaterThan(20);
    expect(fr.stdout).toContain(dhis2);
    expect(pt.stdout).toContain(dhis2);
  });

  it('large counts: 1,234,567 · 1 234 567 (French) · 1 234 567 (European Portuguese), and plural forms', async () => {
    const job = {
      id: 1, direction: 'import', kind: 'data', dryRun: false, status: 'done', resultStatus: 'SUCCESS', files: [], createdAt: '2026-01-01T00:00:00Z',
      summary: { responseType: 'ImportSummary', status: 'SUCCESS', description: '', importCount: { imported: 1234567, updated: 2000, deleted: 0, ignored: 1 }, conflicts: [], ignoredBreakdown: { rows: 1236568, unchanged: 1, refused: 0, zeroNotStored: 1000000 } },
    } as unknown as JobRecord;
    await useLanguage('en');
    expect(formatJob(job)).toContain('imported 1,234,567, updated 2,000, deleted 0, ignored 1');
    expect(formatJob(job)).toContain('1,236,568 rows in all');
    await useLanguage('fr');
    const fr = formatJob(job);
    expect(fr).toContain(`importées 1${NNBSP}234${NNBSP}567, mises à jour 2${NNBSP}000, supprimées 0, ignorées 1`);
    expect(fr.replaceAll(NNBSP, ' ')).toContain('1 236 568 lignes en tout');
    // CLDR's "many" in French: 1 000 000 de valeurs
    expect(fr.replaceAll(NNBSP, ' ')).toContain('1 000 000 de valeurs zéro non stockées');
    await useLanguage('pt');
    const pt = formatJob(job);
    // European Portuguese (pt-PT): thousands grouped by a no-break space, and not below 10 000
    const ptPlain = pt.replaceAll('\u00a0', ' ');
    expect(ptPlain).toContain('importados 1 234 567, atualizados 2000, eliminados 0, ignorados 1');
    expect(ptPlain).toContain('1 236 568 linhas ao todo');
    expect(ptPlain).toContain('1 000 000 de valores zero não guardados');
  });

  it('--json is the same bytes in every language (import, info, a refused command line)', async () => {
    const f = csv('month.csv', 'DeInteger01,202401,OuClinicA01,,,7,,,,,', 'DeNope00001,202401,OuClinicA01,,,1,,,,,');
    // info first (a job grows the file, which info reports), then a dry run each
    const infos = [];
    for (const lang of ['en', 'fr', 'pt']) infos.push(await ferryCli(['--db', site.dbPath, 'info', '--json', '--lang', lang], { env: noLocale }));
    const runs = [];
    for (const [i, lang] of ['en', 'fr', 'pt'].entries()) {
      const imp = await ferryCli(['--db', site.dbPath, 'import', f, '--dry-run', '--json', '--lang', lang], { env: noLocale });
      const bad = await ferryCli(['--db', site.dbPath, 'export', 'data', '--json', '--lang', lang], { env: noLocale });
      runs.push({ imp, info: infos[i]!, bad });
    }
    const [en, fr, pt] = runs;
    expect(en!.imp.json<{ importCount: { imported: number } }>().importCount.imported).toBe(1);
    expect(en!.bad.code).toBe(2);
    for (const other of [fr!, pt!]) {
      expect(other.imp.stdout).toBe(en!.imp.stdout);
      expect(other.info.stdout).toBe(en!.info.stdout);
      expect(other.bad.stdout).toBe(en!.bad.stdout);
    }
    // while the terminal's line is translated
    expect(fr!.bad.stderr).toBe('ferry: export demande --out FICHIER\n');
    expect(pt!.bad.stderr).toBe('ferry: export precisa de --out FICHEIRO\n');
  });

  it("a file's refusal composed by the engine is said in the run's language; --json keeps it in English with its key", async () => {
    const empty = writeFile(site.dir, 'empty.csv', '');
    const broken = writeFile(site.dir, 'broken.xml', '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n<dataValue dataElement="x"\n');
    const say = async (f: string, lang: string) => ferryCli(['--db', site.dbPath, 'import', f, '--lang', lang], { env: noLocale });
    const out = async (f: string, lang: string) => { const r = await say(f, lang); return r.stdout + r.stderr; };
    expect(await out(empty, 'en')).toContain('empty.csv: the file is empty');
    expect(await out(empty, 'fr')).toContain('empty.csv : le fichier est vide');
    expect(await out(empty, 'pt')).toContain('empty.csv: o ficheiro está vazio');
    const fr = await out(broken, 'fr');
    expect(fr).toMatch(/broken\.xml, ligne \d+ : XML mal formé \(/);
    expect(fr).not.toContain('malformed');
    expect(await out(broken, 'pt')).toMatch(/broken\.xml, linha \d+: XML malformado \(/);
    const jsons = [];
    for (const lang of ['en', 'fr', 'pt']) jsons.push((await ferryCli(['--db', site.dbPath, 'import', empty, '--json', '--lang', lang], { env: noLocale })).stdout);
    expect(jsons[1]).toBe(jsons[0]);
    expect(jsons[2]).toBe(jsons[0]);
    expect(jsons[0]).toContain('empty.csv: the file is empty');
    expect(jsons[0]).toContain('"messageKey": "file.empty"');
  });

  it('the language: LANG=fr_FR.UTF-8 picks French, FERRY_LANG beats LANG, --lang beats both, C falls back to English', async () => {
    const info = (env: Record<string, string>, ...args: string[]): Promise<{ stdout: string }> => ferryCli(['--db', site.dbPath, 'info', ...args], { env: { ...noLocale, ...env } });
    expect((await info({ LANG: 'fr_FR.UTF-8' })).stdout).toMatch(/^Base de données : /);
    expect((await info({ LANG: 'pt_MZ.UTF-8' })).stdout).toMatch(/^Base de dados: /);
    expect((await info({ LC_ALL: 'pt_PT.UTF-8', LANG: 'fr_FR.UTF-8' })).stdout).toMatch(/^Base de dados: /);
    expect((await info({ FERRY_LANG: 'pt', LANG: 'fr_FR.UTF-8' })).stdout).toMatch(/^Base de dados: /);
    expect((await info({ LANG: 'fr_FR.UTF-8' }, '--lang', 'pt')).stdout).toMatch(/^Base de dados: /);
    expect((await info({ LANG: 'fr_FR.UTF-8' }, '--lang', 'en')).stdout).toMatch(/^Database: /);
    expect((await info({ LANG: 'C.UTF-8' })).stdout).toMatch(/^Database: /);
    expect((await info({ LANG: 'de_DE.UTF-8' })).stdout).toMatch(/^Database: /);
  });

  it('an unknown --lang is refused (exit 2) with a message naming the languages, in the system\'s language', async () => {
    const r = await ferryCli(['--db', site.dbPath, 'info', '--lang', 'de'], { env: noLocale });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("ferry: --lang takes en (English), fr (Français), pt (Português), not 'de'\n");
    const fr = await ferryCli(['--help', '--lang', 'xx'], { env: { ...noLocale, LANG: 'fr_FR.UTF-8' } });
    expect(fr.code).toBe(2);
    expect(fr.stderr).toBe('ferry: --lang accepte en (English), fr (Français), pt (Português), pas « xx »\n');
    const bare = await ferryCli(['info', '--lang'], { env: noLocale });
    expect(bare.code).toBe(2);
  });
});
