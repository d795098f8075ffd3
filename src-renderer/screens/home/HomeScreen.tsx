/** Start page: what this database holds and where to go; on a fresh database, what to do first. */
import { Trans, useTranslation } from 'react-i18next';
import { typeLabel } from '../../components/format.ts';
import { useApp, visibleMenu } from '../../stores/app.ts';
import { isFreshDatabase, TILE_PURPOSE_KEY } from './first-run.ts';

export function HomeScreen() {
  const { t } = useTranslation('app');
  const { dbInfo, capabilities, navigate } = useApp();
  const menu = visibleMenu(capabilities).filter((m) => m.screen !== 'jobs');
  const types = Object.entries(dbInfo?.metadata ?? {}).sort((a, b) => b[1] - a[1]);
  const fresh = isFreshDatabase(dbInfo);
  const can = (screen: string): boolean => menu.some((m) => m.screen === screen);
  return (
    <div className="screen" data-test="home">
      <h1>{t('home.title')}</h1>
      {fresh && (
        <section className="card first-run" data-test="first-run">
          <h2>{t('home.firstRun.title')}</h2>
          <p>{t('home.firstRun.intro')}</p>
          <ol className="first-steps">
            <li>
              <Trans t={t} i18nKey="home.firstRun.metadata" components={{ b: <strong /> }} />
            </li>
            <li>
              <Trans t={t} i18nKey="home.firstRun.data" components={{ b: <strong /> }} />
            </li>
            {can('receive') && (
              <li>
                <Trans t={t} i18nKey="home.firstRun.receive" components={{ b: <strong /> }} />
              </li>
            )}
          </ol>
          <div className="button-row left">
            {can('import-metadata') && (
              <button type="button" className="button primary" onClick={() => navigate('import-metadata')} data-test="first-run-metadata">
                {t('home.firstRun.importMetadata')}
              </button>
            )}
            {can('receive') && (
              <button type="button" className="button" onClick={() => navigate('receive')} data-test="first-run-receive">
                {t('home.firstRun.receivePackage')}
              </button>
            )}
          </div>
        </section>
      )}
      <div className="tiles">
        {menu.map((m) => (
          <button key={m.screen} type="button" className="tile" onClick={() => navigate(m.screen)} data-test={`tile-${m.screen}`}>
            <span className="tile-group">{t(`menu.group.${m.group}`)}</span>
            <span className="tile-label">{t(`menu.${m.screen}`)}</span>
            {m.screen !== 'home' && <span className="tile-purpose">{t(TILE_PURPOSE_KEY[m.screen])}</span>}
          </button>
        ))}
      </div>
      <section className="card">
        <h2>{t('home.database.title')}</h2>
        <p data-test="home-counts">
          {t('shell.dataValues', { count: dbInfo?.dataValues ?? 0 })} · {t('shell.events', { count: dbInfo?.events ?? 0 })}
        </p>
        {types.length && !fresh ? (
          <table className="table compact" data-test="db-counts">
            <tbody>
              {types.map(([type, n]) => (
                <tr key={type} data-type={type}>
                  <th scope="row">{typeLabel(type)}</th>
                  <td className="num">{t('home.database.count', { n })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted" data-test="no-metadata">
            {types.length ? t('home.database.onlyDefaults') : t('home.database.noMetadata')}
          </p>
        )}
      </section>
    </div>
  );
}
