/**
 * A DHIS 1.4 Access database (.mdb, Jet 3/4) read with mdb-reader into the shared 1.4 model (formats/shared/dhis14.ts).
 * mdb-reader needs the whole file as one Buffer (the caller reads it, after checking it fits: see
 * importers/dhis14/source.ts); rows are then read in chunks (`getData({rowOffset, rowLimit})`), so only one chunk of
 * decoded rows is alive at a time. Table and column names are matched without regard to case; tables the importer
 * does not read are ignored, optional ones may be missing.
 *
 * ```ts
 * const mdb = openDhis14Mdb(buffer, 'district.mdb', { password });
 * const tables = mdb.metadata();                       // Map<table, rows>
 * for (const chunk of mdb.data('RoutineData', since)) … // D14DataRow[]
 * ```
 */
import { createRequire } from 'node:module';
import type MDBReader from 'mdb-reader';
import { AppError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import {
  D14_DATA_TABLES,
  accessDateText,
  canonicalTable,
  columnKey,
  d14DateTime,
  d14Int,
  d14Num,
  d14Str,
  isDataTable,
  mdbCell,
  type D14DataRow,
  type D14DataTable,
  type D14Row,
  type D14Tables,
} from '../shared/dhis14.ts';

/**
 * Rows decoded per getData call: 20,000, up to 100,000 for large tables so that a table takes at most ~25 calls — each
 * call re-walks the table's pages from the first (mdb-reader has no cursor), so a fixed chunk costs O(pages²) on large
 * tables. Measured on 2M rows (2 cores): 20,000-row chunks 23.2 s CPU, 493 MB peak RSS; 80,000-row chunks 20.6 s,
 * 678 MB. FERRY_MDB_CHUNK_ROWS overrides it (measurements).
 */
export const MDB_CHUNK_ROWS = 20_000;
export const mdbChunkRows = (rowCount: number): number => Number(process.env.FERRY_MDB_CHUNK_ROWS) || Math.min(100_000, Math.max(MDB_CHUNK_ROWS, Math.ceil(rowCount / 25)));

type Table = ReturnType<MDBReader['getTable']>;

/**
 * mdb-reader, loaded when an .mdb is first opened: this module comes with the format registry into every import's
 * job and parse threads, and loading mdb-reader costs ~0.1 s of each thread's start (measured 2026-12-08).
 */
let mdbReaderClass: typeof MDBReader | null = null;
function loadMdbReader(): typeof MDBReader {
  return (mdbReaderClass ??= (createRequire(import.meta.url)('mdb-reader') as { default: typeof MDBReader }).default);
}

export interface Dhis14Mdb {
  /** canonical table name → the file's spelling, for the tables the importer reads */
  tableNames: Map<string, string>;
  metadata(): D14Tables;
  dataTables(): D14DataTable[];
  dataCount(table: D14DataTable): number;
  data(table: D14DataTable, since?: string | null): Generator<D14DataRow[]>;
}

/** What mdb-reader's errors mean for a user: a BAD_FILE naming the file. */
export function mdbError(e: unknown, fileName: string): AppError {
  if (e instanceof AppError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  if (/wrong password/i.test(msg)) {
    return ferryError('BAD_FILE', 'format.mdbWrongPassword', { file: fileName }, { file: fileName });
  }
  if (/page .* does not exist|out of range|outside the bounds|beyond buffer|ERR_OUT_OF_RANGE|ERR_BUFFER_OUT_OF_BOUNDS/i.test(msg) || (e as { code?: string })?.code === 'ERR_OUT_OF_RANGE') {
    return ferryError('BAD_FILE', 'format.mdbTruncated', { file: fileName }, { file: fileName });
  }
  if (/wrong page type|unsupported|unknown/i.test(msg)) {
    return ferryError('BAD_FILE', 'format.mdbUnreadable', { file: fileName, detail: msg }, { file: fileName });
  }
  return ferryError('BAD_FILE', 'format.mdbCannotRead', { file: fileName, detail: msg }, { file: fileName });
}

const JET_MAGIC = Buffer.from('Standard Jet DB', 'latin1');
const ACE_MAGIC = Buffer.from('Standard ACE DB', 'latin1');

/** True when the first bytes are an Access (Jet/ACE) database header. */
export function isAccessHeader(head: Uint8Array): boolean {
  if (head.length < 19) return false;
  const b = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 19));
  return b.readUInt32LE(0) === 0x100 && (b.subarray(4, 19).equals(JET_MAGIC) || b.subarray(4, 19).equals(ACE_MAGIC));
}

/** Opens an .mdb held in `buffer`. Throws BAD_FILE naming the file (not Access, truncated, wrong password). */
export function openDhis14Mdb(buffer: Buffer, fileName: string, opts: { password?: string | null } = {}): Dhis14Mdb {
  if (!isAccessHeader(buffer)) throw ferryError('BAD_FILE', 'format.notMdb', { file: fileName }, { file: fileName });
  let reader: MDBReader;
  const tableNames = new Map<string, string>();
  try {
    reader = new (loadMdbReader())(buffer, { password: opts.password ?? undefined });
    // a Jet database password is a check Access makes on opening (the pages are not encrypted, and mdb-reader does
    // not compare it): Ferry makes the same check, so a protected file needs its password here too
    const stored = reader.getPassword();
    if (stored !== null && stored !== '' && stored !== (opts.password ?? '')) {
      throw ferryError('BAD_FILE', opts.password ? 'format.mdbWrongPassword' : 'format.mdbNeedsPassword', { file: fileName }, { file: fileName });
    }
    for (const n of reader.getTableNames()) {
      const c = canonicalTable(n);
      if (c && !tableNames.has(c)) tableNames.set(c, n);
    }
  } catch (e) {
    throw mdbError(e, fileName);
  }
  const tables = new Map<string, Table>();
  const table = (c: string): Table => {
    let t = tables.get(c);
    if (!t) {
      try {
        t = reader.getTable(tableNames.get(c)!);
      } catch (e) {
        throw mdbError(e, fileName);
      }
      tables.set(c, t);
    }
    return t;
  };
  function* rows(c: string, columns?: string[]): Generator<{ raw: Record<string, unknown>[]; keys: [string, string][] }> {
    const t = table(c);
    let names: string[];
    try {
      names = t.getColumnNames();
    } catch (e) {
      throw mdbError(e, fileName);
    }
    const keys: [string, string][] = names.filter((n) => !columns || columns.includes(columnKey(n))).map((n) => [n, columnKey(n)]);
    const total = t.rowCount;
    const chunk = mdbChunkRows(total);
    for (let off = 0; off < total; off += chunk) {
      let raw: Record<string, unknown>[];
      try {
        raw = t.getData({ columns: keys.map((k) => k[0]), rowOffset: off, rowLimit: chunk });
      } catch (e) {
        throw mdbError(e, fileName);
      }
      if (raw.length === 0) break;
      yield { raw, keys };
    }
  }
  const toRow = (r: Record<string, unknown>, keys: [string, string][]): D14Row => {
    const o: D14Row = {};
    for (const [n, k] of keys) o[k] = mdbCell(r[n]);
    return o;
  };
  return {
    tableNames,
    metadata() {
      const out: D14Tables = new Map();
      for (const c of tableNames.keys()) {
        if (isDataTable(c)) continue;
        const list: D14Row[] = [];
        for (const { raw, keys } of rows(c)) for (const r of raw) list.push(toRow(r, keys));
        out.set(c, list);
      }
      return out;
    },
    dataTables() {
      return D14_DATA_TABLES.filter((t) => tableNames.has(t));
    },
    dataCount(c) {
      return tableNames.has(c) ? table(c).rowCount : 0;
    },
    *data(c, since = null) {
      if (!tableNames.has(c)) return;
      // only the columns the model reads (EntryObject, Check, Verified… are never decoded)
      const want = ['orgunitid', 'dataelementid', 'dataperiodid', 'validfrom', 'validto', 'entrytext', 'entryyesno', 'entrynumber', 'entrydate', 'entrymemo', 'deleted', 'comment', 'lastuserid', 'lastupdated'];
      for (const { raw, keys } of rows(c, want)) {
        // the file's spelling of each column the row needs (absent columns read as NULL)
        const col = (k: string): string => keys.find((x) => x[1] === k)?.[0] ?? '\u0000';
        const [ou, de, pe, vf, vt, tx, yn, nu, dt, me, dl, cm, lu, lup] = want.map(col) as [string, string, string, string, string, string, string, string, string, string, string, string, string, string];
        const out: D14DataRow[] = [];
        for (const r of raw) {
          const luv = r[lup];
          const lastUpdated = luv instanceof Date ? accessDateText(luv) : d14DateTime(mdbCell(luv));
          if (since !== null && (lastUpdated === null || lastUpdated <= since)) continue;
          const dv = r[dt];
          out.push({
            table: c,
            ou: d14Int(mdbCell(r[ou])),
            de: d14Int(mdbCell(r[de])),
            pe: d14Int(mdbCell(r[pe])),
            validFrom: d14Int(mdbCell(r[vf])),
            validTo: d14Int(mdbCell(r[vt])),
            text: d14Str(mdbCell(r[tx])),
            yesNo: d14Int(mdbCell(r[yn])),
            number: d14Num(mdbCell(r[nu])),
            date: dv instanceof Date ? accessDateText(dv) : d14DateTime(mdbCell(dv)),
            memo: d14Str(mdbCell(r[me])),
            deleted: d14Int(mdbCell(r[dl])) === 1,
            comment: d14Str(mdbCell(r[cm])),
            lastUserId: d14Int(mdbCell(r[lu])),
            lastUpdated,
          });
        }
        yield out;
      }
    },
  };
}
