import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ENVELOPE_KEYS, IMPORT_ORDER, METADATA_TYPES, PLURAL_BY_SINGULAR } from '../../../../src-shared/dhis2/schema/registry.ts';
import { corpusDir, hasCorpus } from '../../../helpers/tmp.ts';

describe('metadata type registry', () => {
  it('lists every type once in the import order, with a FQCN klass and a unique singular', () => {
    expect([...IMPORT_ORDER].sort()).toEqual(Object.keys(METADATA_TYPES).sort());
    for (const [k, t] of Object.entries(METADATA_TYPES)) {
      expect(t.plural).toBe(k);
      expect(t.klass).toMatch(/^org\.hisp\.dhis\.[a-z0-9.]+\.[A-Z]\w+$/);
      expect(PLURAL_BY_SINGULAR[t.singular]).toBe(k);
    }
  });

  it('every reference and inverse points at a known type', () => {
    for (const t of Object.values(METADATA_TYPES)) {
      for (const r of Object.values(t.refs ?? {})) expect(METADATA_TYPES[r.target], `${t.plural} → ${r.target}`).toBeDefined();
      for (const e of Object.values(t.embedded ?? {})) for (const r of Object.values(e.refs ?? {})) expect(METADATA_TYPES[r.target]).toBeDefined();
      for (const i of Object.values(t.inverse ?? {})) expect(METADATA_TYPES[i.type]?.refs?.[i.property], `${t.plural} inverse ${i.type}.${i.property}`).toBeDefined();
    }
  });

  it.skipIf(!hasCorpus)('knows every top-level key of the corpus metadata files and fixtures', () => {
    const unknown = new Set<string>();
    for (const d of ['metadata', 'fixtures']) {
      for (const f of fs.readdirSync(path.join(corpusDir, d)).filter((x) => x.endsWith('.json'))) {
        const keys = Object.keys(JSON.parse(fs.readFileSync(path.join(corpusDir, d, f), 'utf8')) as object);
        for (const k of keys) if (!METADATA_TYPES[k] && !ENVELOPE_KEYS.includes(k) && k !== '_fixture') unknown.add(`${f}:${k}`);
      }
    }
    expect([...unknown]).toEqual([]);
  });
});
