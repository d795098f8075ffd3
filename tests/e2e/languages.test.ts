/**
 * Issue 15, French and Portuguese, in Chromium at 1366×768 against the real engine: the home, the Job overview with a
 * finished job (its options as the wizards label them) and the maintenance screen in each language, with screenshots
 * and no horizontal overflow; and with the keyboard alone (Tab, Enter, arrow keys): French chosen with the language
 * chooser, an import wizard taken to its dry-run summary, the Job overview opened, the choice kept after a reload.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, tabTo, type Harness } from './harness.ts';

const VIEWPORT = { width: 1366, height: 768 };
const NNBSP = '\u202f';

/** nothing wider than the window (long French and Portuguese labels wrap instead of pushing the page sideways) */
async function noSidewaysScroll(page: Page): Promise<void> {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(w).toBeLessThanOrEqual(VIEWPORT.width);
}

/** the header's controls (running job, language chooser) stay inside the header */
async function chooserInHeader(page: Page): Promise<void> {
  const box = await page.getByTestId('language-chooser').boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x + box!.width).toBeLessThanOrEqual(VIEWPORT.width);
  expect(box!.y + box!.height).toBeLessThanOrEqual(48);
}

const TEXT = {
  fr: {
    home: 'Import et export',
    menuData: 'Importation de données',
    jobs: 'Historique des tâches',
    dataJob: 'Importation de données',
    strategy: 'Stratégie : Nouveaux et mises à jour',
    dryRunNo: 'Essai à blanc : Non',
    maintenance: 'Maintenance de la base de données',
    backup: 'Sauvegarder…',
    chooser: 'Langue (Language, Idioma)',
    values: (n: number) => `${n.toLocaleString('fr').replace(/\s/g, NNBSP)} valeurs de données`,
  },
  pt: {
    home: 'Importação e exportação',
    menuData: 'Importação de dados',
    jobs: 'Histórico de tarefas',
    dataJob: 'Importação de dados',
    strategy: 'Estratégia: Novos e atualizações',
    dryRunNo: 'Ensaio: Não',
    maintenance: 'Manutenção da base de dados',
    backup: 'Fazer cópia…',
    chooser: 'Idioma (Language, Langue)',
    values: (n: number) => `${n.toLocaleString('pt-PT')} valores de dados`,
  },
} as const;

for (const language of ['fr', 'pt'] as const) {
  const x = TEXT[language];
  describe.skipIf(!HAS_CHROMIUM)(`the app in ${language === 'fr' ? 'French' : 'Portuguese'} (Chromium 1366×768, real engine)`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(`lang-${language}`, { language, viewport: VIEWPORT });
      await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
      await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
      await h.page.reload();
    });
    afterAll(async () => {
      await h?.close();
    });
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-lang-${language}-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
    });

    it('home: title, menu, counts written the language’s way, the chooser', async () => {
      const { page } = h;
      await page.getByRole('heading', { level: 1, name: x.home }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      expect(await page.getByTestId('menu-import-data').textContent()).toBe(x.menuData);
      const info = await h.invoke('db:info', {});
      expect(info.dataValues).toBeGreaterThan(0);
      expect(await page.getByTestId('db-datavalue-count').textContent()).toBe(x.values(info.dataValues));
      await expect(page.getByRole('combobox', { name: x.chooser }).inputValue()).resolves.toBe(language);
      await chooserInHeader(page);
      await noSidewaysScroll(page);
      console.log('screenshot:', await h.screenshot(`lang-${language}-home`));
    });

    it('job overview: the finished job, its options as the wizards label them', async () => {
      const { page } = h;
      await page.getByTestId('menu-jobs').click();
      await page.getByRole('heading', { level: 1, name: x.jobs }).waitFor();
      const rows = page.locator('[data-test="jobs-table"] tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      expect(await rows.first().getByTestId('open-job').textContent()).toBe(x.dataJob);
      await noSidewaysScroll(page);
      console.log('screenshot:', await h.screenshot(`lang-${language}-jobs`));
      await rows.first().getByTestId('open-job').click();
      const options = page.getByTestId('job-options');
      await options.waitFor();
      const text = (await options.textContent()) ?? '';
      expect(text).toContain(x.strategy);
      expect(text).toContain(x.dryRunNo);
      expect(text).not.toMatch(/importStrategy|CREATE_AND_UPDATE/);
      await noSidewaysScroll(page);
      console.log('screenshot:', await h.screenshot(`lang-${language}-job-detail`));
    });

    it('maintenance', async () => {
      const { page } = h;
      await page.getByTestId('menu-db-maintenance').click();
      await page.getByRole('heading', { level: 1, name: x.maintenance }).waitFor();
      expect(await page.getByTestId('db-backup-start').textContent()).toBe(x.backup);
      await noSidewaysScroll(page);
      console.log('screenshot:', await h.screenshot(`lang-${language}-maintenance`));
      expect(h.problems).toEqual([]);
    });
  });
}

describe.skipIf(!HAS_CHROMIUM)('the language chooser with the keyboard alone (Chromium 1366×768, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('lang-keyboard', { viewport: VIEWPORT });
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-lang-keyboard-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('chooses French, takes the data import to its dry-run summary, opens the Job overview; French after a reload', async () => {
    const { page } = h;
    await page.getByRole('heading', { level: 1, name: 'Import and export' }).waitFor();
    // the browser speaks English (the harness's default locale): the app too, until the user chooses
    await tabTo(page, '[data-test="language-chooser"]');
    await page.keyboard.press('ArrowDown'); // English → Français
    await page.getByRole('heading', { level: 1, name: 'Import et export' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('ferry.language'))).toBe('fr');

    await tabTo(page, '[data-test="menu-import-data"]');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await h.queueOpen([path.join(FIXTURES, 'data-bo.json')]);
    await tabTo(page, '[data-test="choose-files"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('file-list').getByText('data-bo.json', { exact: true }).waitFor();
    await tabTo(page, '[data-test="next"]');
    await page.keyboard.press('Enter');
    await tabTo(page, '[data-test="start"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('summary-card').waitFor();
    await page.getByTestId('dry-run-tag').first().waitFor();
    console.log('screenshot:', await h.screenshot('lang-keyboard-dry-run'));
    // the dry run wrote nothing
    expect((await h.invoke('db:info', {})).dataValues).toBe(0);

    await tabTo(page, '[data-test="menu-jobs"]', 120);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Historique des tâches' }).waitFor();
    await page.locator('[data-test="jobs-table"] tbody tr').first().waitFor();
    expect(await page.locator('[data-test="jobs-table"] tbody tr').first().getByTestId('open-job').textContent()).toBe('Importation de données');
    await tabTo(page, '[data-test="open-job"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('job-options').waitFor();
    expect(await page.getByTestId('job-options').textContent()).toContain('Essai à blanc : Oui');

    // remembered: a reload (as a restart) opens in French
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Import et export' }).waitFor();
    await expect(page.getByTestId('language-chooser').inputValue()).resolves.toBe('fr');
    // and back to English with the keyboard
    await tabTo(page, '[data-test="language-chooser"]');
    await page.keyboard.press('ArrowUp');
    await page.getByRole('heading', { level: 1, name: 'Import and export' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('ferry.language'))).toBe('en');
    expect(h.problems).toEqual([]);
  });
});
