/**
 * Issue 15 against the real engine, in Chromium at 1366×768: a conflict on a stored data element shows the element's
 * name beside its uid (metadata:names), and the import summary with conflicts reads in French and in Portuguese
 * (headline, counts in words, conflict table, status tags, numbers), with screenshots of each; the conflicts CSV
 * carries the names beside the uids, and the table's filter finds a conflict by the data element's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

// three values: one stored, one for an unknown data element, one invalid value ("minus two") for ANC 4th visit
const CONFLICTS = path.join(FIXTURES, 'data-conflicts.json');
const VIEWPORT = { width: 1366, height: 768 };

async function dryRunWithConflicts(h: Harness): Promise<void> {
  const { page } = h;
  await page.getByTestId('menu-import-data').click();
  await h.queueOpen([CONFLICTS]);
  await page.getByTestId('choose-files').click();
  await page.getByTestId('file-list').getByText('data-conflicts.json', { exact: true }).waitFor();
  await page.getByTestId('next').click();
  await page.getByTestId('start').click();
  await page.getByTestId('summary-card').waitFor();
}

const plain = (s: string | null): string => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

for (const lang of ['en', 'fr', 'pt'] as const) {
  describe.skipIf(!HAS_CHROMIUM)(`import summary with conflicts, in ${lang} (Chromium 1366×768, real engine)`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(`components-${lang}`, { language: lang, viewport: VIEWPORT });
      await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
      await h.page.reload();
    });
    afterAll(async () => {
      await h?.close();
    });
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-components-${lang}`));
    });

    it('names the stored data element of a conflict beside its uid; an unknown uid stays as it is', async () => {
      const { page } = h;
      await dryRunWithConflicts(h);
      const table = page.getByTestId('conflict-table');
      const named = table.getByTestId('named-uid');
      await named.first().waitFor();
      await expect(named.allTextContents()).resolves.toEqual(['ANC 4th visit (DeAnc400001)']);
      const text = (await table.textContent()) ?? '';
      expect(text).toContain('DeUnknown01');
      expect(text).not.toContain('(DeUnknown01)');
      // the same answer straight from the channel the table asked
      await expect(h.invoke('metadata:names', { uids: ['DeAnc400001', 'OuBoHosp001', 'DeUnknown01'] })).resolves.toEqual({
        DeAnc400001: { name: 'ANC 4th visit', type: 'dataElements' },
        OuBoHosp001: { name: 'Bo Hospital', type: 'organisationUnits' },
      });

      const headline = plain(await page.getByTestId('summary-headline').textContent());
      const heading = plain(await table.locator('h3').textContent());
      const headers = (await table.locator('thead th').allTextContents()).map(plain);
      const words = plain(await page.getByTestId('counts-words').textContent());
      if (lang === 'en') {
        expect(headline).toMatch(/^Dry run finished: nothing was changed\. The import would give: 1 imported, 0 updated, 0 deleted, 2 ignored\.$/);
        expect(heading).toBe('Conflicts (2)');
        expect(headers).toEqual(['File', 'Error code', 'Message', 'Object', 'Property', 'Where in the file']);
      } else if (lang === 'fr') {
        expect(headline).toBe('Essai à blanc terminé : rien n’a été modifié. L’importation donnerait : 1 importé, 0 mis à jour, 0 supprimé, 2 ignorés.');
        expect(heading).toBe('Conflits (2)');
        expect(headers).toEqual(['Fichier', 'Code d’erreur', 'Message', 'Objet', 'Propriété', 'Emplacement dans le fichier']);
        expect(words).toMatch(/^3 lignes lues — seraient importées \(nouvelles\) : 1, .* Parmi les lignes ignorées, 0 était inchangée .* et 2 ont été refusées/);
        expect(await page.getByTestId('dry-run-tag').textContent()).toBe('Essai à blanc');
        expect(await table.getByTestId('conflict-page').textContent()).toBe('Lignes 1 à 2 sur 2.');
        await expect(page.getByTestId('save-summary-json').textContent()).resolves.toBe('Télécharger le résumé (JSON)');
      } else {
        expect(headline).toBe('Ensaio concluído: nada foi alterado. A importação daria: 1 importado, 0 atualizados, 0 eliminados, 2 ignorados.');
        expect(heading).toBe('Conflitos (2)');
        expect(headers).toEqual(['Ficheiro', 'Código de erro', 'Mensagem', 'Objeto', 'Propriedade', 'Local no ficheiro']);
        expect(words).toMatch(/^3 linhas lidas — seriam importadas \(novas\): 1, .* Das linhas ignoradas, 0 estavam inalteradas .* e 2 foram recusadas/);
        expect(await page.getByTestId('dry-run-tag').textContent()).toBe('Ensaio');
        expect(await table.getByTestId('conflict-page').textContent()).toBe('Linhas 1–2 de 2.');
        await expect(page.getByTestId('save-summary-json').textContent()).resolves.toBe('Transferir o resumo (JSON)');
      }
      // the fixed action bar stays in the window at 1366×768, its buttons on one line each
      const bar = await page.getByTestId('action-bar').last().boundingBox();
      expect(bar).not.toBeNull();
      expect(bar!.y + bar!.height).toBeLessThanOrEqual(VIEWPORT.height + 1);
      for (const id of ['back-to-options', 'new-import']) {
        const b = await page.getByTestId(id).boundingBox();
        expect(b!.height).toBeLessThan(60);
      }
      console.log('screenshot:', await h.screenshot(`components-summary-conflicts-${lang}`));
      expect(h.problems).toEqual([]);
    });

    it('the conflicts CSV has the names beside the uids; the filter finds a conflict by the data element’s name', async () => {
      const { page } = h;
      const table = page.getByTestId('conflict-table');
      // the CSV: the columns as before, then the names Ferry knows
      const out = path.join(h.dir, `conflicts-${lang}.csv`);
      await h.queueSave(out);
      await page.getByTestId('download-conflicts').click();
      await expect.poll(() => fs.existsSync(out), { timeout: 10_000 }).toBe(true);
      const lines = fs.readFileSync(out, 'utf8').split('\r\n');
      const header = {
        en: 'File,Error code,Message,Property,Where in the file,Object,Objects,Object name,Message with names,Objects with names',
        fr: 'Fichier,Code d’erreur,Message,Propriété,Emplacement dans le fichier,Objet,Objets,Nom de l’objet,Message avec les noms,Objets avec leurs noms',
        pt: 'Ficheiro,Código de erro,Mensagem,Propriedade,Local no ficheiro,Objeto,Objetos,Nome do objeto,Mensagem com os nomes,Objetos com os nomes',
      }[lang];
      expect(lines[0]).toBe(header);
      expect(lines).toHaveLength(4); // header, two conflicts, the last CRLF
      const anc = lines.find((l) => l.includes(',DeAnc400001,'))!;
      const unknown = lines.find((l) => l.includes(',DeUnknown01,'))!;
      // the stored data element named: the object name column, "name (uid)" in the message and in the objects
      const line = { en: 'line', fr: 'ligne', pt: 'linha' }[lang];
      expect(anc).toBe(
        'data-conflicts.json,E7619,Value must match value type of data element `DeAnc400001`: `value_not_zero_or_positive_integer`,value,' +
          `${line} 5,DeAnc400001,dataElement: DeAnc400001; value: value_not_zero_or_positive_integer,ANC 4th visit,` +
          'Value must match value type of data element `ANC 4th visit (DeAnc400001)`: `value_not_zero_or_positive_integer`,' +
          'dataElement: ANC 4th visit (DeAnc400001); value: value_not_zero_or_positive_integer',
      );
      // the unknown one keeps its bare uid and has no name
      expect(unknown).toBe(
        `data-conflicts.json,E7610,Data element not found or not accessible: \`DeUnknown01\`,dataElement,${line} 4,DeUnknown01,dataElement: DeUnknown01,,` +
          'Data element not found or not accessible: `DeUnknown01`,dataElement: DeUnknown01',
      );
      await page.getByText({ en: `Saved 2 conflicts to ${out}`, fr: `2 conflits enregistrés dans ${out}`, pt: `2 conflitos guardados em ${out}` }[lang]).waitFor();
      // the filter: the name finds the row, though no cell's own text holds it
      await table.getByTestId('conflict-filter').fill('ANC 4th');
      const body = table.locator('tbody tr');
      await expect.poll(() => body.count()).toBe(1);
      expect(await body.first().textContent()).toContain('DeAnc400001');
      const matching = plain(await table.getByTestId('conflict-page').textContent());
      expect(matching).toBe({ en: 'Rows 1–1 of 1. 1 of 2 match the filter.', fr: 'Lignes 1 à 1 sur 1. 1 sur 2 correspondent au filtre.', pt: 'Linhas 1–1 de 1. 1 de 2 correspondem ao filtro.' }[lang]);
      await body.first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
      console.log('screenshot:', await h.screenshot(`components-conflicts-filter-by-name-${lang}`));
      await table.getByTestId('conflict-filter').fill('');
      await expect.poll(() => body.count()).toBe(2);
      expect(h.problems).toEqual([]);
    });
  });
}
