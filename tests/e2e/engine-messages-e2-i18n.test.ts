/**
 * Issue 15, the engine's own messages (E-2's part), in Chromium 1366×768 against the real engine:
 * - the DHIS 1.4 import screen's integrity report in Portuguese: each finding said from its key and parameters
 *   (counts and examples as the engine gave them), not the engine's English;
 * - a data export the engine refuses, in French: the folder chosen in the save dialog is gone by the time the export
 *   starts (a USB key pulled out), and the screen says so in French.
 * Screenshots: ferry-e2-*.png in the test's temp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, ROOT, importDirect, startHarness, type Harness } from './harness.ts';

const VIEWPORT = { width: 1366, height: 768 };

describe.skipIf(!HAS_CHROMIUM)('the engine’s messages in the screens’ language (Chromium 1366×768, real engine)', () => {
  let h: Harness | null = null;
  afterEach(async (ctx) => {
    if (h && ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-e2-${ctx.task.name.slice(0, 20).replace(/\W+/g, '-')}`));
    await h?.close();
    h = null;
  });

  it('Portuguese: the DHIS 1.4 Analyse report says each finding in Portuguese', async () => {
    h = await startHarness('e2-dhis14-pt', { language: 'pt', viewport: VIEWPORT });
    const { page } = h;
    const mdb = path.join(h.dir, 'DHIS_distrito.mdb');
    fs.copyFileSync(path.join(ROOT, 'tests/fixtures/dhis14/small.mdb'), mdb);
    await page.getByTestId('menu-import-dhis14').click();
    await h.queueOpen([mdb]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('DHIS_distrito.mdb', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('dhis14-analyse').click();
    await page.locator('[data-test="dhis14-report"][data-mode="analyse"]').waitFor();
    const row = (code: string) => page.getByTestId(`dhis14-issue-${code}`).locator('td').first().textContent();
    await expect(row('deletedRows')).resolves.toBe('Linhas de dados marcadas como apagadas no 1.4 (Deleted = 1): não importadas');
    await expect(row('calculatedDataElement')).resolves.toMatch(/^Elementos de dados calculados: importados como indicadores/);
    await expect(row('duplicateOrgUnitName')).resolves.toBe(
      'Unidades organizacionais que partilham o mesmo nome (o DHIS2 permite-o: ficam separadas e são associadas às unidades organizacionais existentes pelo mapeamento guardado ou pelo código, não pelo nome)',
    );
    // the examples: the 1.4 database's own ids and names as they are, the words around them in Portuguese
    await expect(page.getByTestId('dhis14-issue-duplicateOrgUnitName').textContent()).resolves.toContain('"Demoland L3-1": ID 6, 9, 12, 15');
    await expect(page.getByTestId('dhis14-issue-deletedRows').textContent()).resolves.toContain('RoutineData: ED 19, UO 63, período 583');
    const report = (await page.getByTestId('dhis14-issues').textContent()) ?? '';
    expect(report).not.toMatch(/not imported|Org units|Data elements/);
    // what 1.4 does not carry over, in Portuguese too
    await page.locator('details summary').filter({ hasText: 'Não transferido do 1.4' }).click();
    await page.getByText('os formulários de entrada de dados personalizados', { exact: true }).waitFor();
    console.log('screenshot:', await h.screenshot('e2-dhis14-analyse-pt'));
  });

  it('French: an export whose folder is gone is refused in French, and nothing is written', async () => {
    h = await startHarness('e2-export-fr', { language: 'fr', viewport: VIEWPORT });
    const { page } = h;
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    await page.reload();
    await page.getByTestId('menu-export-data').click();
    await page.getByRole('heading', { level: 1, name: 'Export de données' }).waitFor();
    const tree = page.getByTestId('org-unit-tree');
    await tree.locator('button[aria-label$="Sierra Test"]').click();
    await tree.locator('input[data-uid="OuBo0000001"]').check();
    await page.getByTestId('picker-dataSets').locator('input[data-uid="DsAnc000001"]').check();
    await page.getByLabel('Date de début').fill('2024-01-01');
    await page.getByLabel('Date de fin').fill('2024-02-29');
    // the save dialog returns a file on a key that is pulled out before the export starts
    const gone = path.join(h.dir, 'usb-key');
    await h.queueSave(path.join(gone, 'bo.json'));
    await page.getByTestId('start').click();
    const error = page.getByTestId('job-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toBe(`Le dossier ${gone} n’existe pas.`);
    expect(fs.existsSync(gone)).toBe(false);
    console.log('screenshot:', await h.screenshot('e2-export-refused-fr'));
  });
});
