/** Organisation unit tree: lazy expand (orgUnits:children), search, multi-select with checkboxes. */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgUnitNode } from '../../src-shared/api/contract.ts';
import { errorText, invoke } from '../api.ts';
import { fmtNumber } from './format.ts';

export function OrgUnitTree(p: { selected: string[]; onToggle: (node: OrgUnitNode, checked: boolean) => void }) {
  const { t } = useTranslation(['components', 'common']);
  const [children, setChildren] = useState<Record<string, OrgUnitNode[]>>({});
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<OrgUnitNode[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const searchId = useId();

  const load = async (parent: string | null): Promise<void> => {
    const key = parent ?? '';
    if (children[key]) return;
    try {
      const nodes = await invoke('orgUnits:children', { parent });
      setChildren((c) => ({ ...c, [key]: nodes }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  useEffect(() => {
    void load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const q = search.trim();
    if (!q) {
      setResults(null);
      return;
    }
    const t = setTimeout(() => {
      invoke('orgUnits:children', { search: q })
        .then(setResults)
        .catch((e: unknown) => setError(errorText(e)));
    }, 250);
    return () => clearTimeout(t);
  }, [search]);

  const toggleExpand = (uid: string): void => {
    const opening = !expanded.has(uid);
    setExpanded((s) => {
      const n = new Set(s);
      if (opening) n.add(uid);
      else n.delete(uid);
      return n;
    });
    if (opening) void load(uid);
  };

  const row = (n: OrgUnitNode, showPath: boolean) => {
    const label = n.name ?? n.code ?? n.uid;
    const checked = p.selected.includes(n.uid);
    return (
      <div className="ou-row">
        {!showPath && n.childCount > 0 ? (
          <button
            type="button"
            className="ou-toggle"
            aria-expanded={expanded.has(n.uid)}
            aria-label={expanded.has(n.uid) ? t('ou.collapse', { name: label }) : t('ou.expand', { name: label })}
            onClick={() => toggleExpand(n.uid)}
          >
            {expanded.has(n.uid) ? '▾' : '▸'}
          </button>
        ) : (
          <span className="ou-toggle-space" />
        )}
        <label className="checkbox">
          <input type="checkbox" checked={checked} onChange={(e) => p.onToggle(n, e.target.checked)} data-uid={n.uid} />
          {label}
          {n.childCount > 0 && <span className="muted small"> {t('ou.below', { n: fmtNumber(n.childCount) })}</span>}
          {showPath && n.level != null && <span className="muted small"> · {t('ou.level', { n: n.level })}</span>}
        </label>
      </div>
    );
  };

  const renderLevel = (parent: string | null) => {
    const nodes = children[parent ?? ''];
    if (!nodes) return <div className="muted small ou-loading">{t('common:loading')}</div>;
    if (!nodes.length && parent == null) return <div className="muted">{t('ou.noneYet')}</div>;
    return (
      <ul className="ou-list">
        {nodes.map((n) => (
          <li key={n.uid}>
            {row(n, false)}
            {expanded.has(n.uid) && renderLevel(n.uid)}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <div className="ou-tree" data-test="org-unit-tree">
      <label htmlFor={searchId} className="sr-only">
        {t('ou.search')}
      </label>
      <input id={searchId} type="search" placeholder={t('ou.searchPlaceholder')} value={search} onChange={(e) => setSearch(e.target.value)} />
      {error && <div className="notice notice-error">{error}</div>}
      <div className="ou-scroll">
        {results ? (
          results.length ? (
            <ul className="ou-list">
              {results.map((n) => (
                <li key={n.uid}>{row(n, true)}</li>
              ))}
            </ul>
          ) : (
            <div className="muted">{t('ou.noMatch', { search })}</div>
          )
        ) : (
          renderLevel(null)
        )}
      </div>
    </div>
  );
}
