/**
 * Names, not ids (issue 15): the conflict tables look up the uids of the rows they show (metadata:names, one call per
 * page) and show "Penta 1 doses given (fbfJHSPpUQD)" where DHIS2's summary has only the uid. A uid Ferry does not know
 * stays as it is. The CSV download and the table's filter need the names of every row: fetchNames asks them in chunks
 * of 1,000 uids (one call per chunk, never one per row).
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MetadataName } from '../../src-shared/api/contract.ts';
import { invoke } from '../api.ts';

/** A DHIS2 uid: a letter then 10 letters or digits (found inside messages as a whole word). */
const UID_IN_TEXT = /\b[A-Za-z][A-Za-z0-9]{10}\b/g;
/** the channel's limit */
export const MAX_NAME_LOOKUP = 1000;

const isUidLike = (s: string): boolean => /^[A-Za-z][A-Za-z0-9]{10}$/.test(s);

/** The uid-like words of a text (a plain 11-letter word is looked up too; the engine simply knows no such uid). */
export function uidsIn(text: string): string[] {
  return text.match(UID_IN_TEXT) ?? [];
}

export type Names = ReadonlyMap<string, MetadataName>;

/**
 * The names of every uid among `uids` (duplicates and words that cannot be uids dropped), however many: one
 * metadata:names call per MAX_NAME_LOOKUP distinct uids, one after the other. Rejects when a call fails.
 */
export async function fetchNames(uids: Iterable<string>): Promise<Map<string, MetadataName>> {
  const wanted = [...new Set(uids)].filter(isUidLike).sort();
  const out = new Map<string, MetadataName>();
  for (let i = 0; i < wanted.length; i += MAX_NAME_LOOKUP) {
    const r = await invoke('metadata:names', { uids: wanted.slice(i, i + MAX_NAME_LOOKUP) });
    for (const [uid, v] of Object.entries(r)) out.set(uid, v);
  }
  return out;
}

/**
 * The names of every uid in `uids` (fetchNames: chunks of 1,000), asked when the list is given (null: not wanted yet)
 * and again only when its set of uids changes; empty until answered, or when a lookup fails.
 */
export function useAllNames(uids: readonly string[] | null): Names {
  const key = useMemo(() => (uids ? [...new Set(uids.filter(isUidLike))].sort().join(',') : null), [uids]);
  const [names, setNames] = useState<{ key: string | null; map: Names }>({ key: null, map: new Map() });
  useEffect(() => {
    if (!key) return;
    let live = true;
    fetchNames(key.split(',')).then(
      (map) => live && setNames({ key, map }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [key]);
  return key && names.key === key ? names.map : EMPTY;
}

const NamesContext = createContext<Names>(new Map());

/** The names of `uids` (at most MAX_NAME_LOOKUP, first come first asked); empty until answered, or when the lookup fails. */
export function useMetadataNames(uids: readonly string[]): Names {
  const wanted = useMemo(() => [...new Set(uids.filter(isUidLike))].sort().slice(0, MAX_NAME_LOOKUP), [uids]);
  const key = wanted.join(',');
  const [names, setNames] = useState<{ key: string; map: Names }>({ key: '', map: new Map() });
  useEffect(() => {
    if (!wanted.length) return;
    let live = true;
    invoke('metadata:names', { uids: wanted }).then(
      (r) => live && setNames({ key, map: new Map(Object.entries(r)) }),
      // names are a help: without them the uids are shown as before
      () => undefined,
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return names.key === key ? names.map : EMPTY;
}
const EMPTY: Names = new Map();

export function NamesProvider({ names, children }: { names: Names; children: ReactNode }) {
  return <NamesContext.Provider value={names}>{children}</NamesContext.Provider>;
}

/** The name Ferry knows for a uid (null when none). */
export function useNameOf(uid: string | undefined): string | null {
  const names = useContext(NamesContext);
  return (uid && names.get(uid)?.name) || null;
}

/** A uid as "name (uid)" when Ferry knows its name, else the uid alone. */
export function NamedUid({ uid }: { uid: string }) {
  const name = useNameOf(uid);
  if (!name) return <code className="uid">{uid}</code>;
  return (
    <span className="named" data-test="named-uid">
      {name} (<code className="uid">{uid}</code>)
    </span>
  );
}

/**
 * A message with every uid Ferry knows written "name (uid)". A uid whose name the message already says (DHIS2's
 * metadata messages read "Name [uid]") is left as it is.
 */
export function TextWithNames({ text }: { text: string }) {
  const names = useContext(NamesContext);
  const named = withNames(text, names);
  if (named === text) return <>{text}</>;
  return <span data-test="named-text">{named}</span>;
}

/** The text as TextWithNames shows it: each uid Ferry knows as "name (uid)", unless the text already says that name. */
export function withNames(text: string, names: Names): string {
  if (!names.size || !text) return text;
  const parts: string[] = [];
  let at = 0;
  for (const m of text.matchAll(UID_IN_TEXT)) {
    const name = names.get(m[0])?.name;
    if (!name || text.includes(name)) continue;
    parts.push(text.slice(at, m.index), `${name} (${m[0]})`);
    at = m.index + m[0].length;
  }
  if (!parts.length) return text;
  parts.push(text.slice(at));
  return parts.join('');
}
