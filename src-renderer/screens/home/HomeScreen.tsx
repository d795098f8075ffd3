/** Start page: what this database holds and where to go. */
import { fmtNumber, typeLabel } from '../../components/format.ts';
import { useApp, visibleMenu } from '../../stores/app.ts';

export function HomeScreen() {
  const { dbInfo, capabilities, navigate } = useApp();
  const menu = visibleMenu(capabilities).filter((m) => m.screen !== 'jobs');
  const types = Object.entries(dbInfo?.metadata ?? {}).sort((a, b) => b[1] - a[1]);
  return (
    <div className="screen" data-test="home">
      <h1>Import and export</h1>
      <div className="tiles">
        {menu.map((m) => (
          <button key={m.screen} type="button" className="tile" onClick={() => navigate(m.screen)}>
            <span className="tile-group">{m.group}</span>
            <span className="tile-label">{m.label}</span>
          </button>
        ))}
      </div>
      <section className="card">
        <h2>This database</h2>
        <p>
          {fmtNumber(dbInfo?.dataValues ?? 0)} data values · {fmtNumber(dbInfo?.events ?? 0)} events
        </p>
        {types.length ? (
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
          <p className="muted">No metadata yet. Start with a metadata import.</p>
        )}
      </section>
    </div>
  );
}
