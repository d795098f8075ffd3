/**
 * Org units picked in the tree, each with what to include (the unit only, with children, the whole subtree), as the data
 * export and the DHIS 1.4 data export offer them: the tree, then a table of the picked units with their mode and Remove.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { OrgUnitNode } from '../../src-shared/api/contract.ts';
import { OrgUnitTree } from './OrgUnitTree.tsx';
import type { OrgUnitMode, OrgUnitSelection as Picked } from '../stores/exports.ts';

/** What to include for a picked org unit, in the chosen language. */
export function orgUnitModes(t: TFunction<'components'>): { value: OrgUnitMode; label: string }[] {
  return [
    { value: 'SELECTED', label: t('ou.mode.SELECTED') },
    { value: 'CHILDREN', label: t('ou.mode.CHILDREN') },
    { value: 'DESCENDANTS', label: t('ou.mode.DESCENDANTS') },
  ];
}

export function OrgUnitSelection({ value, onChange }: { value: Picked[]; onChange: (next: Picked[]) => void }) {
  const { t } = useTranslation('components');
  const toggle = (n: OrgUnitNode, on: boolean): void => {
    const rest = value.filter((u) => u.id !== n.uid);
    onChange(on ? [...rest, { id: n.uid, name: n.name ?? n.code ?? n.uid, mode: 'DESCENDANTS' }] : rest);
  };
  const setMode = (id: string, mode: OrgUnitMode): void => onChange(value.map((u) => (u.id === id ? { ...u, mode } : u)));
  return (
    <fieldset className="field">
      <legend>{t('ou.legend')}</legend>
      <OrgUnitTree selected={value.map((u) => u.id)} onToggle={toggle} />
      {value.length > 0 && (
        <table className="table compact" data-test="ou-selection">
          <thead>
            <tr>
              <th scope="col">{t('ou.selected')}</th>
              <th scope="col">{t('ou.include')}</th>
              <th scope="col">
                <span className="sr-only">{t('picker.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {value.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>
                  <select aria-label={t('ou.includeFor', { name: u.name })} value={u.mode} onChange={(e) => setMode(u.id, e.target.value as OrgUnitMode)} data-uid={u.id}>
                    {orgUnitModes(t).map((m) => (
                      <option key={m.value} value={m.value}>
                        {m.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="actions">
                  <button type="button" className="button small" aria-label={t('picker.removeName', { name: u.name })} onClick={() => onChange(value.filter((x) => x.id !== u.id))}>
                    {t('picker.remove')}
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
