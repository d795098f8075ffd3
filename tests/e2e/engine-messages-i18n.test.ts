/**
 * Issue 15, the engine's own messages: a multi-file data import in French and in Portuguese (Chromium 1366×768, real
 * engine) where one file is a truncated zip and one is malformed XML. The refused files' rows say why in the screen's
 * language (the engine's key and parameters on the file's row, not its English), and so does the headline.
 * Screenshots: ferry-engine-messages-{fr,pt}-*.png in the temp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, storedValues, type Harness } from './harness.ts';

const COC = 'HllvX50cXC0';
const HEADER = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value';
const VIEWPORT = { width: 1366, height: 768 };
const plain = (s: string | null): string => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** a zip of many rows whose values compress badly, cut at 80%: the wizard's sniff reads its head, the job finds the cut */
function truncatedZip(): Uint8Array {
  let x = 12345;
  const rows = Array.from({ length: 100_000 }, (_, i) => `DeAnc100001,2023${String((i % 12) + 1).padStart(2, '0')},OuKenHC0001,${COC},${COC},${(x = (x * 1103515245 + 12345) % 2147483648)}`);
  const whole = zipSync({ 'facility-4.csv': strToU8([HEADER, ...rows].join('\n') + '\n') });
  return whole.subarray(0, Math.floor(whole.length * 0.8));
}

const WORDS = {
  fr: {
    zip: 'facility-4.zip : le fichier zip est tronqué ou endommagé (l’archive se termine au milieu d’une entrée)',
    xml: /^facility-5\.xml, ligne \d+ : XML mal formé \(.+\)$/,
    outcome: '2 fichiers sur 5',
  },
  pt: {
    zip: 'facility-4.zip: o ficheiro zip está truncado ou danificado (o arquivo termina a meio de uma entrada)',
    xml: /^facility-5\.xml, linha \d+: XML malformado \(.+\)$/,
    outcome: '2 de 5 ficheiros',
  },
} as const;

for (const lang of ['fr', 'pt'] as const) {
  describe.skipIf(!HAS_CHROMIUM)(`a multi-file import with a truncated zip and malformed XML, in ${lang} (Chromium 1366×768, real engine)`, () => {
    let h: Harness;
    const write = (name: string, bytes: string | Uint8Array): string => {
      const p = path.join(h.dir, name);
      fs.writeFileSync(p, bytes);
      return p;
    };
    beforeAll(async () => {
      h = await startHarness(`engine-messages-${lang}`, { language: lang, viewport: VIEWPORT });
      await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
      await h.page.reload();
    });
    afterAll(async () => {
      await h?.close();
    });
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-engine-messages-${lang}`));
    });

    it('the refused files’ rows and the headline say why in the language; the good files are kept', async () => {
      const { page } = h;
      const w = WORDS[lang];
      const files = [1, 2, 3].map((m) => write(`facility-${m}.csv`, `${HEADER}\nDeAnc100001,20240${m},OuKenHC0001,${COC},${COC},${m * 10}\n`));
      files.push(write('facility-4.zip', truncatedZip()));
      files.push(write('facility-5.xml', '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n  <dataValue dataElement="DeAnc100001"'));
      await page.getByTestId('menu-import-data').click();
      await h.queueOpen(files);
      await page.getByTestId('choose-files').click();
      await page.getByTestId('file-list').getByText('facility-5.xml', { exact: true }).waitFor();
      await page.getByTestId('next').click();
      await page.getByTestId('start').click();
      await page.getByTestId('summary-card').waitFor({ timeout: 60_000 });

      const rows = page.locator('[data-test="file-summaries"] tr');
      const zipRow = rows.filter({ hasText: 'facility-4.zip' });
      const xmlRow = rows.filter({ hasText: 'facility-5.xml' });
      await expect(zipRow.getByTestId('file-error').textContent()).resolves.toBe(w.zip);
      await expect(xmlRow.getByTestId('file-error').textContent()).resolves.toMatch(w.xml);
      const outcome = plain(await page.getByTestId('files-outcome').textContent());
      expect(outcome).toContain(w.outcome);
      const all = (await page.getByTestId('summary-card').textContent()) ?? '';
      expect(all).not.toMatch(/truncated or damaged|malformed XML|The import process failed/);
      await xmlRow.scrollIntoViewIfNeeded(); // the refused rows in the screenshot
      await h.screenshot(`engine-messages-${lang}-dry-run`);

      await page.getByTestId('import-now').click();
      await page.getByTestId('summary-headline').waitFor({ timeout: 60_000 });
      await expect(page.getByTestId('status-tag').first().textContent()).resolves.not.toBe('Partly imported');
      const headline = plain(await page.getByTestId('summary-headline').textContent());
      expect(headline).toContain(lang === 'fr' ? '3 fichiers sur 5' : '3 de 5 ficheiros');
      expect(headline).not.toMatch(/files|imported|saved/);
      await expect(zipRow.getByTestId('file-error').textContent()).resolves.toBe(w.zip);
      await expect(xmlRow.getByTestId('file-error').textContent()).resolves.toMatch(w.xml);
      expect(storedValues(h)).toEqual([1, 2, 3].map((m) => `DeAnc100001/20240${m}/OuKenHC0001/${COC}=${m * 10}`));
      await xmlRow.scrollIntoViewIfNeeded();
      await h.screenshot(`engine-messages-${lang}-imported`);
      expect(h.problems).toEqual([]);
    });
  });
}
