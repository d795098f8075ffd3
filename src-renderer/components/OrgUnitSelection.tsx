/**
 * Org units picked in the tree, each with what to include (the unit only, with children, the whole subtree), as the data
 * export and the DHIS 1.4 data export offer them: the tree, then a table of the picked units with their mode and Remove.
 */
import type { OrgUnitNode } from '../../src-shared/api/contract.ts';
import { OrgUnitTree } from './OrgUnitTree.tsx';
import type { OrgUnitMode, OrgUnitSelection as Picked } from '../stores/exports.ts';

export const ORG_UNIT_MODES: { value: OrgUnitMode; label: string }[] = [
  { value: 'SELECTED', label: 'Selected only' },
  { value: 'CHILDREN', label: 'With children' },
  { value: 'DESCENDANTS', label: 'All descendants' },
];

export function OrgUnitSelection({ value, onChange }: { value: Picked[]; onChange: (next: Picked[]) => void }) {
  const toggle = (n: OrgUnitNode, on: boolean): void => {
    const rest = value.filter((u) => u.id !== n.uid);
    onChange(on ? [...rest, { id: n.uid, name: n.name ?? n.code ?? n.uid, mode: 'DESCENDANTS' }] : rest);
  };
  const setMode = (id: string, mode: OrgUnitMode): void => onChange(value.map((u) => (u.id === id ? { ...u, mode } : u)));
  return (
    <fieldset className="field">
      <legend>Organisation units</legend>
      <OrgUnitTree selected={value.map((u) => u.id)} onToggle={toggle} />
      {value.length > 0 && (
        <table className="table compact" data-test="ou-selection">
          <thead>
            <tr>
              <th scope="col">Selected</th>
              <th scope="col">Include</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {value.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>
                  <select aria-label={`What to include for ${u.name}`} value={u.mode} onChange={(e) => setMode(u.id, e.target.value as OrgUnitMode)} data-uid={u.id}>
                    {ORG_UNIT_MODES.map((m) => (
                      <option key={m.value} value={m.value}>
                        {m.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="actions">
                  <button type="button" className="button small" aria-label={`Remove ${u.name}`} onClick={() => onChange(value.filter((x) => x.id !== u.id))}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </fieldset>
  );
}
