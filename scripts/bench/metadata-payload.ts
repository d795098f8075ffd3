/**
 * Generates a DXF2 JSON metadata payload of exactly `total` objects: a 50,000-unit org unit hierarchy (5 levels), 5,000
 * data elements, a category model (options, categories, combos and all their COCs), data sets, indicators, org unit
 * groups and option sets filling up the rest. Written with a streaming writer (the payload is ~50 MB).
 */
import fs from 'node:fs';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = '0123456789' + LETTERS;
/** deterministic valid UIDs: a prefix letter + a base-62 counter */
function uid(prefix: string, n: number): string {
  let s = '';
  for (let i = 0; i < 10; i++) {
    s = ALNUM[n % 62]! + s;
    n = Math.floor(n / 62);
  }
  return prefix + s;
}

export interface PayloadCounts {
  [type: string]: number;
}

export async function writeMetadataPayload(file: string, total = 100_000): Promise<PayloadCounts> {
  const out = fs.createWriteStream(file);
  const write = (s: string): Promise<void> =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  const counts: PayloadCounts = {};
  let firstKey = true;
  async function section(key: string, n: number, make: (i: number) => Record<string, unknown>): Promise<void> {
    await write(`${firstKey ? '{' : ','}\n"${key}": [`);
    firstKey = false;
    for (let i = 0; i < n; i++) await write((i ? ',\n' : '\n') + JSON.stringify(make(i)));
    await write('\n]');
    counts[key] = n;
  }
  const date = '2024-01-01T00:00:00.000';
  // category model: 2 categories × 5 options + 1 category × 2 options; combos A (cat0), B (cat0×cat1), C (cat0×cat1×cat2)
  const catOpts = [5, 5, 2];
  const optUid = (c: number, o: number): string => uid('o', c * 10 + o);
  const categories = catOpts.map((n, c) => ({ c, opts: Array.from({ length: n }, (_, o) => optUid(c, o)) }));
  const combos = [[0], [0, 1], [0, 1, 2]];
  const product = (cats: number[]): string[][] =>
    cats.reduce<string[][]>((acc, c) => acc.flatMap((p) => categories[c]!.opts.map((o) => [...p, o])), [[]]);
  const cocs = combos.flatMap((cats, k) => product(cats).map((opts) => ({ k, opts })));

  await section('categoryOptions', catOpts.reduce((a, b) => a + b, 0), (i) => {
    const c = i < 5 ? 0 : i < 10 ? 1 : 2;
    const o = i - [0, 5, 10][c]!;
    return { id: optUid(c, o), name: `Option ${c}-${o}`, shortName: `Option ${c}-${o}`, created: date };
  });
  await section('categories', categories.length, (c) => ({
    id: uid('c', c), name: `Category ${c}`, shortName: `Category ${c}`, dataDimensionType: 'DISAGGREGATION',
    categoryOptions: categories[c]!.opts.map((id) => ({ id })),
  }));
  await section('categoryCombos', combos.length, (k) => ({
    id: uid('k', k), name: `Combo ${k}`, dataDimensionType: 'DISAGGREGATION', categories: combos[k]!.map((c) => ({ id: uid('c', c) })),
  }));
  await section('categoryOptionCombos', cocs.length, (i) => ({
    id: uid('q', i), name: cocs[i]!.opts.join(', '), categoryCombo: { id: uid('k', cocs[i]!.k) }, categoryOptions: cocs[i]!.opts.map((id) => ({ id })),
  }));
  // org units: 1 national, 10 provinces, 100 districts, 1,000 chiefdoms, rest facilities
  const OU = 50_000;
  const levelStart = [0, 1, 11, 111, 1111];
  const parentOf = (i: number): number | null => {
    if (i === 0) return null;
    if (i < 11) return 0;
    if (i < 111) return 1 + ((i - 11) % 10);
    if (i < 1111) return 11 + ((i - 111) % 100);
    return 111 + ((i - 1111) % 1000);
  };
  await section('organisationUnits', OU, (i) => {
    const p = parentOf(i);
    const level = levelStart.filter((s) => i >= s).length;
    return {
      id: uid('u', i), code: `OU_${i}`, name: `Unit ${i} (level ${level})`, shortName: `Unit ${i}`, openingDate: '1990-01-01T00:00:00.000',
      ...(p != null ? { parent: { id: uid('u', p) } } : {}),
    };
  });
  const DE = 5_000;
  await section('dataElements', DE, (i) => ({
    id: uid('d', i), code: `DE_${i}`, name: `Data element ${i}`, shortName: `DE ${i}`, valueType: i % 10 === 0 ? 'TEXT' : 'INTEGER',
    domainType: 'AGGREGATE', aggregationType: 'SUM', zeroIsSignificant: false, categoryCombo: { id: uid('k', i % 3) },
  }));
  const DS = 200;
  await section('dataSets', DS, (i) => ({
    id: uid('s', i), name: `Data set ${i}`, shortName: `DS ${i}`, periodType: 'Monthly', categoryCombo: { id: 'bjDvmb4bfuf' },
    dataSetElements: Array.from({ length: 25 }, (_, k) => ({ dataElement: { id: uid('d', (i * 25 + k) % DE) } })),
    organisationUnits: Array.from({ length: 250 }, (_, k) => ({ id: uid('u', 1111 + ((i * 250 + k) % (OU - 1111))) })),
  }));
  await section('indicatorTypes', 1, () => ({ id: uid('t', 0), name: 'Percent', factor: 100 }));
  const IND = 2_000;
  await section('indicators', IND, (i) => ({
    id: uid('i', i), name: `Indicator ${i}`, shortName: `Ind ${i}`, indicatorType: { id: uid('t', 0) },
    numerator: `#{${uid('d', i % DE)}}`, denominator: `#{${uid('d', (i + 1) % DE)}}`,
  }));
  const GROUPS = 100;
  await section('organisationUnitGroups', GROUPS, (i) => ({
    id: uid('g', i), name: `Group ${i}`, shortName: `Group ${i}`,
    organisationUnits: Array.from({ length: 500 }, (_, k) => ({ id: uid('u', (i * 500 + k) % OU) })),
  }));
  const used = Object.values(counts).reduce((a, b) => a + b, 0);
  const remaining = total - used;
  const SETS = Math.ceil(remaining / 41);
  const options = remaining - SETS;
  await section('optionSets', SETS, (i) => ({
    id: uid('p', i), name: `Option set ${i}`, valueType: 'TEXT',
    options: Array.from({ length: 40 }, (_, k) => i * 40 + k).filter((n) => n < options).map((n) => ({ id: uid('x', n) })),
  }));
  await section('options', options, (n) => ({ id: uid('x', n), code: `OPT_${n}`, name: `Option ${n}`, optionSet: { id: uid('p', Math.floor(n / 40)) } }));
  await write('\n}\n');
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return counts;
}
