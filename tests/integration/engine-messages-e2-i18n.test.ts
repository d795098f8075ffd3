/**
 * The engine's own messages about requests, exports, transfers, DHIS 1.4 and the database's maintenance, said in the
 * run's language (issue 15): each from a real refusal (a reversed period range, a damaged package, a package given to
 * import, a missing database …) through the CLI with --lang fr / pt; --json keeps the English with its key.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { CHECK_FAILED_ADVICE } from '../../src-main/services/check.ts';
import { englishError } from '../../src-shared/keyed-errors.ts';
import { ferryCli } from '../helpers/cli.ts';
import { writePackage } from '../helpers/receive-package.ts';
import { seedData, seedMetadata } from '../unit/exporters/seed.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';
import { NO_LOCALE, smallSiteEachTest } from '../helpers/lang-site.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';

const site = smallSiteEachTest('ferry-e2-i18n-');
const noLocale = NO_LOCALE;
const say = async (lang: string, ...args: string[]): Promise<string> => {
  const r = await ferryCli(['--db', site.dbPath, ...args, '--lang', lang], { env: noLocale });
  return r.stdout + r.stderr;
};
const clinicA = { id: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinicA01' };
const repoRoot = path.resolve(__dirname, '../..');

describe('requests and exports refused in the run’s language', () => {
  it('a reversed period range (E2004) and a date that does not exist: fr and pt, --json the same English with its key', async () => {
    const out = path.join(site.dir, 'out.json');
    const reversed = ['export', 'data', '--out', out, '--start-date', '2024-12-01', '--end-date', '2024-01-01'];
    expect(await say('en', ...reversed)).toContain('Start date must be before end date (E2004).');
    expect(await say('fr', ...reversed)).toContain('La date de début doit précéder la date de fin (E2004).');
    expect(await say('pt', ...reversed)).toContain('A data de início tem de ser anterior à data de fim (E2004).');
    const bad = ['export', 'data', '--out', out, '--start-date', '2012-02-30'];
    expect(await say('fr', ...bad)).toContain("startDate doit être une vraie date (yyyy-MM-dd), reçu « 2012-02-30 ».");
    expect(await say('pt', ...bad)).toContain('startDate tem de ser uma data real (yyyy-MM-dd), recebido «2012-02-30».');
    const jsons: string[] = [];
    for (const l of ['en', 'fr', 'pt']) jsons.push((await ferryCli(['--db', site.dbPath, ...reversed, '--json', '--lang', l], { env: noLocale })).stdout);
    expect(jsons[1]).toBe(jsons[0]);
    expect(jsons[2]).toBe(jsons[0]);
    expect(JSON.parse(jsons[0]!).error).toMatchObject({ code: 'BAD_REQUEST', message: 'Start date must be before end date (E2004).', details: { messageKey: 'export.startAfterEnd' } });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a format an export kind does not write: the kind and the list said in the language', async () => {
    const out = path.join(site.dir, 'ev.adx');
    expect(await say('en', 'export', 'events', '--out', out, '--format', 'adx')).toContain("Event data is exported as json, xml, csv, events-json or events-csv, not 'adx'.");
    expect(await say('fr', 'export', 'events', '--out', out, '--format', 'adx')).toContain('Les données d’événements : export en json, xml, csv, events-json ou events-csv, pas en « adx ».');
    expect(await say('pt', 'export', 'csv-metadata', '--out', out, '--format', 'xml', '--class-key', 'DATA_ELEMENT')).toContain('Os metadados CSV: exportação só em csv, não em «xml».');
  });

  it('an unknown data set named in an export: the object said in the language, the name as given', async () => {
    const out = path.join(site.dir, 'out.json');
    const args = ['export', 'data', '--out', out, '--data-set', 'No such set'];
    expect(await say('en', ...args)).toContain("No data set matching 'No such set' is stored in this database.");
    expect(await say('fr', ...args)).toContain("'No such set' : introuvable dans cette base de données (ensemble de données).");
    expect(await say('pt', ...args)).toContain("'No such set': não encontrado nesta base de dados (conjunto de dados).");
  });
});

describe('transfers refused in the run’s language', () => {
  it('a damaged package: the reason and the refusal in fr and pt, nothing received', async () => {
    const p = writePackage(site.dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [{ dataElement: 'DeInteger01', period: '202401', orgUnit: 'OuClinicA01', value: '10' }] });
    const cut = path.join(site.dir, 'cut.zip');
    fs.writeFileSync(cut, fs.readFileSync(p).subarray(0, 200));
    const en = await say('en', 'receive', cut);
    expect(en).toMatch(/cut\.zip: .*; the package was refused and nothing was written/);
    const fr = await say('fr', 'receive', cut);
    expect(fr).toMatch(/cut\.zip : le zip est endommagé .* ; le paquet a été refusé et rien n’a été écrit/);
    expect(fr).not.toContain('refused');
    const pt = await say('pt', 'receive', cut);
    expect(pt).toMatch(/cut\.zip: o zip está danificado .*; o pacote foi recusado e nada foi escrito/);
  });

  it('a package given to import is refused with the way to receive it; a gap is said in the language', async () => {
    const p2 = writePackage(site.dir, 'clinic-a-2.zip', { from: clinicA, sequence: 2, values: [{ dataElement: 'DeInteger01', period: '202402', orgUnit: 'OuClinicA01', value: '11' }] });
    expect(await say('fr', 'import', p2)).toContain('clinic-a-2.zip : c’est un paquet de transfert Ferry venant d’un autre site ; recevez-le (Import › Recevoir d’autres sites');
    expect(await say('pt', 'import', p2)).toContain('clinic-a-2.zip: isto é um pacote de transferência do Ferry vindo de outro local; receba-o');
    const en = (await ferryCli(['--db', site.dbPath, 'receive', p2, '--dry-run', '--json'], { env: noLocale })).stdout;
    expect(en).toContain('"description": "package 2 from Clinic A checked (dry run: nothing was written): 1 values imported, 0 updated, 0 deleted, 0 ignored; package 1 from Clinic A has not arrived; 2 has"');
    const fr = await say('fr', 'receive', p2);
    expect(fr).toContain('paquet 2 de Clinic A reçu : valeurs : 1 importées, 0 mises à jour, 0 supprimées, 0 ignorées ; le paquet 1 de Clinic A n’est pas arrivé ; le paquet 2 est arrivé');
    expect(fr).not.toMatch(/has not arrived|received/);
  });

  it('send: a --from-sequence past the changes', async () => {
    const out = path.join(site.dir, 'p.zip');
    expect(await say('pt', 'send', '--out', out, '--to', 'District B', '--from-sequence', '999999')).toMatch(/As alterações desta base de dados vão até \d+; --from-sequence 999999 está para lá delas\./);
  });
});

describe('the database’s maintenance and DHIS 1.4 in the run’s language', () => {
  it('ferry check / backup on a database that does not exist', async () => {
    const missing = path.join(site.dir, 'nothing.sqlite');
    const run = async (lang: string, ...args: string[]) => {
      const r = await ferryCli(['--db', missing, ...args, '--lang', lang], { env: noLocale });
      return r.stdout + r.stderr;
    };
    expect(await run('en', 'check')).toContain(`There is no database at ${missing}.`);
    expect(await run('fr', 'check')).toContain(`Il n’y a pas de base de données à ${missing}.`);
    expect(await run('pt', 'backup', '--out', path.join(site.dir, 'b.sqlite'))).toContain(`Não há nenhuma base de dados em ${missing}.`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('a backup over the database itself is refused in the language', async () => {
    expect(await say('fr', 'backup', '--out', site.dbPath)).toContain('La sauvegarde ne peut pas remplacer la base de données elle-même');
    expect(await say('pt', 'backup', '--out', site.dbPath)).toContain('A cópia de segurança não pode substituir a própria base de dados');
  });

  it('the check’s advice is the catalogue’s English', () => {
    expect(englishError('check.advice')).toBe(CHECK_FAILED_ADVICE);
  });

  it('DHIS 1.4 Analyse: the integrity report’s findings in fr and pt (counts and examples kept), --json English with keys', async () => {
    const mdb = path.join(repoRoot, 'tests/fixtures/dhis14/small.mdb');
    const fr = await say('fr', 'import', mdb, '--kind', 'dhis14', '--mode', 'analyse');
    expect(fr).toContain('× Lignes de données marquées supprimées dans 1.4 (Deleted = 1) : non importées');
    expect(fr).toContain('× Unités d’organisation partageant un même nom (DHIS2 l’autorise');
    // the examples: the 1.4 ids and names as they are, the words around them in the language
    expect(fr).toContain('"Demoland L3-1" : ID 6, 9, 12, 15');
    expect(fr).toContain('RoutineData : ED 19, UO 63, période 583');
    expect(fr).not.toContain('not imported');
    const pt = await say('pt', 'import', mdb, '--kind', 'dhis14', '--mode', 'analyse');
    expect(pt).toContain('× Elementos de dados calculados: importados como indicadores');
    expect(pt).toContain('× Unidades organizacionais inativas (Active = 0)');
    const j = await ferryCli(['--db', site.dbPath, 'import', mdb, '--kind', 'dhis14', '--mode', 'analyse', '--json', '--lang', 'fr'], { env: noLocale });
    const issues = (j.json() as { dhis14: { issues: { code: string; message: string; messageKey?: string; messageParams?: object }[] } }).dhis14.issues;
    expect(issues.find((i) => i.code === 'duplicateOrgUnitName')).toMatchObject({
      message: 'Org units sharing a name (DHIS2 allows it: they stay apart, and are matched with existing org units by the kept mapping or code, not by name)',
      messageKey: 'dhis14.issue.duplicate',
      messageParams: { what: 'orgUnit', prop: 'name', consequence: 'apart' },
    });
    expect(issues.find((i) => i.code === 'deletedRows')?.message).toBe('Data rows marked deleted in 1.4 (Deleted = 1): not imported');
  });
});

describe('an export’s warnings in the screens’ language', () => {
  it('ADX leaving out values of data elements in no data set: the warning by key, English unchanged in --json', async () => {
    const db = path.join(site.dir, 'seeded.sqlite');
    const d = openDb(db);
    seedMetadata(d);
    seedData(d);
    d.close();
    const out = path.join(site.dir, 'all.adx.xml');
    const r = await ferryCli(['--db', db, 'export', 'data', '--out', out, '--format', 'adx', '--json', '--lang', 'fr'], { env: noLocale });
    const s = r.json<ExportSummary>();
    expect(s.status).toBe('WARNING');
    expect(s.warnings![0]).toBe(
      '3 values were left out: their data elements belong to no data set (OTHER), and ADX writes values data set by data set. Export them as JSON, XML or CSV, or add the data elements to a data set.',
    );
    expect(s.warningDetails![0]).toEqual({ messageKey: 'export.warn.adxNoDataSet', messageParams: { count: 3, names: 'OTHER' } });
    const said = (l: 'fr' | 'pt') => localizedMessage(createI18n(l), { message: s.warnings![0]!, details: s.warningDetails![0] });
    expect(said('fr')).toBe(
      '3 valeurs ont été laissées de côté : leurs éléments de données n’appartiennent à aucun ensemble de données (OTHER), et ADX écrit les valeurs ensemble de données par ensemble de données. Exportez-les en JSON, XML ou CSV, ou ajoutez les éléments de données à un ensemble de données.',
    );
    expect(said('pt')).toMatch(/^3 valores ficaram de fora: os seus elementos de dados não pertencem a nenhum conjunto de dados \(OTHER\)/);
  });
});

describe('ferry serve in the run’s language', () => {
  it('French: the address lines and the stop; a second server refused in Portuguese, naming the first', async () => {
    const bin = path.join(repoRoot, 'bin/ferry.mjs');
    const env = { ...process.env, ...noLocale, DISPLAY: '', WAYLAND_DISPLAY: '' };
    const first = spawn(process.execPath, [bin, '--db', site.dbPath, 'serve', '--lang', 'fr'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    first.stdout.setEncoding('utf8').on('data', (x: string) => (out += x));
    const exited = new Promise<number | null>((r) => first.on('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        const t0 = Date.now();
        const tick = setInterval(() => {
          if (/ouvrez http:\/\/127\.0\.0\.1:\d+\//.test(out)) (clearInterval(tick), resolve());
          else if (Date.now() - t0 > 60_000) (clearInterval(tick), reject(new Error(`no address: ${out}`)));
        }, 50);
      });
      expect(out).toMatch(new RegExp(`^Ferry sert ${site.dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} sur http://127\\.0\\.0\\.1:\\d+ \\(cet ordinateur seulement\\) ; Ctrl\\+C pour arrêter\n`));
      expect(out).toContain('les clients de l’API envoient le jeton ainsi : "Authorization: Bearer ');
      const second = await ferryCli(['--db', site.dbPath, 'serve', '--lang', 'pt'], { env: noLocale });
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`^ferry: Outro Ferry já serve .* em http://127\\.0\\.0\\.1:\\d+/ \\(processo ${first.pid}\\)\\. Use o endereço que ele mostrou`));
    } finally {
      first.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    expect(out).toMatch(/Arrêt \(SIGINT\)…\nFerry est arrêté\.\n$/);
  });
});
