/**
 * The engine's own refusals (issue 15) said in French and Portuguese, on real failing input: files, archives, formats,
 * the database and jobs. Each error is made by the engine (a truncated zip, a UTF-16 file…), then said through a door:
 * the CLI with --lang, or localizedMessage with the screens' instance; the English message stays as it was.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { openInput } from '../../src-main/io/input.ts';
import { detectFormat } from '../../src-main/io/detect.ts';
import { AppError, toSerializedError } from '../../src-shared/errors.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';
import { ferryCli } from '../helpers/cli.ts';
import { NO_LOCALE, smallSiteEachTest } from '../helpers/lang-site.ts';
import { CSV_HEADER } from '../unit/importers/data-values/helpers.ts';

const site = smallSiteEachTest('ferry-engine-i18n-');
const noLocale = NO_LOCALE;
const fr = createI18n('fr');
const pt = createI18n('pt');
const en = createI18n('en');

/** The error a call throws, as the doors receive it (serialized: worker, IPC, bridge, job record). */
async function refusal(f: () => unknown): Promise<{ message: string; details?: unknown }> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return toSerializedError(e);
  }
  throw new Error('expected a refusal');
}
/** the same error in the three languages; English must be its message as it came */
function say(e: { message: string; details?: unknown }): { en: string; fr: string; pt: string } {
  expect(localizedMessage(en, e)).toBe(e.message);
  return { en: e.message, fr: localizedMessage(fr, e), pt: localizedMessage(pt, e) };
}
const put = (name: string, bytes: string | Uint8Array): string => {
  const p = path.join(site.dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};
/** rows whose values compress badly (a zip of them is large) */
const noisyRows = (n: number): string => {
  let x = 12345;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648);
  return [CSV_HEADER, ...Array.from({ length: n }, (_, i) => `DeInteger01,2024${String((i % 12) + 1).padStart(2, '0')},OuClinicA01,,,${next()},,,,,`)].join('\n') + '\n';
};
const rows = (n: number): string => [CSV_HEADER, ...Array.from({ length: n }, (_, i) => `DeInteger01,2024${String((i % 12) + 1).padStart(2, '0')},OuClinicA01,,,${i},,,,,`)].join('\n') + '\n';

describe('files and archives (src-main/io)', () => {
  it('a truncated zip: the CLI says it in French and Portuguese; --json keeps the English with its key', async () => {
    const whole = zipSync({ 'clinic.csv': strToU8(rows(2000)) });
    const cut = put('clinic.zip', whole.subarray(0, Math.floor(whole.length / 2)));
    const out = async (lang: string): Promise<string> => {
      const r = await ferryCli(['--db', site.dbPath, 'import', cut, '--lang', lang], { env: noLocale });
      expect(r.code).not.toBe(0);
      return r.stdout + r.stderr;
    };
    expect(await out('en')).toContain('clinic.zip: the zip file is truncated or damaged (the archive ends inside an entry)');
    expect(await out('fr')).toContain('clinic.zip : le fichier zip est tronqué ou endommagé (l’archive se termine au milieu d’une entrée)');
    expect(await out('pt')).toContain('clinic.zip: o ficheiro zip está truncado ou danificado (o arquivo termina a meio de uma entrada)');
    const json = (await ferryCli(['--db', site.dbPath, 'import', cut, '--json', '--lang', 'fr'], { env: noLocale })).json<{ error: { message: string; details: Record<string, unknown> } }>();
    expect(json.error.message).toBe('clinic.zip: the zip file is truncated or damaged (the archive ends inside an entry)');
    expect(json.error.details).toMatchObject({ file: 'clinic.zip', messageKey: 'zip.truncated', messageParams: { file: 'clinic.zip', why: 'endsInEntry' } });
  });

  it('a zip whose first header is cut, an empty zip, a damaged gzip, a zip bomb', async () => {
    const whole = zipSync({ 'clinic.csv': strToU8(rows(5)) });
    const head = say(await refusal(async () => (await openInput(put('head.zip', whole.subarray(0, 20)))).head));
    expect(head.en).toBe('head.zip: not a readable zip archive (it ends inside the header of its first entry)');
    expect(head.fr).toBe('head.zip : ce n’est pas une archive zip lisible (elle se termine au milieu de l’en-tête de sa première entrée)');
    expect(head.pt).toBe('head.zip: não é um arquivo zip legível (termina a meio do cabeçalho da sua primeira entrada)');
    const empty = say(await refusal(() => openInput(put('empty.zip', zipSync({}))))); // only the end of central directory
    expect(empty.fr).toBe('empty.zip : l’archive zip ne contient aucun fichier');
    expect(empty.pt).toBe('empty.zip: o arquivo zip não contém nenhum ficheiro');
    const gz = zlib.gzipSync(rows(3000));
    const bad = Buffer.from(gz);
    bad.fill(0x55, 40, 400); // damaged deflate data
    const gzip = say(await refusal(async () => { const inp = await openInput(put('clinic.csv.gz', bad)); for await (const _ of inp.chunks()) { /* read through */ } }));
    expect(gzip.en).toMatch(/^clinic\.csv\.gz: the gzip file is truncated or damaged \(.+\)$/);
    expect(gzip.fr).toMatch(/^clinic\.csv\.gz : le fichier gzip est tronqué ou endommagé \(.+\)$/);
    expect(gzip.pt).toMatch(/^clinic\.csv\.gz: o ficheiro gzip está truncado ou danificado \(.+\)$/);
    const bomb = say(await refusal(async () => { const inp = await openInput(put('bomb.csv.gz', zlib.gzipSync(Buffer.alloc(4_000_000, 0x20))), { maxRatio: 10, minBombBytes: 1000 }); for await (const _ of inp.chunks()) { /* read through */ } }));
    expect(bomb.en).toMatch(/^bomb\.csv\.gz: the compressed file expands more than 10 times \(\d+ bytes from \d+\); refusing it as a possible zip bomb$/);
    expect(bomb.fr).toMatch(/^bomb\.csv\.gz : le fichier compressé se décompresse à plus de 10 fois sa taille \(\d+ octets à partir de \d+\) ; refusé comme possible bombe de décompression$/);
    expect(bomb.pt).toMatch(/^bomb\.csv\.gz: o ficheiro comprimido expande-se mais de 10 vezes \(\d+ bytes a partir de \d+\); recusado como possível bomba zip$/);
  });

  it('encodings and shapes the sniff refuses: UTF-16, Windows-1252, a spreadsheet, an unknown XML root, a JSON array', async () => {
    const utf16 = say(await refusal(() => detectFormat(Buffer.from('\ufeffdataelement,period', 'utf16le'), 'u16.csv')));
    expect(utf16.fr).toBe('u16.csv : le fichier est encodé en UTF-16 ; les fichiers DHIS2 doivent être en UTF-8 (enregistrez-le à nouveau en UTF-8)');
    expect(utf16.pt).toBe('u16.csv: o ficheiro está codificado em UTF-16; os ficheiros DHIS2 têm de estar em UTF-8 (guarde-o novamente em UTF-8)');
    const cp1252 = say(await refusal(() => detectFormat(Buffer.concat([Buffer.from(CSV_HEADER + '\nDeInteger01,202401,OuClinicA01,,,Caf'), Buffer.from([0xe9]), Buffer.from(',,,,,\n'.repeat(3))]), 'latin.csv')));
    expect(cp1252.en).toBe('latin.csv: the file is not valid UTF-8 text (line 2); it may be in another encoding such as Windows-1252 — save it again as UTF-8');
    expect(cp1252.fr).toBe('latin.csv : le fichier n’est pas un texte UTF-8 valide (ligne 2) ; il est peut-être dans un autre encodage, comme Windows-1252 — enregistrez-le à nouveau en UTF-8');
    const sheet = say(await refusal(() => openInput(put('clinics.xlsx', zipSync({ '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types/>'), 'xl/workbook.xml': strToU8('<workbook/>') })))));
    expect(sheet.en).toBe("clinics.xlsx: this is a spreadsheet (Excel or LibreOffice Calc), not a DHIS2 file. Ferry exports Excel workbooks but does not import them: save the sheet as CSV with DHIS2's columns and import the CSV.");
    expect(sheet.fr).toMatch(/^clinics\.xlsx : c’est une feuille de calcul \(Excel ou LibreOffice Calc\), pas un fichier DHIS2\./);
    expect(sheet.pt).toMatch(/^clinics\.xlsx: isto é uma folha de cálculo \(Excel ou LibreOffice Calc\), não um ficheiro DHIS2\./);
    const root = say(await refusal(() => detectFormat(Buffer.from('<?xml version="1.0"?>\n<html><body/></html>'), 'page.xml')));
    expect(root.fr).toBe('page.xml : l’élément racine XML <html> n’est pas un format DHIS2 (attendu : <metadata>, <dataValueSet> ou <adx>)');
    expect(root.pt).toBe('page.xml: o elemento raiz XML <html> não é um formato DHIS2 (esperado: <metadata>, <dataValueSet> ou <adx>)');
    const arr = say(await refusal(() => detectFormat(Buffer.from('[{"a":1}]'), 'list.json')));
    expect(arr.fr).toBe('list.json : un tableau JSON n’est pas un contenu DHIS2 (un objet est attendu)');
  });
});

describe('jobs (src-main/jobs): a refused file of a job of several, a stop on overlapping files', () => {
  const csv = (name: string, ...r: string[]): string => put(name, [CSV_HEADER, ...r].join('\n') + '\n');

  it("the CLI's file rows say why in French and Portuguese; English keeps DHIS2's description; --json carries the key on the row", async () => {
    const good = [1, 2].map((m) => csv(`clinic-${m}.csv`, `DeInteger01,20240${m},OuClinicA01,,,${m},,,,,`));
    // big enough that the request's sniff reads its head before the cut is reached: the job finds it, mid-file
    const whole = zipSync({ 'clinic-3.csv': strToU8(noisyRows(100_000)) });
    const zip = put('clinic-3.zip', whole.subarray(0, Math.floor(whole.length * 0.8)));
    const xml = put('clinic-4.xml', '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n  <dataValue dataElement="DeInteger01"');
    const files = [...good, zip, xml];
    const run = (lang: string, ...more: string[]) => ferryCli(['--db', site.dbPath, 'import', ...files, '--dry-run', '--lang', lang, ...more], { env: noLocale });
    const en = (await run('en')).stdout;
    expect(en).toContain('\n    The import process failed: clinic-3.zip: the zip file is truncated or damaged (the archive ends inside an entry)\n');
    expect(en).toMatch(/\n {4}The import process failed: clinic-4\.xml, line \d+: malformed XML \(/);
    const fr = (await run('fr')).stdout;
    expect(fr).toContain('\n    clinic-3.zip : le fichier zip est tronqué ou endommagé (l’archive se termine au milieu d’une entrée)\n');
    expect(fr).toMatch(/\n {4}clinic-4\.xml, ligne \d+ : XML mal formé \(/);
    expect(fr).not.toContain('The import process failed');
    const pt = (await run('pt')).stdout;
    expect(pt).toContain('\n    clinic-3.zip: o ficheiro zip está truncado ou danificado (o arquivo termina a meio de uma entrada)\n');
    expect(pt).toMatch(/\n {4}clinic-4\.xml, linha \d+: XML malformado \(/);
    const json = (await run('fr', '--json')).json<{ fileSummaries: Array<Record<string, unknown>> }>();
    const rowsOf = json.fileSummaries;
    expect(rowsOf.map((f) => f.status)).toEqual(['SUCCESS', 'SUCCESS', 'ERROR', 'ERROR']);
    expect(rowsOf[2]).toMatchObject({
      description: 'The import process failed: clinic-3.zip: the zip file is truncated or damaged (the archive ends inside an entry)',
      messageKey: 'zip.truncated',
      messageParams: { file: 'clinic-3.zip', why: 'endsInEntry' },
    });
    expect(rowsOf[3]).toMatchObject({ messageKey: 'xml.malformed', messageParams: { file: 'clinic-4.xml' } });
    expect(rowsOf[0]!.messageKey).toBeUndefined();
  });

  it('a real import stopped on overlapping files says so in French and Portuguese (plural, the files named)', async () => {
    const a = csv('january.csv', 'DeInteger01,202401,OuClinicA01,,,1,,,,,', 'DeInteger01,202402,OuClinicA01,,,2,,,,,');
    const b = csv('january-corrected.csv', 'DeInteger01,202401,OuClinicA01,,,9,,,,,', 'DeInteger01,202402,OuClinicA01,,,2,,,,,');
    const out = async (lang: string): Promise<string> => {
      const r = await ferryCli(['--db', site.dbPath, 'import', a, b, '--lang', lang], { env: noLocale });
      expect(r.code).not.toBe(0);
      return r.stdout + r.stderr;
    };
    expect(await out('en')).toContain(
      "january.csv and january-corrected.csv carry the same 2 value keys (data element, period, org unit, combos), 1 with different values: nothing was imported. Choose which file's values to keep (the first file's, or the newer file's) and import again.",
    );
    expect(await out('fr')).toContain(
      'january.csv et january-corrected.csv ont 2 clés de valeur en commun (élément de données, période, unité d’organisation, combinaisons), dont 1 avec des valeurs différentes : rien n’a été importé.',
    );
    expect(await out('pt')).toContain(
      'january.csv e january-corrected.csv têm 2 chaves de valor em comum (elemento de dados, período, unidade organizacional, combinações), das quais 1 com valores diferentes: nada foi importado.',
    );
  });
});

describe('formats (src-main/formats): readers refuse in the language', () => {
  const cli = async (lang: string, ...args: string[]): Promise<string> => {
    const r = await ferryCli(['--db', site.dbPath, 'import', ...args, '--lang', lang], { env: noLocale });
    expect(r.code).not.toBe(0);
    return r.stdout + r.stderr;
  };

  it('a CSV record longer than 1 MB: the limit says what was too long, nested in the sentence, in each language', async () => {
    const f = put('huge.csv', `${CSV_HEADER}\nDeInteger01,202401,OuClinicA01,,,1,,,${'x'.repeat(2_500_000)},,\n`);
    expect(await cli('en', f)).toContain('huge.csv, line 2: a CSV record (a line, or several when a quoted field holds line breaks) is longer than 1 MB — more than any DHIS2 file holds; the file is damaged or not what it claims to be');
    expect(await cli('fr', f)).toContain('huge.csv, ligne 2 : un enregistrement CSV (une ligne, ou plusieurs quand un champ entre guillemets contient des sauts de ligne) fait plus de 1 Mo — plus que n’en contient aucun fichier DHIS2 ; le fichier est endommagé ou n’est pas ce qu’il prétend être');
    expect(await cli('pt', f)).toContain('huge.csv, linha 2: um registo CSV (uma linha, ou várias quando um campo entre aspas contém quebras de linha) tem mais de 1 MB — mais do que qualquer ficheiro DHIS2 contém;');
  });

  it('truncated metadata JSON, a DXF1 root, a truncated PDF, an events file with the wrong root', async () => {
    const json = put('meta.json', '{"dataElements": [{"id": "DeInteger01", "name": "x"');
    expect(await cli('en', json, '--kind', 'metadata')).toMatch(/meta\.json, line 1, column \d+: the JSON ends too early: the file is truncated or incomplete/);
    expect(await cli('fr', json, '--kind', 'metadata')).toMatch(/meta\.json, ligne 1, colonne \d+ : le JSON se termine trop tôt : le fichier est tronqué ou incomplet/);
    expect(await cli('pt', json, '--kind', 'metadata')).toMatch(/meta\.json, linha 1, coluna \d+: o JSON termina cedo demais: o ficheiro está truncado ou incompleto/);
    const dxf1 = put('old.xml', '<?xml version="1.0"?>\n<dxf><dataElements/></dxf>\n');
    const dxf1Err = say(await refusal(async () => {
      const { readDxf2XmlMetadata } = await import('../../src-main/formats/dxf2-xml/metadata-reader.ts');
      for await (const _ of readDxf2XmlMetadata((async function* () { yield Buffer.from(fs.readFileSync(dxf1)); })(), 'old.xml', {} as never)) { /* read through */ }
    }));
    expect(dxf1Err.fr).toMatch(/^old\.xml, ligne 2, colonne \d+ : l’élément racine <dxf> est un ancien document DXF1 \(DHIS 1\.4\), pas des métadonnées DHIS2 \(DXF2 <metadata>\)$/);
    expect(dxf1Err.pt).toMatch(/^old\.xml, linha 2, coluna \d+: o elemento raiz <dxf> é um documento DXF1 antigo \(DHIS 1\.4\), não metadados DHIS2 \(DXF2 <metadata>\)$/);
    const pdf = put('form.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
    expect(await cli('en', pdf)).toContain('form.pdf: the PDF is truncated (it does not end with its end-of-file marker); copy or download it again');
    expect(await cli('fr', pdf)).toContain('form.pdf : le PDF est tronqué (il ne se termine pas par son marqueur de fin de fichier) ; copiez-le ou téléchargez-le à nouveau');
    expect(await cli('pt', pdf)).toContain('form.pdf: o PDF está truncado (não termina com o seu marcador de fim de ficheiro); copie-o ou transfira-o novamente');
    const latLong = put('ev.csv', 'event,program,orgUnit,occurredAt,latitude,longitude\nEvA00000001,PrA00000001,OuA00000001,2024-01-01,north,7.5\n');
    const latArgs = [latLong, '--kind', 'events', '--format', 'csv'];
    expect(await cli('en', ...latArgs)).toContain('ev.csv, line 2: latitude "north" and longitude "7.5" must be numbers');
    expect(await cli('fr', ...latArgs)).toContain('ev.csv, ligne 2 : la latitude « north » et la longitude « 7.5 » doivent être des nombres');
    expect(await cli('pt', ...latArgs)).toContain('ev.csv, linha 2: a latitude «north» e a longitude «7.5» têm de ser números');
    const events = put('events.xml', '<?xml version="1.0"?>\n<trackedEntities/>\n');
    expect(await cli('fr', events, '--kind', 'events')).toContain('events.xml, ligne 2 : l’élément racine est <trackedEntities> ; un fichier XML d’événements a <events> (ou un seul <event>) comme racine');
    expect(await cli('pt', events, '--kind', 'events')).toContain('events.xml, linha 2: o elemento raiz é <trackedEntities>; um ficheiro XML de eventos tem <events> (ou um único <event>) como raiz');
  });

  it('a CSV metadata cell that is not one of DHIS2’s names: the column and what it must be, in each language', async () => {
    const f = put('elements.csv', 'name,uid,code,shortName,description,formName,domainType,valueType,aggregationType\nMalaria cases,AbCdEfGhIj1,,Malaria,,,aggregate,NUMBERX,SUM\n');
    const args = [f, '--kind', 'csv-metadata', '--class-key', 'DATA_ELEMENT'];
    expect(await cli('en', ...args)).toMatch(/elements\.csv, line 2, column 8 \(valueType\): 'NUMBERX' is not a DHIS2 value type \(use [A-Z_, ]+\)/);
    expect(await cli('fr', ...args)).toMatch(/elements\.csv, ligne 2, colonne 8 \(valueType\) : « NUMBERX » n’est pas un type de valeur DHIS2 \(utilisez [A-Z_, ]+\)/);
    expect(await cli('pt', ...args)).toMatch(/elements\.csv, linha 2, coluna 8 \(valueType\): «NUMBERX» não é um tipo de valor DHIS2 \(use [A-Z_, ]+\)/);
  });
});

describe('the database (src-main/db): a file that is not Ferry’s is refused in the language', () => {
  it('a text file, another program’s SQLite database, a folder', async () => {
    const info = async (db: string, lang: string): Promise<string> => {
      const r = await ferryCli(['--db', db, 'info', '--lang', lang], { env: noLocale });
      expect(r.code).not.toBe(0);
      return r.stderr;
    };
    const text = put('notes.sqlite', 'not a database at all\n');
    expect(await info(text, 'en')).toContain('is not a Ferry database (it is not an SQLite file); Ferry did not change it.');
    expect(await info(text, 'fr')).toContain('notes.sqlite n’est pas une base de données Ferry (ce n’est pas un fichier SQLite) ; Ferry ne l’a pas modifié.');
    expect(await info(text, 'pt')).toContain('notes.sqlite não é uma base de dados do Ferry (não é um ficheiro SQLite); o Ferry não o alterou.');
    const { default: Database } = await import('better-sqlite3');
    const otherPath = path.join(site.dir, 'shop.sqlite');
    const other = new Database(otherPath);
    for (const t of ['customers', 'orders', 'items', 'stock', 'prices', 'staff', 'shifts']) other.exec(`CREATE TABLE ${t} (id INTEGER)`);
    other.close();
    expect(await info(otherPath, 'en')).toContain('shop.sqlite is an SQLite database of another program (tables customers, orders, items, stock, prices and 2 more), not a Ferry database; Ferry did not change it.');
    expect(await info(otherPath, 'fr')).toContain('shop.sqlite est une base de données SQLite d’un autre programme (tables customers, orders, items, stock, prices et 2 autres), pas une base de données Ferry ; Ferry ne l’a pas modifiée.');
    expect(await info(otherPath, 'pt')).toContain('shop.sqlite é uma base de dados SQLite de outro programa (tabelas customers, orders, items, stock, prices e mais 2), não uma base de dados do Ferry; o Ferry não a alterou.');
    expect(await info(site.dir, 'fr')).toMatch(/ est un dossier, pas un fichier de base de données\.\n/);
  });
});

describe('importers (src-main/importers): refusals in the language', () => {
  const run = async (lang: string, ...args: string[]): Promise<string> => {
    const r = await ferryCli(['--db', site.dbPath, ...args, '--lang', lang], { env: noLocale });
    expect(r.code).not.toBe(0);
    return r.stdout + r.stderr;
  };

  it('undo: nothing to undo, a dry run, a job that does not exist', async () => {
    expect(await run('en', 'undo', '--last')).toContain('There is no import to undo.');
    expect(await run('fr', 'undo', '--last')).toContain('Il n’y a aucun import à annuler.');
    expect(await run('pt', 'undo', '--last')).toContain('Não há nenhuma importação a anular.');
    const f = put('one.csv', `${CSV_HEADER}\nDeInteger01,202401,OuClinicA01,,,5,,,,,\n`);
    const dry = (await ferryCli(['--db', site.dbPath, 'import', f, '--dry-run', '--json'], { env: noLocale })).json<{ jobId?: number }>();
    const jobs = (await ferryCli(['--db', site.dbPath, 'jobs', '--json'], { env: noLocale })).json<Array<{ id: number }>>();
    const id = String(dry.jobId ?? jobs[0]!.id);
    expect(await run('en', 'undo', id)).toContain(`Job ${id} was a dry run: it changed nothing in the database, so there is nothing to undo.`);
    expect(await run('fr', 'undo', id)).toContain(`Le travail ${id} était un essai à blanc : il n’a rien modifié dans la base de données, il n’y a donc rien à annuler.`);
    expect(await run('pt', 'undo', id)).toContain(`A tarefa ${id} foi um ensaio: não alterou nada na base de dados, portanto não há nada a anular.`);
    expect(await run('fr', 'undo', '999')).toContain('Il n’y a pas de travail n° 999.');
  });

  it('a data file given to the metadata import, a metadata zip of several files', async () => {
    const f = put('values.csv', `${CSV_HEADER}\nDeInteger01,202401,OuClinicA01,,,5,,,,,\n`);
    expect(await run('en', 'import', f, '--kind', 'metadata')).toContain('values.csv: this is a data file (csv), not DHIS2 metadata (DXF2 JSON or XML)');
    expect(await run('fr', 'import', f, '--kind', 'metadata')).toContain('values.csv : c’est un fichier de données (csv), pas des métadonnées DHIS2 (DXF2 JSON ou XML)');
    expect(await run('pt', 'import', f, '--kind', 'metadata')).toContain('values.csv: isto é um ficheiro de dados (csv), não metadados DHIS2 (DXF2 JSON ou XML)');
    const zip = put('meta.zip', zipSync({ 'a.json': strToU8('{"dataElements": []}'), 'b.json': strToU8('{"dataElements": []}') }));
    expect(await run('en', 'import', zip, '--kind', 'metadata')).toContain('meta.zip: the zip archive holds 2 files (a.json, b.json); a metadata import reads one file per archive');
    expect(await run('fr', 'import', zip, '--kind', 'metadata')).toContain('meta.zip : l’archive zip contient 2 fichiers (a.json, b.json) ; un import de métadonnées lit un fichier par archive');
    expect(await run('pt', 'import', zip, '--kind', 'metadata')).toContain('meta.zip: o arquivo zip contém 2 ficheiros (a.json, b.json); uma importação de metadados lê um ficheiro por arquivo');
  });
});
