/**
 * Event CSV of both generations (spec §6.1, §6.2): one row per event × data value; consecutive rows with the same
 * `event` are one event (an event without values is one row with empty data element columns).
 *
 * - With a header (DHIS2's skipFirst=true, its default): columns by name, in any order, tracker or old names
 *   (eventDate, dueDate, completedDate); unknown columns are ignored.
 * - Without one (skipFirst=false): positional — 17 fields is the deprecated API's order, 30 the order of spec §6.1,
 *   anything else the tracker order DHIS2 writes (csv-columns.ts).
 * - skipFirst not given: a first row whose first field names a column is the header.
 * - `geometry` is WKT (single quotes around it stripped); when blank, latitude/longitude give a point. A blank status
 *   is ACTIVE; `assignedUser` and `updatedBy` are usernames; attributeCategoryOptions separated by ';' become ','.
 *
 * The generation is 'events' for 17 positional columns or a header with old names, else 'tracker'.
 */
import { AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import type { EventGeneration, TrackerDataValue, TrackerEvent, TrackerRecord } from '../../../src-shared/dhis2/tracker.ts';
import { readCsvRecords } from '../shared/csv-records.ts';
import type { EventsReaderOptions } from '../types.ts';
import { CSV_FIELD_OF, EVENTS_CSV_COLUMNS, OLD_CSV_NAMES, TRACKER_CSV_COLUMNS, TRACKER_CSV_COLUMNS_30 } from './csv-columns.ts';
import { wktToGeometry } from './wkt.ts';
import { smallChunks } from './small-chunks.ts';

const bool = (s: string | undefined): boolean | undefined => {
  if (s === undefined) return undefined;
  const t = s.trim().toLowerCase();
  return t === '' ? undefined : t === 'true';
};
/** the columns a data value row needs beyond the event's */
const VALUE_FIELDS = new Set(['dataElement', 'value', 'providedElsewhere', 'storedBy', 'storedByDataValue', 'updatedAtDataValue', 'createdAtDataValue']);
const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

export async function* readEventsCsv(chunks: AsyncIterable<Uint8Array>, opts: EventsReaderOptions): AsyncGenerator<TrackerRecord> {
  const { fileName } = opts;
  let fields: string[] | null = null; // the field each column fills
  let current: TrackerEvent | null = null;
  let currentId = '';
  let currentLine = 0;
  let index = 0;
  const bad = (key: ErrorKey, line: number, params: ErrorParams = {}): AppError => ferryError('BAD_FILE', key, { file: fileName, line, ...params }, { file: fileName, line });

  let iEvent = -1;
  let valueColumns: number[] = [];
  const setColumns = (names: readonly string[], generation: EventGeneration): void => {
    fields = names.map((n) => CSV_FIELD_OF[n.trim().toLowerCase()] ?? '');
    iEvent = fields.indexOf('event');
    valueColumns = fields.flatMap((c, i) => (VALUE_FIELDS.has(c) ? [i] : []));
    opts.onGeneration?.(generation);
  };

  const startEvent = (row: Record<string, string>, line: number): TrackerEvent => {
    const e: TrackerEvent = { dataValues: [], notes: [] };
    const set = <K extends keyof TrackerEvent>(k: K, v: TrackerEvent[K] | undefined): void => {
      if (v !== undefined) e[k] = v;
    };
    set('event', opt(row.event));
    set('status', (opt(row.status?.trim()) ?? 'ACTIVE') as TrackerEvent['status']);
    set('program', opt(row.program));
    set('programStage', opt(row.programStage));
    set('enrollment', opt(row.enrollment));
    set('trackedEntity', opt(row.trackedEntity));
    set('orgUnit', opt(row.orgUnit));
    set('occurredAt', opt(row.occurredAt));
    set('scheduledAt', opt(row.scheduledAt));
    set('followUp', bool(row.followUp));
    set('deleted', bool(row.deleted));
    set('createdAt', opt(row.createdAt));
    set('createdAtClient', opt(row.createdAtClient));
    set('updatedAt', opt(row.updatedAt));
    set('updatedAtClient', opt(row.updatedAtClient));
    set('completedBy', opt(row.completedBy));
    set('completedAt', opt(row.completedAt));
    const ub = opt(row.updatedBy);
    if (ub) e.updatedBy = { username: ub };
    set('attributeOptionCombo', opt(row.attributeOptionCombo));
    const aco = opt(row.attributeCategoryOptions);
    if (aco) e.attributeCategoryOptions = aco.split(';').join(',');
    const au = opt(row.assignedUser);
    if (au) e.assignedUser = { username: au };
    // the event's storedBy: a tracker file's own column; in the old CSV the one storedBy column (per row)
    const geometry = opt(row.geometry?.trim());
    if (geometry) {
      const g = wktToGeometry(geometry);
      if (typeof g === 'string') throw bad('events.badShape', line, { detail: g });
      e.geometry = g;
    } else {
      const lat = opt(row.latitude?.trim());
      const lng = opt(row.longitude?.trim());
      if (lat !== undefined && lng !== undefined) {
        const y = Number(lat);
        const x = Number(lng);
        if (!Number.isFinite(x) || !Number.isFinite(y)) throw bad('events.latLongNotNumbers', line, { latitude: lat, longitude: lng });
        e.geometry = { type: 'Point', coordinates: [x, y] };
      }
    }
    return e;
  };

  const addValue = (e: TrackerEvent, row: Record<string, string>, old: boolean): void => {
    const de = opt(row.dataElement);
    if (!de) return;
    const dv: TrackerDataValue = { dataElement: de, value: row.value ?? '' };
    const pe = bool(row.providedElsewhere);
    if (pe !== undefined) dv.providedElsewhere = pe;
    const sb = opt(old ? row.storedBy : (row.storedByDataValue ?? row.storedBy));
    if (sb) dv.storedBy = sb;
    const u = opt(row.updatedAtDataValue);
    if (u) dv.updatedAt = u;
    const c = opt(row.createdAtDataValue);
    if (c) dv.createdAt = c;
    e.dataValues.push(dv);
  };

  let old = false;
  let first = true;
  for await (const batch of readCsvRecords(smallChunks(chunks), fileName)) {
    const out: TrackerRecord[] = [];
    for (const { fields: cells, line } of batch) {
      if (first) {
        first = false;
        const head = (cells[0] ?? '').trim().replace(/^\uFEFF/, '').toLowerCase();
        const isHeader = opts.skipFirst ?? (head in CSV_FIELD_OF || cells.some((c) => c.trim().toLowerCase() === 'dataelement'));
        if (isHeader) {
          old = cells.some((c) => OLD_CSV_NAMES.has(c.trim().toLowerCase()));
          setColumns(cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c)), old ? 'events' : 'tracker');
          if (!fields!.some((f) => f !== '')) throw bad('events.csvNoColumns', line);
          continue;
        }
        old = cells.length === EVENTS_CSV_COLUMNS.length;
        setColumns(old ? EVENTS_CSV_COLUMNS : cells.length === TRACKER_CSV_COLUMNS_30.length ? TRACKER_CSV_COLUMNS_30 : TRACKER_CSV_COLUMNS, old ? 'events' : 'tracker');
      }
      const f = fields!;
      const id = iEvent >= 0 ? (cells[iEvent] ?? '') : '';
      if (current && id === currentId) {
        // a further value of the same event: only the value columns are read
        const dv: Record<string, string> = {};
        for (const i of valueColumns) if (i < cells.length) dv[f[i]!] = cells[i]!;
        addValue(current, dv, old);
        continue;
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < f.length && i < cells.length; i++) if (f[i]) row[f[i]!] = cells[i]!;
      if (current) out.push({ type: 'EVENT', value: current, line: currentLine, index: index++ });
      current = startEvent(row, line);
      if (old && opt(row.storedBy)) current.storedBy = row.storedBy;
      else if (!old && opt(row.storedBy) && row.storedByDataValue !== undefined) current.storedBy = row.storedBy;
      currentId = id;
      currentLine = line;
      addValue(current, row, old);
    }
    for (const r of out) yield r;
  }
  if (first) throw ferryError('BAD_FILE', 'file.empty', { file: fileName }, { file: fileName, line: 1 });
  if (fields === null) opts.onGeneration?.('tracker');
  if (current) yield { type: 'EVENT', value: current, line: currentLine, index };
}

