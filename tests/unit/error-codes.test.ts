/**
 * The DHIS2 error-code coverage table (docs/dhis2-error-codes.md) stays true: it is regenerated in memory from
 * docs/error-codes/dhis2-codes.json, docs/error-codes/status.json and the sources, and must equal the committed file;
 * the judgements must agree with what Ferry emits. The generator's own rules (what counts as emitting, as a test
 * mention, which enum a path speaks) are pinned on small synthetic trees.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, TABLE_MD, buildReport, enumForPath, generate, loadInputs, scanSources, scanTests } from '../../scripts/error-codes/generate.ts';
import type { Dhis2CodesFile, StatusFile } from '../../scripts/error-codes/model.ts';
import { parseEnum } from '../../scripts/error-codes/extract.ts';

const report = generate(ROOT);

describe('docs/dhis2-error-codes.md', () => {
  it('is current (run npm run error-codes)', () => {
    const committed = fs.readFileSync(path.join(ROOT, TABLE_MD), 'utf8');
    expect(committed, 'docs/dhis2-error-codes.md is stale: run npm run error-codes').toBe(report.markdown + '\n');
  });

  it('Ferry emits no code that DHIS2 does not have (a typo, or a tracker code outside an events/tracker path)', () => {
    expect(report.problems.unknownEmitted).toEqual([]);
  });

  it('every code Ferry emits is mentioned by a test', () => {
    expect(report.problems.untested).toEqual([]);
  });

  it('no code marked not applicable (itself or by its family) is emitted by Ferry', () => {
    expect(report.problems.notApplicableButEmitted).toEqual([]);
  });

  it('status.json names only codes of dhis2-codes.json, every code is in exactly one family and is judged', () => {
    expect(report.problems.unknownInStatus).toEqual([]);
    expect(report.problems.familyCoverage).toEqual([]);
    expect(report.problems.unclassified).toEqual([]);
  });

  it('holds every code of both enums at 2.42.0 and master', () => {
    const { codesFile } = loadInputs(ROOT);
    const at = (en: string, ref: '2.42.0' | 'master'): number => codesFile.codes.filter((c) => c.enum === en && c.messages[ref] !== undefined).length;
    // counts of dhis2-core's enums at the recorded commits (ErrorCode.java, tracker ValidationCode.java)
    expect([at('ErrorCode', '2.42.0'), at('ErrorCode', 'master'), at('ValidationCode', '2.42.0'), at('ValidationCode', 'master')]).toEqual([479, 548, 125, 125]);
    expect(report.rows).toHaveLength(codesFile.codes.length);
    const e7610 = codesFile.codes.find((c) => c.enum === 'ErrorCode' && c.code === 'E7610')!;
    expect(e7610.messages).toEqual({ '2.42.0': 'Data element not found or not accessible: `{0}`', '2.42.5.2': 'Data element not found or not accessible: `{0}`' });
  });
});

describe('the generator', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-error-codes-'));
    dirs.push(root);
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), text);
    }
    return root;
  }

  const codesFile: Dhis2CodesFile = {
    source: { repository: 'dhis2/dhis2-core', refs: { '2.42.0': 'a'.repeat(40), '2.42.5.2': 'b'.repeat(40), master: 'c'.repeat(40) }, enums: {} },
    codes: [
      { enum: 'ErrorCode', code: 'E5003', messages: { '2.42.0': 'Property `{0}` with value `{1}` already exists', master: 'Property `{0}` with value `{1}` already exists' }, sections: {} },
      { enum: 'ErrorCode', code: 'E5004', messages: { master: 'Id `{0}` twice' }, sections: {} },
      { enum: 'ErrorCode', code: 'E7100', messages: { master: 'Query failed' }, sections: {} },
      { enum: 'ValidationCode', code: 'E1000', messages: { '2.42.0': 'User: `{0}`, no access.' }, sections: {} },
    ],
  };
  const status: StatusFile = {
    families: [
      { id: 'preheat', title: 'Preheat', enum: 'ErrorCode', ranges: [['E5000', 'E5008']], follows: 'master', default: { status: 'missing', note: 'applies' } },
      { id: 'analytics', title: 'Analytics', enum: 'ErrorCode', ranges: [['E7100', 'E7299']], follows: 'master', default: { status: 'not-applicable', reason: 'analytics API' } },
      { id: 'tracker', title: 'Tracker', enum: 'ValidationCode', ranges: [['E1000', 'E1399']], follows: '2.42.0' },
    ],
    codes: { 'ValidationCode:E1000': { status: 'not-applicable', reason: 'users' } },
    versions: 'Metadata follows master.',
  };

  it('counts string literals outside comments as emitting, not object keys, literal types or comments', () => {
    const root = tree({
      'src-main/a.ts': [
        "// b.error(it, 'E5004', 'in a comment')",
        "/* 'E7100' */",
        "type C = 'E7100' | 'E5004';",
        "const TABLE = { E5004: 'Id `{0}` twice' };",
        "export function f(b: { error(c: string, m: string): void }, p: string, v: string): void {",
        "  b.error(`E5003`, `Property \\`${p}\\` with value \\`${v}\\` already exists`);",
        '}',
      ].join('\n'),
    });
    const occ = scanSources(root);
    expect(occ.filter((o) => o.emits).map((o) => o.code)).toEqual(['E5003']);
    expect(occ.filter((o) => !o.emits).map((o) => o.code)).toEqual(['E5004']);
    const tests = scanTests(tree({ 'tests/x.test.ts': "// E5003\nexpect(r.code).toBe('E5003');" }));
    const r = buildReport(codesFile, status, occ, tests);
    const row = r.rows.find((x) => x.code.code === 'E5003')!;
    expect(row.status).toBe('implemented');
    expect(row.tests).toEqual(['tests/x.test.ts']);
    expect(r.problems).toEqual({ unknownEmitted: [], untested: [], notApplicableButEmitted: [], unknownInStatus: [], familyCoverage: [], unclassified: [] });
    expect(r.wording).toEqual([]);
  });

  it('a mention in a test comment is no proof; emitted but untested, unknown and not-applicable codes are problems', () => {
    const root = tree({
      'src-main/importers/metadata/x.ts': "export const a = ['E5003', 'E7100', 'E5099'];",
      'src-main/importers/events/y.ts': "export const b = 'E1000';",
      'tests/unit/x.test.ts': "// E5003 is proven elsewhere\nexpect(1).toBe(1); const s = 'E7100 and E5099';",
    });
    const r = buildReport(codesFile, { ...status, codes: { ...status.codes, 'ErrorCode:E9999': { status: 'missing', note: 'x' } } }, scanSources(root), scanTests(root));
    expect(r.problems.unknownEmitted).toEqual(['ErrorCode:E5099 in src-main/importers/metadata/x.ts']);
    expect(r.problems.untested).toEqual(['ErrorCode:E5003 (src-main/importers/metadata/x.ts)', 'ValidationCode:E1000 (src-main/importers/events/y.ts)']);
    expect(r.problems.notApplicableButEmitted).toEqual(['ErrorCode:E7100 (src-main/importers/metadata/x.ts)', 'ValidationCode:E1000 (src-main/importers/events/y.ts)']);
    expect(r.problems.unknownInStatus).toEqual(['ErrorCode:E9999']);
    expect(r.rows.find((x) => x.code.code === 'E5004')!.status).toBe('missing');
  });

  it('reports a message whose constant text is not DHIS2\'s wording at the followed ref', () => {
    const root = tree({
      'src-main/c.ts': "export function g(b: { error(c: string, m: string): void }, p: string): void { b.error('E5003', `Property ${p} is already taken by another object`); }",
    });
    const r = buildReport(codesFile, status, scanSources(root), new Map([['ErrorCode:E5003', ['tests/t.test.ts']]]));
    expect(r.wording.map((w) => [w.key, w.ferry, w.follows])).toEqual([['ErrorCode:E5003', 'Property … is already taken by another object', 'master']]);
    expect(r.markdown).toContain('| ErrorCode:E5003 | `src-main/c.ts` | Property … is already taken by another object |');
  });

  it('reads codes on events/tracker paths as tracker ValidationCode, others as ErrorCode', () => {
    expect(enumForPath('src-main/importers/events/engine.ts')).toBe('ValidationCode');
    expect(enumForPath('src-main/importers/events/rules/dates.ts')).toBe('ValidationCode');
    expect(enumForPath('tests/integration/events-import.test.ts')).toBe('ValidationCode');
    expect(enumForPath('tests/unit/renderer/events-import.test.tsx')).toBe('ValidationCode');
    expect(enumForPath('src-main/importers/metadata/checks/programs-check.ts')).toBe('ErrorCode');
    expect(enumForPath('tests/integration/data-import.test.ts')).toBe('ErrorCode');
  });

  it('parses a Java enum: concatenated messages, Constants references, sections, a trailing ;', () => {
    const java = [
      'public enum ErrorCode {',
      '  /* General */',
      '  E1000("API query must be specified"),',
      '  // Data',
      '  E2203(Constants.AT_LEAST),',
      '  E1117(',
      '      "Data element `{0}` of value type multi-text "',
      '          + "cannot \\"quote\\": `{2}`"),',
      '  ;',
      '  private String message;',
      '  ErrorCode(String message) { this.message = message; }',
      '  private static class Constants {',
      '    public static final String AT_LEAST =',
      '        "At least one organisation unit must be specified";',
      '  }',
      '}',
    ].join('\n');
    expect(parseEnum(java)).toEqual([
      { code: 'E1000', message: 'API query must be specified', section: 'General' },
      { code: 'E2203', message: 'At least one organisation unit must be specified', section: 'Data' },
      { code: 'E1117', message: 'Data element `{0}` of value type multi-text cannot "quote": `{2}`', section: 'Data' },
    ]);
  });
});
