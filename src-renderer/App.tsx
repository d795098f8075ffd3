/** The app shell: header, left menu (only what the engine can do), database facts, the current screen. */
import { useEffect, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../src-shared/i18n/languages.ts';
import { currentLanguage, setLanguage } from './i18n.ts';
import { Notice } from './components/Notice.tsx';
import { DataExportScreen } from './screens/data-export/DataExportScreen.tsx';
import { DataImportScreen } from './screens/data-import/DataImportScreen.tsx';
import { DbCheckScreen } from './screens/db-check/DbCheckScreen.tsx';
import { DbMaintenanceScreen } from './screens/db-maintenance/DbMaintenanceScreen.tsx';
import { DependencyExportScreen } from './screens/dependency-export/DependencyExportScreen.tsx';
import { HomeScreen } from './screens/home/HomeScreen.tsx';
import { useOpenFiles } from './screens/home/open-files.ts';
import { userMetadataCount } from './screens/home/first-run.ts';
import { useStrayDropGuard } from './components/FilePicker.tsx';
import { JobOverviewScreen } from './screens/job-overview/JobOverviewScreen.tsx';
import { RunningIndicator } from './screens/job-overview/RunningIndicator.tsx';
import { MetadataExportScreen } from './screens/metadata-export/MetadataExportScreen.tsx';
import { MetadataImportScreen } from './screens/metadata-import/MetadataImportScreen.tsx';
import { PdfFormExportScreen } from './screens/pdf-form-export/PdfFormExportScreen.tsx';
import { SendScreen } from './screens/send/SendScreen.tsx';
import { ReceiveScreen } from './screens/receive/ReceiveScreen.tsx';
import { SitesScreen } from './screens/sites/SitesScreen.tsx';
import { CsvMetadataImportScreen } from './screens/csv-metadata-import/CsvMetadataImportScreen.tsx';
import { GeometryImportScreen } from './screens/geometry-import/GeometryImportScreen.tsx';
import { EventsImportScreen } from './screens/events-import/EventsImportScreen.tsx';
import { CsvMetadataExportScreen } from './screens/csv-metadata-import/CsvMetadataExportScreen.tsx';
import { Dhis14ExportScreen } from './screens/dhis14-export/Dhis14ExportScreen.tsx';
import { Dhis14ImportScreen } from './screens/dhis14-import/Dhis14ImportScreen.tsx';
import { EventsExportScreen, TrackedEntitiesExportScreen } from './screens/events-export/EventsExportScreen.tsx';
import { useApp, visibleMenu, type ScreenId } from './stores/app.ts';
import { subscribeEvents } from './stores/jobs.ts';

const SCREENS: Record<ScreenId, ComponentType> = {
  home: HomeScreen,
  'import-metadata': MetadataImportScreen,
  'import-data': DataImportScreen,
  'import-csv-metadata': CsvMetadataImportScreen,
  'import-geometry': GeometryImportScreen,
  'import-events': EventsImportScreen,
  'import-dhis14': Dhis14ImportScreen,
  'export-csv-metadata': CsvMetadataExportScreen,
  'export-metadata': MetadataExportScreen,
  'export-dependencies': DependencyExportScreen,
  'export-data': DataExportScreen,
  'export-pdf-form': PdfFormExportScreen,
  send: SendScreen,
  receive: ReceiveScreen,
  sites: SitesScreen,
  'export-dhis14': Dhis14ExportScreen,
  'export-events': EventsExportScreen,
  'export-tracked-entities': TrackedEntitiesExportScreen,
  jobs: JobOverviewScreen,
  'db-check': DbCheckScreen,
  'db-maintenance': DbMaintenanceScreen,
};

/**
 * The language chooser (header, on every screen): each language named in its own words; its accessible name says
 * "Language" in the shown language and the others, so that a user who cannot read the current one still finds it.
 * The choice switches every screen at once and is remembered (src-renderer/i18n.ts).
 */
export function LanguageChooser() {
  const { t } = useTranslation('app');
  return (
    <select
      className="language-chooser"
      value={currentLanguage()}
      onChange={(e) => void setLanguage(e.target.value as Language)}
      aria-label={t('language.label')}
      title={t('language.label')}
      data-test="language-chooser"
    >
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.name}
        </option>
      ))}
    </select>
  );
}

export function App() {
  const { t } = useTranslation(['app', 'common']);
  const app = useApp();
  useEffect(() => {
    void useApp.getState().load();
    return subscribeEvents(() => void useApp.getState().refreshDb());
  }, []);
  // files the desktop asked Ferry to open (file associations): shown in the wizard that reads them
  useOpenFiles();
  // a file dropped beside a drop zone must not take the page away
  useStrayDropGuard();
  const menu = visibleMenu(app.capabilities);
  const groups = ['Import', 'Export', 'Utilities'] as const;
  const Screen = SCREENS[app.screen];
  // the system defaults every database holds (the "default" category model) are not the user's metadata
  const metadataTotal = userMetadataCount(app.dbInfo?.metadata);
  return (
    <div className="app">
      <header className="header">
        <button type="button" className="brand" onClick={() => app.navigate('home')}>
          Ferry
        </button>
        <span className="header-sub">
          {t('shell.subtitle')}
          {app.version ? ` · ${app.version}` : ''}
        </span>
        <RunningIndicator />
        <LanguageChooser />
      </header>
      <div className="body">
        <nav className="sidebar" aria-label={t('shell.menu')}>
          {groups.map((g) => {
            const items = menu.filter((m) => m.group === g);
            if (!items.length) return null;
            return (
              <div key={g} className="menu-group">
                <div className="menu-title">{t(`menu.group.${g}`)}</div>
                <ul>
                  {items.map((m) => (
                    <li key={m.screen}>
                      <button
                        type="button"
                        className={`menu-item${app.screen === m.screen ? ' active' : ''}`}
                        aria-current={app.screen === m.screen ? 'page' : undefined}
                        onClick={() => app.navigate(m.screen)}
                        data-test={`menu-${m.screen}`}
                      >
                        {t(`menu.${m.screen}`)}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
          <div className="db-facts" data-test="db-facts">
            <div className="menu-title">{t('shell.database')}</div>
            <div className="db-path" title={app.dbPath}>
              {app.dbPath || '—'}
            </div>
            {app.readOnly && (
              <div className="db-readonly" title={app.readOnly} data-test="db-readonly">
                {t('shell.readOnly')}
              </div>
            )}
            {app.dbInfo && (
              <ul>
                <li data-test="db-metadata-count">{t('shell.metadataObjects', { count: metadataTotal })}</li>
                <li data-test="db-datavalue-count">{t('shell.dataValues', { count: app.dbInfo.dataValues })}</li>
                <li data-test="db-event-count">{t('shell.events', { count: app.dbInfo.events })}</li>
              </ul>
            )}
          </div>
        </nav>
        <main className="main" id="main">
          {app.error && (
            <Notice kind="error" title={t('shell.engineDown')}>
              {app.error}
            </Notice>
          )}
          {app.loaded ? <Screen /> : <p className="muted">{t('common:loading')}</p>}
        </main>
      </div>
    </div>
  );
}
