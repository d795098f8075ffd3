/** The app shell: header, left menu (only what the engine can do), database facts, the current screen. */
import { useEffect, type ComponentType } from 'react';
import { fmtNumber } from './components/format.ts';
import { Notice } from './components/Notice.tsx';
import { DataExportScreen } from './screens/data-export/DataExportScreen.tsx';
import { DataImportScreen } from './screens/data-import/DataImportScreen.tsx';
import { DbCheckScreen } from './screens/db-check/DbCheckScreen.tsx';
import { DbMaintenanceScreen } from './screens/db-maintenance/DbMaintenanceScreen.tsx';
import { DependencyExportScreen } from './screens/dependency-export/DependencyExportScreen.tsx';
import { HomeScreen } from './screens/home/HomeScreen.tsx';
import { useOpenFiles } from './screens/home/open-files.ts';
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

export function App() {
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
  const metadataTotal = Object.values(app.dbInfo?.metadata ?? {}).reduce((n, v) => n + v, 0);
  return (
    <div className="app">
      <header className="header">
        <button type="button" className="brand" onClick={() => app.navigate('home')}>
          Ferry
        </button>
        <span className="header-sub">Import / Export{app.version ? ` · ${app.version}` : ''}</span>
        <RunningIndicator />
      </header>
      <div className="body">
        <nav className="sidebar" aria-label="Main menu">
          {groups.map((g) => {
            const items = menu.filter((m) => m.group === g);
            if (!items.length) return null;
            return (
              <div key={g} className="menu-group">
                <div className="menu-title">{g}</div>
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
                        {m.label}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
          <div className="db-facts" data-test="db-facts">
            <div className="menu-title">Database</div>
            <div className="db-path" title={app.dbPath}>
              {app.dbPath || '—'}
            </div>
            {app.readOnly && (
              <div className="db-readonly" title={app.readOnly} data-test="db-readonly">
                Read-only: imports are refused
              </div>
            )}
            {app.dbInfo && (
              <ul>
                <li data-test="db-metadata-count">{fmtNumber(metadataTotal)} metadata objects</li>
                <li data-test="db-datavalue-count">{fmtNumber(app.dbInfo.dataValues)} data values</li>
                <li>{fmtNumber(app.dbInfo.events)} events</li>
              </ul>
            )}
          </div>
        </nav>
        <main className="main" id="main">
          {app.error && (
            <Notice kind="error" title="Ferry's engine is not available">
              {app.error}
            </Notice>
          )}
          {app.loaded ? <Screen /> : <p className="muted">Loading…</p>}
        </main>
      </div>
    </div>
  );
}
