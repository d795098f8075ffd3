/**
 * `npm run error-codes`: writes docs/dhis2-error-codes.md, the coverage table of every error code DHIS2 can report
 * (docs/error-codes/dhis2-codes.json, extracted by extract.ts) against what Ferry does:
 *  - implemented: a module under src-main/ (or src-shared/, src-renderer/) emits the code — a string literal
 *    'E1234' / "E1234" / `E1234` in code, not in a comment (an object key E1234 of a message table only has its
 *    message checked; any other literal, even a comparison, counts) — AND a test under tests/ mentions it outside
 *    comments; the table names those test files;
 *  - not applicable offline / missing: the judgement of docs/error-codes/status.json (by family, or per code).
 * A code is read as a tracker ValidationCode when the file emitting (or testing) it lies on an events/tracker path,
 * else as an ErrorCode (the two enums reuse numbers: E1000 and E4000 exist in both).
 * Deterministic output (sorted, no dates). tests/unit/error-codes.test.ts regenerates it in memory and checks it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Dhis2Code, Dhis2CodesFile, EnumId, Family, Judgement, Ref, StatusFile } from './model.ts';
import { REFS, codeNumber, compareCodes, keyOf, versionsNote } from './model.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CODES_JSON = 'docs/error-codes/dhis2-codes.json';
export const STATUS_JSON = 'docs/error-codes/status.json';
export const TABLE_MD = 'docs/dhis2-error-codes.md';
const SOURCE_DIRS = ['src-main', 'src-shared', 'src-renderer'];
const TEST_DIR = 'tests';
/** The table's own test names codes in synthetic trees: no proof of anything. */
const SELF_TEST = 'tests/unit/error-codes.test.ts';
const CODE_RE = /^E\d{4}$/;
/** Files on these paths speak the tracker importer's ValidationCode; everything else DHIS2's ErrorCode. */
const TRACKER_PATH = /(^|\/)(events?|tracker)([-/._]|$)|(^|\/)[^/]*(events?|tracker)[^/]*\.(test\.)?tsx?$/i;

export function enumForPath(file: string): EnumId {
  return TRACKER_PATH.test(file) ? 'ValidationCode' : 'ErrorCode';
}

function listFiles(root: string, dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...listFiles(root, rel));
    } else if (/\.(ts|tsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

function parse(root: string, file: string): ts.SourceFile {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const kind = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

/** A message Ferry builds next to an emitted code: its constant pieces around the dynamic parts. */
export interface FerryMessage {
  pieces: string[];
}

export interface Occurrence {
  enum: EnumId;
  code: string;
  file: string;
  /**
   * A value (string literal) emits the code; an object key (`E7610: 'Data element not found…'`, a table of DHIS2's
   * messages) does not by itself — such tables may list codes Ferry never raises — but its message is word-checked.
   */
  emits: boolean;
  message?: FerryMessage;
}

function isStringish(n: ts.Node): n is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression {
  return ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n);
}

/** The constant pieces of a string or template literal; `{0}` placeholders in a plain string split it too. */
function piecesOf(n: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): string[] {
  if (ts.isTemplateExpression(n)) return [n.head.text, ...n.templateSpans.map((s) => s.literal.text)];
  return n.text.split(/\{\d+\}/);
}

const constantLength = (p: string[]): number => p.join('').length;
const looksLikeMessage = (p: string[]): boolean => constantLength(p) >= 12 && /\s/.test(p.join(''));

/** The message built next to a code literal: another argument of the same call, or the value of its object key. */
function messageNear(node: ts.Node): FerryMessage | undefined {
  const candidates: (ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression)[] = [];
  const collect = (n: ts.Node): void => {
    if (isStringish(n)) candidates.push(n);
    else if (!ts.isCallExpression(n)) ts.forEachChild(n, collect);
  };
  const p = node.parent;
  if ((ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p)) && p.name === node) {
    if (p.initializer) collect(p.initializer);
  } else if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(node as ts.Expression)) {
    for (const a of p.arguments) if (a !== node && isStringish(a)) candidates.push(a);
  } else if (ts.isPropertyAssignment(p) && p.initializer === node && ts.isObjectLiteralExpression(p.parent)) {
    for (const prop of p.parent.properties) {
      if (prop !== p && ts.isPropertyAssignment(prop) && /^(message|text)$/.test(prop.name.getText())) collect(prop.initializer);
    }
  }
  let best: FerryMessage | undefined;
  for (const c of candidates) {
    const pieces = piecesOf(c);
    if (looksLikeMessage(pieces) && (!best || constantLength(pieces) > constantLength(best.pieces))) best = { pieces };
  }
  return best;
}

/** Every code the sources name outside comments: string literals equal to a code (emitting) and object keys. */
export function scanSources(root: string = ROOT): Occurrence[] {
  const out: Occurrence[] = [];
  for (const file of SOURCE_DIRS.flatMap((d) => listFiles(root, d))) {
    const sf = parse(root, file);
    const visit = (n: ts.Node): void => {
      // an object key (`E7610: '…'`) or a constant named after a code (`const E1121 = '…'`): a message table entry
      const isKey = !!n.parent && (ts.isPropertyAssignment(n.parent) || ts.isVariableDeclaration(n.parent)) && n.parent.name === n;
      const text = ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isIdentifier(n) ? n.text : '';
      // a literal type ('E1234' | …) declares a code, it does not emit one
      if (CODE_RE.test(text) && n.parent && !ts.isLiteralTypeNode(n.parent) && (isKey || !ts.isIdentifier(n))) {
        const message = messageNear(n);
        out.push({ enum: enumForPath(file), code: text, file, emits: !isKey, ...(message ? { message } : {}) });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/** Test files mentioning each code (key "Enum:E1234") outside comments: in strings, templates, regexes or names. */
export function scanTests(root: string = ROOT): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const file of listFiles(root, TEST_DIR).filter((f) => f !== SELF_TEST)) {
    const sf = parse(root, file);
    const en = enumForPath(file);
    const visit = (n: ts.Node): void => {
      let text: string | undefined;
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isRegularExpressionLiteral(n)) text = n.text;
      else if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) text = n.text;
      else if (ts.isIdentifier(n) || ts.isJsxText(n)) text = n.text;
      if (text) {
        for (const m of text.matchAll(/(?<![A-Za-z0-9])E\d{4}(?![0-9])/g)) {
          const key = `${en}:${m[0]}`;
          if (!out.has(key)) out.set(key, new Set());
          out.get(key)!.add(file);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

export type Status = 'implemented' | 'emitted-untested' | 'not-applicable' | 'missing' | 'unclassified';

export interface Row {
  code: Dhis2Code;
  family: Family;
  status: Status;
  sources: string[];
  tests: string[];
  judgement?: Judgement;
  /** Judgement from the code entry (not the family default). */
  ownJudgement: boolean;
  versionNote: string;
}

export interface WordingDifference {
  key: string;
  file: string;
  ferry: string;
  dhis2: string;
  follows: Ref;
  matches: Ref[];
}

export interface Problems {
  /** Ferry emits a code that neither DHIS2 ref has for that enum (a typo, or the wrong enum for the path). */
  unknownEmitted: string[];
  /** Emitted, but no test under tests/ mentions it. */
  untested: string[];
  /** Marked not applicable (per code or by its family) yet Ferry emits it. */
  notApplicableButEmitted: string[];
  /** status.json names a code DHIS2 does not have. */
  unknownInStatus: string[];
  /** Codes in no family, or in more than one. */
  familyCoverage: string[];
  /** Codes neither implemented nor judged. */
  unclassified: string[];
}

export interface Report {
  rows: Row[];
  problems: Problems;
  wording: WordingDifference[];
  /** Codes (keys) with at least one message Ferry builds next to them, i.e. whose wording was checked. */
  wordingChecked: number;
  markdown: string;
}

function inRanges(code: string, ranges: [string, string][]): boolean {
  const n = codeNumber(code);
  return ranges.some(([a, b]) => n >= codeNumber(a) && n <= codeNumber(b));
}

function refsOf(c: Dhis2Code): Ref[] {
  return REFS.filter((r) => c.messages[r] !== undefined);
}

/** Where the refs disagree (existence, wording), and the ref Ferry follows for the family. */
function versionNote(c: Dhis2Code, f: Family): string {
  const note = versionsNote(c);
  if (!note) return '';
  const followed = c.messages[f.follows] !== undefined ? `follows ${f.follows}` : `not in ${f.follows}, which Ferry follows`;
  return `${note}; ${followed}`;
}

/** The message shown for a code: the followed ref's wording, else the nearest ref that has it. */
function shownMessage(c: Dhis2Code, f: Family): { ref: Ref; text: string } {
  const order: Ref[] = [f.follows, ...REFS.filter((r) => r !== f.follows).reverse()];
  const ref = order.find((r) => c.messages[r] !== undefined)!;
  return { ref, text: c.messages[ref]! };
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Ferry's message (constant pieces, dynamic parts between them) fits DHIS2's template when the template, its
 * placeholders `{0}`… read as "any text", matches Ferry's text with each dynamic part standing in as one marker
 * character: Ferry's constants must be DHIS2's constants, or lie inside what a placeholder fills in.
 */
function wordingMatches(pieces: string[], template: string): boolean {
  const re = new RegExp(`^${template.split(/\{\d+\}/).map(escapeRe).join('[\\s\\S]*?')}$`);
  return re.test(pieces.join('\u0000'));
}

export function buildReport(codesFile: Dhis2CodesFile, status: StatusFile, occurrences: Occurrence[], tests: Map<string, string[]>): Report {
  const problems: Problems = { unknownEmitted: [], untested: [], notApplicableButEmitted: [], unknownInStatus: [], familyCoverage: [], unclassified: [] };
  const known = new Map(codesFile.codes.map((c) => [keyOf(c), c]));
  const emittedBy = new Map<string, Set<string>>();
  for (const o of occurrences) {
    const k = keyOf(o);
    if (!known.has(k)) problems.unknownEmitted.push(`${k} in ${o.file}`);
    if (!o.emits) continue;
    if (!emittedBy.has(k)) emittedBy.set(k, new Set());
    emittedBy.get(k)!.add(o.file);
  }
  for (const k of Object.keys(status.codes)) if (!known.has(k)) problems.unknownInStatus.push(k);

  const rows: Row[] = [];
  for (const c of codesFile.codes) {
    const k = keyOf(c);
    const fams = status.families.filter((f) => f.enum === c.enum && inRanges(c.code, f.ranges));
    if (fams.length !== 1) {
      problems.familyCoverage.push(`${k}: ${fams.length ? fams.map((f) => f.id).join(', ') : 'no family'}`);
      if (!fams.length) continue;
    }
    const family = fams[0]!;
    const sources = [...(emittedBy.get(k) ?? [])].sort();
    const testFiles = tests.get(k) ?? [];
    const own = status.codes[k];
    const judgement = own ?? family.default;
    let st: Status;
    if (sources.length && testFiles.length) st = 'implemented';
    else if (sources.length) st = 'emitted-untested';
    else st = judgement?.status === 'implemented' ? 'missing' : (judgement?.status ?? 'unclassified');
    if (sources.length && !testFiles.length) problems.untested.push(`${k} (${sources.join(', ')})`);
    if (sources.length && judgement?.status === 'not-applicable') problems.notApplicableButEmitted.push(`${k} (${sources.join(', ')})`);
    if (st === 'unclassified') problems.unclassified.push(k);
    rows.push({ code: c, family, status: st, sources, tests: testFiles, ...(judgement ? { judgement } : {}), ownJudgement: !!own, versionNote: versionNote(c, family) });
  }
  rows.sort((a, b) => compareCodes(a.code, b.code));

  const familyOf = new Map(rows.map((r) => [keyOf(r.code), r.family]));
  const wording: WordingDifference[] = [];
  const seen = new Set<string>();
  // a code with an entry in a message table of the same folder: strings next to its literals there are the
  // arguments the table's pattern is filled with, not the message
  const dir = (o: Occurrence): string => path.posix.dirname(o.file);
  const tabled = new Set(occurrences.filter((o) => !o.emits && o.message).map((o) => `${keyOf(o)}|${dir(o)}`));
  const checked = new Set<string>();
  for (const o of occurrences) {
    const k = keyOf(o);
    const c = known.get(k);
    const f = familyOf.get(k);
    if (!o.message || !c || !f || (o.emits && tabled.has(`${k}|${dir(o)}`))) continue;
    checked.add(k);
    const follows = c.messages[f.follows] !== undefined ? f.follows : shownMessage(c, f).ref;
    if (wordingMatches(o.message.pieces, c.messages[follows]!)) continue;
    const ferry = o.message.pieces.join('…');
    const id = `${k}|${o.file}|${ferry}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const matches = refsOf(c).filter((r) => wordingMatches(o.message!.pieces, c.messages[r]!));
    wording.push({ key: k, file: o.file, ferry, dhis2: c.messages[follows]!, follows, matches });
  }
  wording.sort((a, b) => compareCodes(known.get(a.key)!, known.get(b.key)!) || a.file.localeCompare(b.file) || a.ferry.localeCompare(b.ferry));
  for (const list of Object.values(problems) as string[][]) list.sort();

  return { rows, problems, wording, wordingChecked: checked.size, markdown: renderMarkdown(codesFile, status, rows, wording, checked.size) };
}

const STATUS_LABEL: Record<Status, string> = {
  implemented: 'implemented',
  'emitted-untested': 'emitted, untested',
  'not-applicable': 'not applicable',
  missing: 'missing',
  unclassified: 'unclassified',
};
const STATUS_ORDER: Status[] = ['implemented', 'emitted-untested', 'missing', 'not-applicable', 'unclassified'];

/** Table-cell text: pipes escaped, backticks escaped so DHIS2's `{0}` quoting shows as written, one line. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

function rangeText(f: Family): string {
  return f.ranges.map(([a, b]) => (a === b ? a : `${a}–${b}`)).join(', ');
}

function fileList(files: string[], max = 3): string {
  const shown = files.slice(0, max).map((f) => `\`${f}\``);
  return files.length > max ? `${shown.join(', ')} +${files.length - max} more` : shown.join(', ');
}

function renderMarkdown(codesFile: Dhis2CodesFile, status: StatusFile, rows: Row[], wording: WordingDifference[], wordingChecked: number): string {
  const L: string[] = [];
  const refs = codesFile.source.refs;
  L.push('# DHIS2 error codes in Ferry');
  L.push('');
  L.push('<!-- Generated by `npm run error-codes` (scripts/error-codes/generate.ts); do not edit by hand. -->');
  L.push('');
  L.push(
    `Every error code DHIS2 can report — the \`ErrorCode\` enum (metadata import, aggregate data import, geometry, the ` +
      `web API) and the tracker importer's \`ValidationCode\` enum — from ${codesFile.source.repository} at ` +
      REFS.map((r) => `${r} (\`${(refs[r] ?? '').slice(0, 10)}\`)`).join(', ') +
      ` (\`${CODES_JSON}\`), and what Ferry does with each:`,
  );
  L.push('');
  L.push('- **implemented**: Ferry emits the code (a string literal in `src-main/`, not a comment) and a test under `tests/` mentions it; the table names those tests;');
  L.push('- **emitted, untested**: emitted but no test mentions it (the error-codes test fails on these);');
  L.push(`- **missing**: DHIS2 raises it in an import Ferry performs (metadata, aggregate data values, tracker, geometry) and it applies offline, but Ferry does not report it yet (\`${STATUS_JSON}\`);`);
  L.push(`- **not applicable**: DHIS2 raises it only where an offline import has no counterpart (analytics, users and sharing, server jobs, …); the reason is given (\`${STATUS_JSON}\`).`);
  L.push('');
  L.push('Codes of the tracker `ValidationCode` enum reuse numbers of `ErrorCode` (E1000, E4000, E5000 …): a code Ferry emits from an events/tracker module, or a test of one mentions, counts as tracker.');
  L.push('');

  // summary
  L.push('## Summary');
  L.push('');
  L.push('| family | codes | follows | implemented | emitted, untested | missing | not applicable | unclassified |');
  L.push('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  const total: Record<Status, number> = { implemented: 0, 'emitted-untested': 0, 'not-applicable': 0, missing: 0, unclassified: 0 };
  for (const f of status.families) {
    const fr = rows.filter((r) => r.family === f);
    if (!fr.length) continue;
    const n = (s: Status): number => fr.filter((r) => r.status === s).length;
    for (const s of STATUS_ORDER) total[s] += n(s);
    L.push(`| [${cell(f.title)}](#${anchor(f)}) | ${f.enum} ${rangeText(f)} | ${f.follows} | ${n('implemented')} | ${n('emitted-untested')} | ${n('missing')} | ${n('not-applicable')} | ${n('unclassified')} |`);
  }
  L.push(`| **all** | ${rows.length} | | ${STATUS_ORDER.map((s) => `**${total[s]}**`).join(' | ')} |`);
  L.push('');

  // version choices
  L.push('## Versions');
  L.push('');
  L.push(
    'Where the refs differ (a code exists in only some of them, or is worded differently), the row says so and which ' +
      'ref Ferry follows for that family (column "follows" above); the message shown is the followed ref\'s. ' +
      status.versions,
  );
  L.push('');

  // wording
  L.push('## Wording checks');
  L.push('');
  L.push(
    'For each emitted code whose message Ferry builds right next to it (a template literal or message table entry), ' +
      "its constant text is matched against DHIS2's template at the followed ref (dynamic parts match any text). " +
      `${wordingChecked} codes have such a message; messages assembled elsewhere (helpers, partial phrases) are not checked.`,
  );
  L.push('');
  if (!wording.length) L.push('No differences found.');
  else {
    L.push('| code | file | Ferry (constant pieces, … = dynamic) | DHIS2 (followed ref) | matches |');
    L.push('| --- | --- | --- | --- | --- |');
    for (const w of wording) {
      L.push(`| ${w.key} | \`${w.file}\` | ${cell(w.ferry)} | ${cell(w.dhis2)} (${w.follows}) | ${w.matches.length ? w.matches.join(', ') : 'no ref'} |`);
    }
  }
  L.push('');

  // families
  for (const f of status.families) {
    const fr = rows.filter((r) => r.family === f);
    if (!fr.length) continue;
    L.push(`## ${f.title}`);
    L.push('');
    L.push(`\`${f.enum}\` ${rangeText(f)}; follows ${f.follows}.${f.default ? ` Unless a row says otherwise: **${STATUS_LABEL[f.default.status]}** — ${judgementText(f.default)}` : ''}`);
    L.push('');
    L.push('| code | DHIS2 message | status | proof / reason | versions |');
    L.push('| --- | --- | --- | --- | --- |');
    for (const r of fr) {
      const msg = shownMessage(r.code, f);
      let proof = '';
      if (r.status === 'implemented') proof = `tests: ${fileList(r.tests)}`;
      else if (r.status === 'emitted-untested') proof = `emitted by ${fileList(r.sources)}; no test`;
      else if (r.judgement && r.ownJudgement) proof = cell(judgementText(r.judgement));
      else if (r.judgement) proof = 'as the family';
      if (r.status === 'implemented' && r.judgement?.status === 'missing' && r.ownJudgement) proof += ' (status.json still says missing)';
      L.push(`| ${r.code.code} | ${cell(msg.text)} | ${STATUS_LABEL[r.status]} | ${proof} | ${cell(r.versionNote)} |`);
    }
    L.push('');
  }
  return L.join('\n');
}

function judgementText(j: Judgement): string {
  return j.status === 'not-applicable' ? j.reason : j.note;
}

function anchor(f: Family): string {
  return f.title
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/\s/g, '-');
}

export function loadInputs(root: string = ROOT): { codesFile: Dhis2CodesFile; status: StatusFile } {
  const codesFile = JSON.parse(fs.readFileSync(path.join(root, CODES_JSON), 'utf8')) as Dhis2CodesFile;
  const status = JSON.parse(fs.readFileSync(path.join(root, STATUS_JSON), 'utf8')) as StatusFile;
  return { codesFile, status };
}

export function generate(root: string = ROOT): Report {
  const { codesFile, status } = loadInputs(root);
  return buildReport(codesFile, status, scanSources(root), scanTests(root));
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const report = generate();
  fs.writeFileSync(path.join(ROOT, TABLE_MD), report.markdown + '\n');
  const counts = STATUS_ORDER.map((s) => `${STATUS_LABEL[s]} ${report.rows.filter((r) => r.status === s).length}`).join(', ');
  console.log(`wrote ${TABLE_MD}: ${report.rows.length} codes (${counts}); ${report.wording.length} wording differences`);
  for (const [name, list] of Object.entries(report.problems) as [string, string[]][]) {
    if (list.length) console.log(`${name} (${list.length}): ${list.slice(0, 20).join('; ')}${list.length > 20 ? ' …' : ''}`);
  }
}
