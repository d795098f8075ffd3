/**
 * The export screens in French and in Portuguese in Chromium at 1366×768 against the real engine: a data export run
 * from the French screen (labels, choices and the form's refusal in French; the file holds the chosen values), a
 * metadata export from the Portuguese screen (counts in Portuguese; the file holds what the database holds), and the
 * event export and Send screens in each language; screenshots of each for a look at long labels (the fixed action
 * bar, the options grid).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

const VIEWPORT = { width: 1366, height: 768 };
const plain = (s: string | null): string => (s ?? '').replace(/\s/g, ' ');

describe.skipIf(!HAS_CHROMIUM)('export screens in French and Portuguese (Chromium, real engine)', () => {
  let h: Harness | undefined;
  afterEach(async (ctx) => {
    if (h && ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
    await h?.close();
    h = undefined;
  });

  async function harness(language: string): Promise<Harness> {
    h = await startHarness(`exports-${language}`, { language, viewport: VIEWPORT });
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    await h.page.reload();
    return h;
  }

  /** the action bar stays inside the window, its button whole (no label pushed out at 1366×768) */
  async function actionBarFits(x: Harness): Promise<void> {
    const bar = await x.page.getByTestId('action-bar').boundingBox();
    const button = await x.page.getByTestId('start').boundingBox();
    expect(bar && button).toBeTruthy();
    expect(bar!.x + bar!.width).toBeLessThanOrEqual(VIEWPORT.width + 1);
    expect(button!.x + button!.width).toBeLessThanOrEqual(bar!.x + bar!.width + 1);
  }

  it('French: a data export from the French screen writes the chosen values', async () => {
    const x = await harness('fr');
    const { page } = x;
    await page.getByTestId('menu-export-data').click();
    await page.getByRole('heading', { level: 1, name: 'Export de données' }).waitFor();
    // the form's refusal, in French
    await page.getByTestId('start').click();
    await page.getByText('Choisissez au moins une unité d’organisation.').waitFor();
    const tree = page.getByTestId('org-unit-tree');
    await tree.locator('button[aria-label$="Sierra Test"]').click();
    await tree.locator('input[data-uid="OuBo0000001"]').check();
    await page.getByTestId('picker-dataSets').locator('input[data-uid="DsAnc000001"]').check();
    await page.getByLabel('Date de début').fill('2024-01-01');
    await page.getByLabel('Date de fin').fill('2024-02-29');
    await page.getByLabel('Sans compression').check();
    await page.getByText('Options avancées').click();
    await expect(page.getByLabel('Schéma d’ID des unités d’organisation').locator('option').allTextContents()).resolves.toEqual(['UID', 'Code', 'Nom']);
    await page.getByLabel('Schéma d’ID des unités d’organisation').selectOption({ label: 'Code' });
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Exporter…');
    await actionBarFits(x);
    console.log('screenshot:', await x.screenshot('fr-data-export-options'));
    const out = path.join(x.dir, 'bo-fr.json');
    await x.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    console.log('screenshot:', await x.screenshot('fr-data-export-done'));
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { dataValues: Record<string, string>[] };
    expect(doc.dataValues.map((v) => `${v.dataElement}/${v.period}/${v.orgUnit}=${v.value}`).sort()).toEqual(
      ['DeAnc100001/202401/OU_BO_HOSP=12', 'DeAnc400001/202401/OU_BO_HOSP=7', 'DeAnc100001/202402/OU_BO_HOSP=15', 'DeAnc100001/202401/OU_BO_CLIN=4'].sort(),
    );

    await page.getByTestId('menu-export-events').click();
    await page.getByRole('heading', { level: 1, name: 'Export d’événements' }).waitFor();
    await page.getByLabel('Inclure les descendants de l’unité d’organisation').waitFor();
    await page.getByText('Options avancées').click();
    await actionBarFits(x);
    console.log('screenshot:', await x.screenshot('fr-events-export'));
    await page.getByTestId('menu-send').click();
    await page.getByRole('heading', { level: 1, name: 'Envoyer à un autre site' }).waitFor();
    await page.getByText('Aucune métadonnée (vers le haut : structure → district)').waitFor();
    console.log('screenshot:', await x.screenshot('fr-send'));
    expect(x.problems).toEqual([]);
  });

  it('Portuguese: a metadata export from the Portuguese screen writes what the database holds', async () => {
    const x = await harness('pt');
    const { page } = x;
    await page.getByTestId('menu-export-metadata').click();
    await page.getByRole('heading', { level: 1, name: 'Exportação de metadados' }).waitFor();
    const info = await x.invoke('db:info', {});
    const types = Object.keys(info.metadata).length;
    const objects = Object.values(info.metadata).reduce((a, b) => a + b, 0);
    await page.getByText(`${types} de ${types} tipos, ${objects} objetos`).waitFor();
    await page.getByTestId('select-none').click();
    // European Portuguese: zero takes the plural (CLDR's 'pt' is Brazil's, where 0 is singular: the catalogue's _zero form)
    await page.getByText(`0 de ${types} tipos, 0 objetos`).waitFor();
    await page.getByTestId('start').click();
    await page.getByText('Escolha pelo menos um tipo de objeto a exportar.').waitFor();
    await page.locator('input[data-type="organisationUnits"]').check();
    await page.getByLabel('Sem compressão').check();
    await page.getByLabel('Ignorar a partilha').check();
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Exportar…');
    await actionBarFits(x);
    console.log('screenshot:', await x.screenshot('pt-metadata-export-options'));
    const out = path.join(x.dir, 'ou-pt.json');
    await x.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    console.log('screenshot:', await x.screenshot('pt-metadata-export-done'));
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { organisationUnits: { id: string }[] } & Record<string, unknown>;
    expect(doc.organisationUnits.map((o) => o.id).sort()).toEqual(['OuBo0000001', 'OuBoClin001', 'OuBoHosp001', 'OuKenHC0001', 'OuKenema001', 'OuRoot00001']);
    expect(doc.dataElements).toBeUndefined();

    await page.getByTestId('menu-export-events').click();
    await page.getByRole('heading', { level: 1, name: 'Exportação de eventos' }).waitFor();
    await page.getByText('Nenhum escolhido: todos os programas.').waitFor();
    await page.getByText('Opções avançadas').click();
    await actionBarFits(x);
    console.log('screenshot:', await x.screenshot('pt-events-export'));
    await page.getByTestId('menu-send').click();
    await page.getByRole('heading', { level: 1, name: 'Enviar para outro local' }).waitFor();
    await page.getByTestId('send-destination').fill('Distrito B');
    await expect(page.getByTestId('send-preview').textContent().then(plain)).resolves.toMatch(/Pacote 1 para Distrito B \(um novo destino\)/);
    await expect(page.getByTestId('send-preview-events').textContent()).resolves.toBe('0 eventos');
    console.log('screenshot:', await x.screenshot('pt-send'));
    expect(x.problems).toEqual([]);
  });
});
