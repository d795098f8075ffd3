/**
 * Extracts every error code DHIS2 can report from the dhis2-core git mirror into docs/error-codes/dhis2-codes.json:
 * the `ErrorCode` enum (metadata import, aggregate data import, geometry, the APIs) and the tracker importer's
 * `ValidationCode` enum, each at tags 2.42.0 and 2.42.5.2 and at master (HEAD), with the message template exactly as DHIS2 words
 * it at each ref. Run by hand when the mirror moves (never by a test):
 *   node --import tsx scripts/error-codes/extract.ts [--git-dir /work/.mirror/dhis2+dhis2-core/repo]
 * The output is deterministic (sorted, no dates); `npm run error-codes` then regenerates docs/dhis2-error-codes.md.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dhis2CodesFile, Dhis2Code, EnumId, Ref } from './model.ts';
import { REFS, compareCodes, versionsNote } from './model.ts';

/**
 * 2.42.0 and master as issue 12 asks, plus 2.42.5.2 (the last 2.42 patch release, the spec's primary reference:
 * the tracker messages were reworded in 2.42.1). The ref name recorded in the JSON → what git resolves (the mirror's
 * HEAD is dhis2-core's master).
 */
const GIT_REF: Record<Ref, string> = { '2.42.0': '2.42.0', '2.42.5.2': '2.42.5.2', master: 'HEAD' };
const ENUMS: { id: EnumId; path: string }[] = [
  { id: 'ErrorCode', path: 'dhis-2/dhis-api/src/main/java/org/hisp/dhis/feedback/ErrorCode.java' },
  { id: 'ValidationCode', path: 'dhis-2/dhis-api/src/main/java/org/hisp/dhis/tracker/imports/validation/ValidationCode.java' },
];

interface JavaToken {
  kind: 'comment' | 'string' | 'ident' | 'punct';
  text: string;
}

/** A small Java tokenizer: enough for an enum of constants with string arguments (comments, strings, identifiers). */
export function tokenizeJava(src: string): JavaToken[] {
  const out: JavaToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      out.push({ kind: 'comment', text: src.slice(i, stop) });
      i = stop;
    } else if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      out.push({ kind: 'comment', text: src.slice(i, stop) });
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\') {
          const e = src[j + 1]!;
          text += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          j += 2;
        } else {
          text += src[j];
          j++;
        }
      }
      out.push({ kind: 'string', text });
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_$.]/.test(src[j]!)) j++;
      out.push({ kind: 'ident', text: src.slice(i, j) });
      i = j;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

function commentText(raw: string): string {
  return raw
    .replace(/^\/\*+|\*\/$/g, '')
    .replace(/^\/\/+/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*?\s?/, '').trim())
    .filter(Boolean)
    .join(' ')
    .trim();
}

export interface ParsedConstant {
  code: string;
  message: string;
  /** The nearest ordinary comment above the constant in the enum (DHIS2's section heading), '' when none. */
  section: string;
}

/** The constants `E1234("…" + "…")` of a Java enum, in source order; `Constants.X` arguments resolved. */
export function parseEnum(src: string): ParsedConstant[] {
  const tokens = tokenizeJava(src);
  const constants = new Map<string, string>();
  // static final String NAME = "…" (+ "…")*;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'ident' && t.text === 'String' && tokens[k + 1]?.kind === 'ident' && tokens[k + 2]?.text === '=') {
      let m = k + 3;
      let value = '';
      while (tokens[m]?.kind === 'string' || tokens[m]?.text === '+') {
        if (tokens[m]!.kind === 'string') value += tokens[m]!.text;
        m++;
      }
      if (value) constants.set(tokens[k + 1]!.text, value);
    }
  }
  const out: ParsedConstant[] = [];
  let section = '';
  let depth = 0;
  let inEnum = false;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (!inEnum) {
      if (t.kind === 'ident' && t.text === 'enum') inEnum = true;
      continue;
    }
    if (t.kind === 'punct' && t.text === '{') depth++;
    if (t.kind === 'punct' && t.text === '}') depth--;
    if (t.kind === 'comment' && depth === 1 && !t.text.startsWith('/**')) {
      const text = commentText(t.text);
      if (text) section = text;
      continue;
    }
    if (depth !== 1 || t.kind !== 'ident' || !/^E\d{4}$/.test(t.text) || tokens[k + 1]?.text !== '(') continue;
    let m = k + 2;
    let message = '';
    let parens = 1;
    let args = 0;
    for (; m < tokens.length && parens > 0; m++) {
      const a = tokens[m]!;
      if (a.text === '(' && a.kind === 'punct') parens++;
      else if (a.text === ')' && a.kind === 'punct') parens--;
      else if (a.text === ',' && a.kind === 'punct' && parens === 1) args++;
      else if (args === 0 && parens === 1 && a.kind === 'string') message += a.text;
      else if (args === 0 && parens === 1 && a.kind === 'ident') {
        const name = a.text.replace(/^Constants\./, '');
        const value = constants.get(name);
        if (value === undefined) throw new Error(`${t.text}: cannot resolve ${a.text}`);
        message += value;
      }
    }
    out.push({ code: t.text, message, section });
    k = m - 1;
  }
  return out;
}

function gitShow(gitDir: string, ref: string, file: string): string {
  return execFileSync('git', ['--git-dir', gitDir, 'show', `${ref}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function gitRev(gitDir: string, ref: string): string {
  return execFileSync('git', ['--git-dir', gitDir, 'rev-parse', `${ref}^{commit}`], { encoding: 'utf8' }).trim();
}

export function extract(gitDir: string): Dhis2CodesFile {
  const byKey = new Map<string, Dhis2Code>();
  for (const e of ENUMS) {
    for (const ref of REFS) {
      const parsed = parseEnum(gitShow(gitDir, GIT_REF[ref], e.path));
      for (const p of parsed) {
        const key = `${e.id}:${p.code}`;
        let entry = byKey.get(key);
        if (!entry) {
          entry = { enum: e.id, code: p.code, messages: {}, sections: {} };
          byKey.set(key, entry);
        }
        if (entry.messages[ref] !== undefined) throw new Error(`${key} twice at ${ref}`);
        entry.messages[ref] = p.message;
        entry.sections[ref] = p.section;
      }
    }
  }
  const codes = [...byKey.values()].sort(compareCodes);
  for (const c of codes) {
    const note = versionsNote(c);
    if (note) c.versions = note;
  }
  return {
    source: {
      repository: 'dhis2/dhis2-core',
      refs: Object.fromEntries(REFS.map((r) => [r, gitRev(gitDir, GIT_REF[r])])),
      enums: Object.fromEntries(ENUMS.map((e) => [e.id, e.path])),
    },
    codes,
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const argIdx = process.argv.indexOf('--git-dir');
  const gitDir = argIdx > 0 ? process.argv[argIdx + 1]! : '/work/.mirror/dhis2+dhis2-core/repo';
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const out = path.join(root, 'docs/error-codes/dhis2-codes.json');
  const data = extract(gitDir);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(data, null, 2) + '\n');
  const counts = ENUMS.map((e) => `${e.id} ${data.codes.filter((c) => c.enum === e.id).length}`).join(', ');
  console.log(`wrote ${path.relative(root, out)}: ${counts}`);
}
