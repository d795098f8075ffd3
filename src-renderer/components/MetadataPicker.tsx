/** Pick one or several objects of a type (metadata:list with search). */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetadataListItem } from '../../src-shared/api/contract.ts';
import { errorText, invoke } from '../api.ts';
import { fmtNumber } from './format.ts';

export function MetadataPicker(p: {
  type: string;
  label: string;
  multiple: boolean;
  selected: string[];
  onChange: (items: { id: string; name: string }[]) => void;
  /** current selection with names (kept when the search hides them) */
  selectedItems: { id: string; name: string }[];
  /** only objects linked to this one (uid): a program's stages */
  linkedTo?: string;
}) {
  const { t } = useTranslation(['components', 'common']);
  const [search, setSearch] = useState('');
  const [items, setItems] = useState<MetadataListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const searchId = useId();
  const groupName = useId();

  useEffect(() => {
    let live = true;
    const t = setTimeout(
      () => {
        invoke('metadata:list', { type: p.type, search: search.trim() || undefined, limit: 500, ...(p.linkedTo ? { linkedTo: p.linkedTo } : {}) })
          .then((r) => live && (setItems(r), setError(null)))
          .catch((e: unknown) => live && setError(errorText(e)));
      },
      search ? 250 : 0,
    );
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [p.type, search, p.linkedTo]);

  const nameOf = (i: MetadataListItem): string => i.name ?? i.code ?? i.uid;
  const toggle = (i: MetadataListItem, on: boolean): void => {
    const item = { id: i.uid, name: nameOf(i) };
    if (!p.multiple) return p.onChange(on ? [item] : []);
    const rest = p.selectedItems.filter((s) => s.id !== i.uid);
    p.onChange(on ? [...rest, item] : rest);
  };

  return (
    <div className="picker" data-test={`picker-${p.type}`}>
      <label htmlFor={searchId} className="sr-only">
        {t('picker.search', { what: p.label })}
      </label>
      <input id={searchId} type="search" placeholder={t('picker.searchPlaceholder', { what: p.label.toLowerCase() })} value={search} onChange={(e) => setSearch(e.target.value)} />
      {error && <div className="notice notice-error">{error}</div>}
      <div className="picker-list" role="group" aria-label={p.label}>
        {items == null ? (
          <div className="muted small">{t('common:loading')}</div>
        ) : items.length === 0 ? (
          <div className="muted">{search ? t('picker.nothingMatches', { search }) : t('picker.noneYet', { what: p.label.toLowerCase() })}</div>
        ) : (
          items.map((i) => (
            <label key={i.uid} className={p.multiple ? 'checkbox' : 'radio'}>
              <input
                type={p.multiple ? 'checkbox' : 'radio'}
                name={p.multiple ? undefined : groupName}
                checked={p.selected.includes(i.uid)}
                onChange={(e) => toggle(i, e.target.checked)}
                data-uid={i.uid}
              />
              {nameOf(i)}
              {i.code && i.code !== i.name && <span className="muted small"> · {i.code}</span>}
            </label>
          ))
        )}
      </div>
      {p.multiple && p.selectedItems.length > 0 && (
        <div className="muted small">
          {t('picker.selected', { n: fmtNumber(p.selectedItems.length), names: p.selectedItems.map((s) => s.name).join(', ') })}
        </div>
      )}
    </div>
  );
}
