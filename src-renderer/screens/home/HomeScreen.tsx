/** Start page: what this database holds and where to go; on a fresh database, what to do first. */
import { fmtNumber, typeLabel } from '../../components/format.ts';
import { useApp, visibleMenu } from '../../stores/app.ts';
import { isFreshDatabase, TILE_PURPOSE } from './first-run.ts';

export function HomeScreen() {
  const { dbInfo, capabilities, navigate } = useApp();
  const menu = visibleMenu(capabilities).filter((m) => m.screen !== 'jobs');
  const types = Object.entries(dbInfo?.metadata ?? {}).sort((a, b) => b[1] - a[1]);
  const fresh = isFreshDatabase(dbInfo);
  const can = (screen: string): boolean => menu.some((m) => m.screen === screen);
  return (
    <div className="screen" data-test="home">
      <h1>Import and export</h1>
      {fresh && (
        <section className="card first-run" data-test="first-run">
          <h2>Start here: this database is empty</h2>
          <p>
            Ferry keeps a copy of your DHIS2 setup on this computer. Nothing has been imported yet: only the system
            defaults every DHIS2 database has (the “default” category combination and its option).
          </p>
          <ol className="first-steps">
            <li>
              <strong>Import the metadata first</strong>: the metadata file exported from your DHIS2 server (org units, data elements,
              data sets). Data values can only be stored for metadata this database knows.
            </li>
            <li>
              <strong>Then import data</strong>: data value files (JSON, XML, CSV, ADX) or events. Every import can be tried
              first as a dry run, which saves nothing.
            </li>
            {can('receive') && (
              <li>
                <strong>Or receive a package</strong> another site sent you: it brings the metadata and the data together.
              </li>
            )}
          </ol>
          <div className="button-row left">
            {can('import-metadata') && (
              <button type="button" className="button primary" onClick={() => navigate('import-metadata')} data-test="first-run-metadata">
                Import metadata
              </button>
            )}
            {can('receive') && (
              <button type="button" className="button" onClick={() => navigate('receive')} data-test="first-run-receive">
                Receive a package
              </button>
            )}
          </div>
        </section>
      )}
      <div className="tiles">
        {menu.map((m) => (
          <button key={m.screen} type="button" className="tile" onClick={() => navigate(m.screen)} data-test={`tile-${m.screen}`}>
            <span className="tile-group">{m.group}</span>
            <span className="tile-label">{m.label}</span>
            {m.screen !== 'home' && <span className="tile-purpose">{TILE_PURPOSE[m.screen]}</span>}
          </button>
        ))}
      </div>
      <section className="card">
        <h2>This database</h2>
        <p>
          {fmtNumber(dbInfo?.dataValues ?? 0)} data values · {fmtNumber(dbInfo?.events ?? 0)} events
        </p>
        {types.length && !fresh ? (
          <table className="table compact" data-test="db-counts">
            <tbody>
              {types.map(([t, n]) => (
                <tr key={t} data-type={t}>
                  <th scope="row">{typeLabel(t)}</th>
                  <td className="num">{fmtNumber(n)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted" data-test="no-metadata">
            No metadata yet{types.length ? ' (only the system defaults)' : ''}. Start with a metadata import.
          </p>
        )}
      </section>
    </div>
  );
}
