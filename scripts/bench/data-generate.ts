/**
 * Generates the data bench inputs: a metadata payload (1,000 facilities under one district, 200 data elements over
 * three category combos — default, sex, sex × age — one monthly data set) and 1,000,000 data values for 12 monthly
 * periods as DXF2 XML, DXF2 JSON and CSV, plain and zipped. Values are ordered like facility exports (org unit, period,
 * data element, COC); every 1,000th value has a comment with a comma, a quote and a line break.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Zip, ZipDeflate } from 'fflate';

export const OUS = 1000;
export const DES = 200;
export const PERIODS = Array.from({ length: 12 }, (_, i) => `2024${String(i + 1).padStart(2, '0')}`);
export const VALUES = 1_000_000;

const uid = (prefix: string, i: number): string => prefix + String(i).padStart(11 - prefix.length, '0');
export const ouUid = (i: number): string => uid('Ou', i);
export const deUid = (i: number): string => uid('De', i);
/** COCs: 0 = default; 1..2 sex; 3..6 sex × age */
export const COC_UIDS = ['HllvX50cXC0', uid('Coc', 1), uid('Coc', 2), uid('Coc', 3), uid('Coc', 4), uid('Coc', 5), uid('Coc', 6)];
export const comboCocs = (de: number): number[] => (de % 3 === 0 ? [0] : de % 3 === 1 ? [1, 2] : [3, 4, 5, 6]);

export function metadataPayload(): Record<string, unknown[]> {
  const opts = ['Male', 'Female', 'Under 5', 'Over 5'].map((n, i) => ({ id: uid('Copt', i), name: n, shortName: n, code: `CO_${i}` }));
  const cats = [
    { id: uid('Cat', 1), name: 'Sex', shortName: 'Sex', code: 'SEX', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: opts[0]!.id }, { id: opts[1]!.id }] },
    { id: uid('Cat', 2), name: 'Age', shortName: 'Age', code: 'AGE', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: opts[2]!.id }, { id: opts[3]!.id }] },
  ];
  const combos = [
    { id: uid('Cc', 1), name: 'Sex', code: 'CC_SEX', dataDimensionType: 'DISAGGREGATION', categories: [{ id: cats[0]!.id }] },
    { id: uid('Cc', 2), name: 'Sex and age', code: 'CC_SEXAGE', dataDimensionType: 'DISAGGREGATION', categories: [{ id: cats[0]!.id }, { id: cats[1]!.id }] },
  ];
  const cocOptions = [[], [0], [1], [0, 2], [0, 3], [1, 2], [1, 3]];
  const cocs = COC_UIDS.slice(1).map((id, k) => ({
    id,
    name: cocOptions[k + 1]!.map((o) => opts[o]!.name).join(', '),
    code: `COC_${k + 1}`,
    categoryCombo: { id: k < 2 ? combos[0]!.id : combos[1]!.id },
    categoryOptions: cocOptions[k + 1]!.map((o) => ({ id: opts[o]!.id })),
  }));
  const des = Array.from({ length: DES }, (_, i) => ({
    id: deUid(i),
    name: `Data element ${i}`,
    shortName: `DE ${i}`,
    code: `DE_${i}`,
    valueType: i % 2 ? 'INTEGER_ZERO_OR_POSITIVE' : 'NUMBER',
    domainType: 'AGGREGATE',
    aggregationType: 'SUM',
    zeroIsSignificant: false,
    categoryCombo: { id: i % 3 === 0 ? 'bjDvmb4bfuf' : i % 3 === 1 ? combos[0]!.id : combos[1]!.id },
  }));
  const ous = [
    { id: uid('Dist', 0), name: 'District', shortName: 'District', code: 'DIST', openingDate: '1990-01-01' },
    ...Array.from({ length: OUS }, (_, i) => ({
      id: ouUid(i),
      name: `Facility ${i}`,
      shortName: `Facility ${i}`,
      code: `FAC_${i}`,
      openingDate: '1990-01-01',
      parent: { id: uid('Dist', 0) },
    })),
  ];
  const ds = {
    id: uid('Ds', 1),
    name: 'Monthly facility report',
    shortName: 'Monthly',
    code: 'DS_MONTHLY',
    periodType: 'Monthly',
    categoryCombo: { id: 'bjDvmb4bfuf' },
    dataSetElements: des.map((d) => ({ dataElement: { id: d.id } })),
    organisationUnits: ous.slice(1).map((o) => ({ id: o.id })),
  };
  return { categoryOptions: opts, categories: cats, categoryCombos: combos, categoryOptionCombos: cocs, dataElements: des, organisationUnits: ous, dataSets: [ds] };
}

/** (de, coc) pairs in data element order */
const PAIRS: [number, number][] = [];
for (let d = 0; d < DES; d++) for (const c of comboCocs(d)) PAIRS.push([d, c]);

/** Calls back for every generated value, in file order. */
export function forEachValue(cb: (ou: number, pe: number, de: number, coc: number, value: string, comment: string | null) => void): number {
  const perCell = Math.ceil(VALUES / (OUS * PERIODS.length));
  let n = 0;
  for (let ou = 0; ou < OUS && n < VALUES; ou++) {
    for (let pe = 0; pe < PERIODS.length && n < VALUES; pe++) {
      const start = (ou * 7 + pe * 13) % PAIRS.length;
      // a window of distinct pairs, in data element order
      const picks: [number, number][] = [];
      for (let k = 0; k < perCell && n + picks.length < VALUES; k++) picks.push(PAIRS[(start + k) % PAIRS.length]!);
      picks.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (const [de, coc] of picks) {
        const value = String(((n * 7919) % 997) + 1);
        const comment = n % 1000 === 999 ? `checked, "ok"\nsecond line ${n}` : null;
        cb(ou, pe, de, coc, value, comment);
        n++;
      }
    }
  }
  return n;
}

const xmlEsc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\n/g, '&#10;');
const csvEsc = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

class Sink {
  private buf: string[] = [];
  private len = 0;
  constructor(private readonly write: (s: string) => void) {}
  push(s: string): void {
    this.buf.push(s);
    this.len += s.length;
    if (this.len > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length) this.write(this.buf.join(''));
    this.buf = [];
    this.len = 0;
  }
}

export function writeValues(format: 'xml' | 'json' | 'csv', write: (s: string) => void): number {
  const sink = new Sink(write);
  let first = true;
  if (format === 'xml') sink.push('<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n');
  if (format === 'json') sink.push('{"dataValues":[\n');
  if (format === 'csv') sink.push('dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted\n');
  const n = forEachValue((ou, pe, de, coc, value, comment) => {
    const d = deUid(de), p = PERIODS[pe]!, o = ouUid(ou), c = COC_UIDS[coc]!;
    if (format === 'xml') {
      sink.push(
        `<dataValue dataElement="${d}" period="${p}" orgUnit="${o}" categoryOptionCombo="${c}" attributeOptionCombo="HllvX50cXC0" value="${value}" storedBy="bench" created="2024-02-01T10:00:00.000+0000" lastUpdated="2024-02-01T10:00:00.000+0000"${comment ? ` comment="${xmlEsc(comment)}"` : ''} followUp="false"/>\n`,
      );
    } else if (format === 'json') {
      sink.push(
        `${first ? '' : ',\n'}{"dataElement":"${d}","period":"${p}","orgUnit":"${o}","categoryOptionCombo":"${c}","attributeOptionCombo":"HllvX50cXC0","value":"${value}","storedBy":"bench","created":"2024-02-01T10:00:00.000+0000","lastUpdated":"2024-02-01T10:00:00.000+0000"${comment ? `,"comment":${JSON.stringify(comment)}` : ''},"followup":false}`,
      );
      first = false;
    } else {
      sink.push(`${d},${p},${o},${c},HllvX50cXC0,${value},bench,2024-02-01T10:00:00.000+0000,${comment ? csvEsc(comment) : ''},false,\n`);
    }
  });
  if (format === 'xml') sink.push('</dataValueSet>\n');
  if (format === 'json') sink.push('\n]}\n');
  sink.flush();
  return n;
}

/** Writes `<dir>/values.<fmt>` and `<dir>/values.<fmt>.zip` (unless present) and the metadata payload. */
export function generate(dir: string): { metadata: string; files: Record<string, string> } {
  fs.mkdirSync(dir, { recursive: true });
  const metadata = path.join(dir, 'metadata.json');
  if (!fs.existsSync(metadata)) fs.writeFileSync(metadata, JSON.stringify(metadataPayload()));
  const files: Record<string, string> = {};
  for (const fmt of ['csv', 'xml', 'json'] as const) {
    const plain = path.join(dir, `values.${fmt}`);
    const zipped = path.join(dir, `values.${fmt}.zip`);
    files[`${fmt}`] = plain;
    files[`${fmt}.zip`] = zipped;
    if (fs.existsSync(plain) && fs.existsSync(zipped)) continue;
    const fd = fs.openSync(plain + '.tmp', 'w');
    const zfd = fs.openSync(zipped + '.tmp', 'w');
    const zip = new Zip((err, data) => {
      if (err) throw err;
      fs.writeSync(zfd, data);
    });
    const entry = new ZipDeflate(`values.${fmt}`, { level: 1 });
    zip.add(entry);
    writeValues(fmt, (s) => {
      const b = Buffer.from(s, 'utf8');
      fs.writeSync(fd, b);
      entry.push(b);
    });
    entry.push(new Uint8Array(0), true);
    zip.end();
    fs.closeSync(fd);
    fs.closeSync(zfd);
    fs.renameSync(plain + '.tmp', plain);
    fs.renameSync(zipped + '.tmp', zipped);
  }
  return { metadata, files };
}
