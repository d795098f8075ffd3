/** The org unit tree (lazy children, search, selection) and the metadata picker with a fake Api. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import type { OrgUnitNode } from '../../../src-shared/api/contract.ts';
import { setApi } from '../../../src-renderer/api.ts';
import { OrgUnitTree } from '../../../src-renderer/components/OrgUnitTree.tsx';
import { MetadataPicker } from '../../../src-renderer/components/MetadataPicker.tsx';
import { fakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

const node = (uid: string, name: string, level: number, childCount: number): OrgUnitNode => ({ uid, code: null, name, level, path: null, childCount });
const TREE: Record<string, OrgUnitNode[]> = {
  '': [node('OuRoot00001', 'Sierra Leone', 1, 2)],
  OuRoot00001: [node('OuBo0000001', 'Bo', 2, 1), node('OuKenema001', 'Kenema', 2, 0)],
  OuBo0000001: [node('OuBoHosp001', 'Bo Hospital', 3, 0)],
};

function Harness() {
  const [sel, setSel] = useState<string[]>([]);
  return (
    <>
      <OrgUnitTree selected={sel} onToggle={(n, on) => setSel((s) => (on ? [...s, n.uid] : s.filter((x) => x !== n.uid)))} />
      <output data-test="sel">{sel.join(',')}</output>
    </>
  );
}

describe('OrgUnitTree', () => {
  it('loads children only when a node is expanded, and selects several units', async () => {
    const api = fakeApi({
      'orgUnits:children': (r) => (r.search ? [node('OuBoHosp001', 'Bo Hospital', 3, 0)] : TREE[r.parent ?? ''] ?? []),
    });
    setApi(api);
    render(<Harness />);
    await screen.findByText('Sierra Leone');
    expect(api.callsTo('orgUnits:children')).toEqual([{ parent: null }]);
    fireEvent.click(screen.getByRole('button', { name: 'Expand Sierra Leone' }));
    await screen.findByText('Kenema');
    fireEvent.click(screen.getByRole('button', { name: 'Expand Bo' }));
    await screen.findByText('Bo Hospital');
    expect(api.callsTo('orgUnits:children')).toEqual([{ parent: null }, { parent: 'OuRoot00001' }, { parent: 'OuBo0000001' }]);
    fireEvent.click(screen.getByRole('checkbox', { name: /^Bo \(/ }));
    fireEvent.click(screen.getByRole('checkbox', { name: /Kenema/ }));
    expect(screen.getByTestId('sel').textContent).toBe('OuBo0000001,OuKenema001');
    // collapsing and expanding again does not reload
    fireEvent.click(screen.getByRole('button', { name: 'Collapse Bo' }));
    fireEvent.click(screen.getByRole('button', { name: 'Expand Bo' }));
    expect(api.callsTo('orgUnits:children')).toHaveLength(3);
  });

  it('searches by name and shows matches with their level', async () => {
    const api = fakeApi({
      'orgUnits:children': (r) => (r.search ? [node('OuBoHosp001', 'Bo Hospital', 3, 0)] : TREE[r.parent ?? ''] ?? []),
    });
    setApi(api);
    render(<Harness />);
    await screen.findByText('Sierra Leone');
    fireEvent.change(screen.getByLabelText('Search organisation units'), { target: { value: 'hosp' } });
    await screen.findByText('Bo Hospital', undefined, { timeout: 2000 });
    expect(api.callsTo('orgUnits:children')).toContainEqual({ search: 'hosp' });
    expect(screen.getByText(/level 3/)).toBeTruthy();
  });
});

describe('MetadataPicker', () => {
  it('lists objects of a type and keeps the chosen ones', async () => {
    const api = fakeApi({
      'metadata:list': (r) =>
        [
          { uid: 'DsAnc000001', code: 'DS_ANC', name: 'ANC monthly' },
          { uid: 'DsMal000001', code: null, name: 'Malaria monthly' },
        ].filter((x) => !r.search || x.name.toLowerCase().includes(r.search.toLowerCase())),
    });
    setApi(api);
    let chosen: { id: string; name: string }[] = [];
    render(<MetadataPicker type="dataSets" label="Data sets" multiple selected={[]} selectedItems={[]} onChange={(x) => (chosen = x)} />);
    await screen.findByText('ANC monthly');
    expect(api.callsTo('metadata:list')[0]).toMatchObject({ type: 'dataSets' });
    fireEvent.click(screen.getByRole('checkbox', { name: /Malaria monthly/ }));
    expect(chosen).toEqual([{ id: 'DsMal000001', name: 'Malaria monthly' }]);
    fireEvent.change(screen.getByLabelText('Search Data sets'), { target: { value: 'anc' } });
    await waitFor(() => expect(screen.queryByText('Malaria monthly')).toBeNull(), { timeout: 2000 });
  });
});
