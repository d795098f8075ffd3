/**
 * The house rules of DESIGN.md §2–§4, checked over the source tree so that they stay true:
 *  - SQL lives in src-main/db: no module outside it prepares statements or runs SQL;
 *  - formats are pure and do not import each other (shared scanners live in formats/shared);
 *  - src-shared imports nothing from src-main or src-renderer; src-renderer imports only src-shared (types from main);
 *  - only src-main/app and src-main/preload import electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (/\.(ts|tsx)$/.test(e.name)) out.push(rel.split(path.sep).join('/'));
  }
  return out;
}

const read = (f: string): string => fs.readFileSync(path.join(ROOT, f), 'utf8');
/** Code without comments, so that prose about SQL or imports does not count. */
const code = (f: string): string => read(f).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
const importsOf = (f: string): string[] => [...code(f).matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
const resolved = (f: string, spec: string): string => (spec.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(f), spec)) : spec);

const MAIN = sources('src-main');

describe('house rules over the source tree', () => {
  it('no module outside src-main/db prepares a statement or runs SQL', () => {
    const offenders: string[] = [];
    for (const f of MAIN) {
      if (f.startsWith('src-main/db/')) continue;
      const c = code(f);
      if (/\.prepare\(/.test(c)) offenders.push(`${f}: prepare(`);
      if (/\.pragma\(/.test(c)) offenders.push(`${f}: pragma(`);
      if (/\bdb\.exec\(|\.exec\(\s*['"`]\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA)/i.test(c)) offenders.push(`${f}: exec(SQL)`);
    }
    expect(offenders).toEqual([]);
  });

  it('format modules do not import each other (shared helpers live in formats/shared)', () => {
    const offenders: string[] = [];
    for (const f of MAIN.filter((x) => x.startsWith('src-main/formats/'))) {
      const folder = f.split('/')[2]!;
      if (!f.slice('src-main/formats/'.length).includes('/')) continue; // registry.ts, types.ts and the shared record types
      for (const spec of importsOf(f)) {
        const target = resolved(f, spec);
        if (!target.startsWith('src-main/')) continue;
        const parts = target.split('/');
        if (parts[1] !== 'formats') {
          offenders.push(`${f} → ${target} (formats are pure: no db, io, importers)`);
          continue;
        }
        const other = parts[2]!;
        if (parts.length > 3 && other !== folder && other !== 'shared') offenders.push(`${f} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('src-shared imports nothing from src-main or src-renderer and no node: modules', () => {
    const offenders = sources('src-shared').flatMap((f) =>
      importsOf(f)
        .filter((s) => s.startsWith('node:') || /src-(main|renderer)/.test(resolved(f, s)))
        .map((s) => `${f} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('src-renderer imports only src-shared (and types from the preload)', () => {
    const offenders = sources('src-renderer').flatMap((f) =>
      [...code(f).matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
        .filter((m) => /src-main/.test(resolved(f, m[2]!)) && !m[1])
        .map((m) => `${f} → ${m[2]}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only src-main/app and src-main/preload import electron', () => {
    const offenders = MAIN.filter((f) => !/^src-main\/(app|preload)\//.test(f)).filter((f) => importsOf(f).some((s) => s === 'electron' || s.startsWith('electron/')));
    expect(offenders).toEqual([]);
  });
});
