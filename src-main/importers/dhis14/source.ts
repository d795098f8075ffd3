/**
 * Opens a DHIS 1.4 file as one `D14Source` (formats/shared/dhis14.ts), whatever it is: an Access database (.mdb, read
 * whole into memory after checking it fits), or a 1.4 XML export (a zip with `*.xml` and `RoutineData.txt`, or a bare
 * .xml with metadata only). Bad input is an AppError naming the file, raised before anything is written.
 *
 * ```ts
 * const src = await openDhis14Source('/path/export.zip', { requireData: true });
 * const tables = await src.metadata();
 * for await (const chunk of src.data('RoutineData', since)) …
 * src.close();
 * ```
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { openInput, type OpenedInput } from '../../io/input.ts';
import { dhis14ReaderFor } from '../../formats/registry.ts';
import { dataRowOf, isDataTable, type D14DataRow, type D14DataTable, type D14Source, type D14Tables } from '../../formats/shared/dhis14.ts';
/** a size in megabytes (one decimal), as the refusal of a too large .mdb says it (written the language's way) */
const megabytes = (bytes: number): number => Math.round((bytes / (1 << 20)) * 10) / 10;

export type Dhis14FileFormat = 'mdb' | 'xml';

/**
 * The largest .mdb Ferry opens on this computer: mdb-reader holds the whole file in memory, and the import's peak RSS
 * is about the file's size plus 550–600 MB (measured: 2M rows, 122 MB → 678 MB; 5M rows, 318 MB → 925 MB; README
 * "DHIS 1.4 import"). A fifth of the physical memory — 800 MB on a 4 GB desktop, so about 1.4 GB at the peak, leaving
 * the rest to the system and the app — at most 2 GB (Access's own limit); FERRY_MDB_MAX_BYTES overrides it (tests).
 */
export function maxMdbBytes(): number {
  const env = Number(process.env.FERRY_MDB_MAX_BYTES);
  if (Number.isFinite(env) && env > 0) return env;
  return Math.min(2 * 1024 ** 3, Math.floor(os.totalmem() / 5));
}

export interface OpenOptions {
  password?: string | null;
  /** the XML export must carry RoutineData.txt (data values requested) */
  requireData?: boolean;
}

export interface Dhis14OpenedSource extends D14Source {
  format: Dhis14FileFormat;
  size: number;
  /** the raw file's sha256, once metadata() and every data() have been read (zip), or at once (mdb) */
  sha256(): string | null;
}

async function head(file: string, name: string): Promise<Buffer> {
  let fd: fs.promises.FileHandle;
  try {
    fd = await fs.promises.open(file, 'r');
  } catch {
    throw ferryError('FILE_NOT_FOUND', 'file.notFound', { file: name, path: file }, { file: name });
  }
  try {
    const b = Buffer.alloc(64);
    const { bytesRead } = await fd.read(b, 0, 64, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}

export async function openDhis14Source(file: string, opts: OpenOptions = {}): Promise<Dhis14OpenedSource> {
  const name = path.basename(file);
  const h = await head(file, name);
  const size = fs.statSync(file).size;
  if (dhis14ReaderFor('access').isHeader(h)) return openMdb(file, name, size, opts);
  const zip = h.length >= 4 && h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04;
  const text = h.toString('latin1').replace(/^\xEF\xBB\xBF/, '').trimStart();
  if (zip || text.startsWith('<')) return openXml(file, name, size, opts);
  if (/\.mdb$/i.test(name) || (h.length >= 4 && h.readUInt32LE(0) === 0x100)) {
    throw ferryError('BAD_FILE', 'dhis14.notAccess', { file: name }, { file: name });
  }
  throw ferryError('BAD_FILE', 'dhis14.notDhis14', { file: name }, { file: name });
}

async function openMdb(file: string, name: string, size: number, opts: OpenOptions): Promise<Dhis14OpenedSource> {
  const max = maxMdbBytes();
  if (size > max) {
    throw ferryError('TOO_LARGE', 'dhis14.mdbTooLarge', { file: name, size: megabytes(size), memory: Math.round(os.totalmem() / (1 << 20)), max: megabytes(max) }, { file: name });
  }
  const buf = await fs.promises.readFile(file);
  const mdb = dhis14ReaderFor('access').open(buf, name, { password: opts.password });
  // hash now: the buffer is in memory anyway
  const { createHash } = await import('node:crypto');
  const sha = createHash('sha256').update(buf).digest('hex');
  return {
    label: name,
    format: 'mdb',
    size,
    sha256: () => sha,
    metadata: () => Promise.resolve(mdb.metadata()),
    dataTables: () => mdb.dataTables(),
    dataCount: (t) => mdb.dataCount(t),
    async *data(t, since) {
      yield* mdb.data(t, since ?? null);
    },
    close() {
      /* the buffer is released with the source */
    },
  };
}

async function openXml(file: string, name: string, size: number, opts: OpenOptions): Promise<Dhis14OpenedSource> {
  // first pass: the metadata XML, and whether a RoutineData.txt entry exists (not read here)
  let tables: D14Tables | null = null;
  let xmlLabel = name;
  let dataEntry: string | null = null;
  let sha: string | null = null;
  const { tables: readDhis14Xml, isRoutineDataEntry } = dhis14ReaderFor('xml-export');
  const input: OpenedInput = await openInput(file);
  const compression = input.compression;
  try {
    for (let e: OpenedInput | null = input; e; e = await e.next()) {
      const entry = e.entryName ?? name;
      if (compression === 'zip' && isRoutineDataEntry(entry)) {
        dataEntry ??= entry;
        if (tables) break;
        continue;
      }
      if (!tables && (compression !== 'zip' || /\.xml$/i.test(entry))) {
        xmlLabel = e.label;
        tables = await readDhis14Xml(e.chunks(), e.label);
        if (dataEntry || compression !== 'zip') break;
      }
    }
    if (!dataEntry) sha = input.sha256();
  } finally {
    input.close();
  }
  if (!tables) {
    throw ferryError('BAD_FILE', 'dhis14.noXml', { file: name }, { file: name });
  }
  for (const t of [...tables.keys()]) if (isDataTable(t) && t === 'RoutineData' && dataEntry) tables.delete(t);
  const xmlDataTables = [...tables.keys()].filter(isDataTable);
  if (opts.requireData && !dataEntry && !xmlDataTables.includes('RoutineData')) {
    throw ferryError(
      'BAD_FILE',
      compression === 'zip' ? 'dhis14.noDataFileZip' : 'dhis14.noDataFile',
      { file: name },
      // reason: the import screen says what to do in its own words (untick "Import data values"), not with the CLI flag
      { file: name, reason: 'noDataFile' },
    );
  }
  const meta = tables;
  const dataLabel = dataEntry ? `${name} › ${dataEntry}` : xmlLabel;
  return {
    label: xmlLabel,
    format: 'xml',
    size,
    sha256: () => sha,
    metadata: () => Promise.resolve(new Map([...meta].filter(([t]) => !isDataTable(t)))),
    dataTables: () => {
      const out: D14DataTable[] = [...xmlDataTables];
      if (dataEntry && !out.includes('RoutineData')) out.unshift('RoutineData');
      return out;
    },
    dataCount: (t) => meta.get(t)?.length ?? null,
    async *data(t: D14DataTable, since?: string | null): AsyncGenerator<D14DataRow[]> {
      if (t === 'RoutineData' && dataEntry) {
        const inp = await openInput(file);
        try {
          for (let e: OpenedInput | null = inp; e; e = await e.next()) {
            if (e.entryName === dataEntry) {
              yield* dhis14ReaderFor('xml-export').routineData(e.chunks(), dataLabel, since ?? null, 'RoutineData');
              // read on to the end so that the raw file's sha256 is complete
              for (let rest = await e.next(); rest; rest = await rest.next()) for await (const _ of rest.chunks()) void _;
              sha = inp.sha256();
              return;
            }
          }
        } finally {
          inp.close();
        }
        return;
      }
      const rows = meta.get(t) ?? [];
      const out: D14DataRow[] = [];
      for (const r of rows) {
        const d = dataRowOf(t, r);
        if (since && (d.lastUpdated === null || d.lastUpdated <= since)) continue;
        out.push(d);
      }
      if (out.length) yield out;
    },
    close() {
      /* each pass closes its own input */
    },
  };
}
