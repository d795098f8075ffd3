/**
 * The data import in French and in Portuguese against the real engine (#15), at 1366×768 (a district laptop): the
 * screen speaks the chosen language, a dry run of three files (one with conflicts, so the summary is long) changes
 * nothing, and the fixed action bar keeps Import in sight without scrolling, with the longer labels; then Import
 * stores the values. Screenshots of the options and of the dry run summary in each language.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

const VIEWPORT = { width: 1366, height: 768 };
const FILES = [path.join(FIXTURES, 'data-bo.json'), path.join(FIXTURES, 'data-kenema.csv'), path.join(FIXTURES, 'data-conflicts.json')];

/** the element's box lies wholly inside the window as it is now (nothing to scroll to reach it) */
async function inSight(page: Page, testId: string): Promise<{ top: number; bottom: number; left: number; right: number }> {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });
}

const LANGUAGES = [
  {
    lang: 'fr',
    title: 'Importation de données',
    csvFirstRow: 'CSV : première ligne',
    dryRun: 'Essai à blanc',
    strategy: 'Nouvelles et mises à jour (importer les nouvelles valeurs et mettre à jour les existantes)',
    overlap: 'Quand des fichiers contiennent les mêmes valeurs',
  },
  {
    lang: 'pt',
    title: 'Importação de dados',
    csvFirstRow: 'CSV: primeira linha',
    dryRun: 'Ensaio',
    strategy: 'Novos e atualizações (importar valores novos e atualizar os existentes)',
    overlap: 'Quando ficheiros contêm os mesmos valores',
  },
] as const;

for (const L of LANGUAGES) {
  describe.skipIf(!HAS_CHROMIUM)(`data import in ${L.lang} (Chromium 1366×768, real engine)`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(`imports-i18n-${L.lang}`, { language: L.lang, viewport: VIEWPORT });
      await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
      await h.page.reload();
    });
    afterAll(async () => {
      await h?.close();
    });
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${L.lang}-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
    });

    it('dry run in the language, Import in sight without scrolling, then Import stores the values', async () => {
      const { page } = h;
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(L.lang);
      await page.getByTestId('menu-import-data').click();
      await expect(page.locator('h1').textContent()).resolves.toBe(L.title);
      await h.queueOpen(FILES);
      await page.getByTestId('choose-files').click();
      await page.getByTestId('file-list').getByText('data-conflicts.json', { exact: true }).waitFor();
      await page.getByTestId('next').click();
      await page.getByLabel(L.csvFirstRow).waitFor();
      expect(await page.getByLabel(L.dryRun, { exact: true }).isChecked()).toBe(true);
      expect(await page.locator('select[name="importStrategy"] option[value="CREATE_AND_UPDATE"]').textContent()).toBe(L.strategy);
      await page.getByText(L.overlap).first().waitFor();
      await h.screenshot(`imports-${L.lang}-options`);
      // the options step's bar: Start dry run in sight at 1366×768
      const start = await inSight(page, 'start');
      expect(start.bottom).toBeLessThanOrEqual(VIEWPORT.height);
      expect(start.right).toBeLessThanOrEqual(VIEWPORT.width);

      await page.getByTestId('start').click();
      await page.getByTestId('summary-card').waitFor();
      await page.getByTestId('import-now').waitFor();
      // a dry run changes nothing
      expect((await h.invoke('db:info', {})).dataValues).toBe(0);
      // the summary is longer than the window, and Import is in sight all the same (the fixed action bar)
      // (the screens scroll inside the app's main pane, or the page itself: whichever scrolls around the summary)
      const rest = await page.getByTestId('summary-card').evaluate((card) => {
        for (let el: HTMLElement | null = card.parentElement; el; el = el.parentElement) {
          const o = getComputedStyle(el).overflowY;
          if ((o === 'auto' || o === 'scroll') && el.scrollHeight > el.clientHeight) return el.scrollHeight - el.clientHeight - el.scrollTop;
        }
        const d = document.documentElement;
        return d.scrollHeight - window.innerHeight - window.scrollY;
      });
      // the summary goes on below the window: the bar is in sight because it is fixed, not because the page ends here
      expect(rest).toBeGreaterThan(0);
      const button = await inSight(page, 'import-now');
      expect(button.top).toBeGreaterThanOrEqual(0);
      expect(button.bottom).toBeLessThanOrEqual(VIEWPORT.height);
      expect(button.right).toBeLessThanOrEqual(VIEWPORT.width);
      // every button of the bar fits in the window with the language's longer labels
      for (const id of ['back-to-options', 'new-import']) {
        const b = await inSight(page, id);
        expect(b.bottom, id).toBeLessThanOrEqual(VIEWPORT.height);
        expect(b.right, id).toBeLessThanOrEqual(VIEWPORT.width);
      }
      await h.screenshot(`imports-${L.lang}-dry-run`);

      await page.getByTestId('import-now').click();
      await page.waitForFunction(() => !document.querySelector('[data-test="import-now"]') && document.querySelector('[data-test="summary-card"]'));
      // 5 values of Bo, 3 of Kenema, 1 of the conflicts file (its unknown data element and its text value are refused)
      await expect.poll(async () => (await h.invoke('db:info', {})).dataValues, { timeout: 20000 }).toBe(9);
      await h.screenshot(`imports-${L.lang}-done`);
      expect(h.problems).toEqual([]);
    });
  });
}
