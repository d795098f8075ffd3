import { describe, expect, it } from 'vitest';
import { allFormatNames, formatInfos, formatNames } from '../../../src-main/formats/registry.ts';
import { importers } from '../../../src-main/jobs/registry.ts';
import { IMPORT_KINDS } from '../../../src-shared/dhis2/options.ts';
import { CSV_CLASS_KEYS } from '../../../src-shared/dhis2/csv-metadata.ts';
import * as facts from '../../../src-main/cli/usage-facts.ts';
import { usage } from '../../../src-main/cli/usage.ts';

/**
 * `ferry --help` prints lists written out in src-main/cli/usage-facts.ts (so that it loads no registry). They must be
 * the registries' lists: a format, importer or class key added there and not here fails this test, which shows what
 * to paste.
 */
describe('the usage lists what the registries hold', () => {
  it('formats: every --format name, the written ones, and one line per registry entry', () => {
    expect([...facts.ALL_FORMAT_NAMES]).toEqual(allFormatNames());
    expect([...facts.DATA_WRITE_FORMATS]).toEqual(formatNames('data', 'write'));
    expect([...facts.METADATA_WRITE_FORMATS]).toEqual(formatNames('metadata', 'write'));
    const lines = formatInfos().map((f) => ({ format: f.format, label: f.label, extensions: f.extensions, reads: f.reads, writes: f.writes, ...(f.note ? { note: f.note } : {}) }));
    expect(facts.FORMAT_LINES, `usage-facts.ts FORMAT_LINES should be:\n${lines.map((l) => JSON.stringify(l)).join(',\n')}`).toEqual(lines);
  });

  it('import kinds: the importers of jobs/registry.ts (undo is its own command), --kind: those and pdf', () => {
    expect([...facts.IMPORTERS_LISTED]).toEqual(Object.keys(importers).filter((k) => k !== 'undo'));
    // every listed --kind is an option value and is imported (pdf: as data)
    for (const k of facts.IMPORT_KINDS_LISTED) {
      expect(IMPORT_KINDS).toContain(k);
      expect(k === 'pdf' || k in importers, k).toBe(true);
    }
    expect([...facts.IMPORT_KINDS_LISTED].sort()).toEqual(IMPORT_KINDS.filter((k) => k !== 'undo').sort());
  });

  it('CSV metadata class keys', () => {
    expect([...facts.CLASS_KEYS_LISTED]).toEqual([...CSV_CLASS_KEYS]);
  });

  it('the usage text carries them', () => {
    const u = usage();
    expect(u).toContain(`--kind ${facts.IMPORT_KINDS_LISTED.join('|')}`);
    expect(u).not.toMatch(/--kind [a-z|-]*undo/);
    expect(u).toContain(`--format ${allFormatNames().join('|')}`);
    for (const f of formatInfos()) expect(u).toContain(`${f.format.padEnd(8)} ${f.label} (.${f.extensions.join(', .')})`);
  });
});
