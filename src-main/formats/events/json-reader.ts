/**
 * Event and tracker JSON (spec §6): the tracker API's payloads and exports — `{"events": […]}`, `{"trackedEntities":
 * […]}` with enrollments and events nested, `{"enrollments": […]}`, `{"relationships": […]}`, the 2.39–2.40 export
 * envelope `{"instances": […]}`, any of them side by side in one object (the tracker importer's own payloads, with
 * `importStrategy`, `idSchemes` … beside them) — and the deprecated events API's files (≤ 2.40): `{"events": […]}`
 * with eventDate/dueDate/coordinate, a single event object, or `{"trackedEntityInstances": […]}`.
 *
 * Streamed through the shared JSON scanner: each top-level object of a list is built alone, mapped to the tracker
 * model (model.ts) and handed out with its line, so memory holds one tracked entity at a time whatever the file size.
 * Events' data values are read by the scanner's flat-object path. JSON numbers in `value` keep their source text.
 * The file's generation ('tracker' or 'events') is told once, from the field names of its first object.
 */
import { AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import type { EventGeneration, TrackerRecord, TrackerType } from '../../../src-shared/dhis2/tracker.ts';
import { ARR, JsonScanner, KeySlots, OBJ, type JsonHandler } from '../shared/json-scanner.ts';
import type { EventsReaderOptions } from '../types.ts';
import { Shape, type Where, enrollmentOf, eventOf, generationOf, relationshipOf, trackedEntityOf, typeOfInstance } from './model.ts';
import { smallChunks } from './small-chunks.ts';

type Obj = Record<string, unknown>;
type Container = Obj | unknown[];

/** Top-level lists and what they hold (null: decided per object). */
const COLLECTIONS: Record<string, TrackerType | null> = {
  events: 'EVENT',
  trackedEntities: 'TRACKED_ENTITY',
  trackedEntityInstances: 'TRACKED_ENTITY',
  enrollments: 'ENROLLMENT',
  relationships: 'RELATIONSHIP',
  instances: null,
};
/** Keys that make a root object one event (the deprecated API accepted a single event). */
const EVENT_KEYS = ['event', 'programStage', 'eventDate', 'occurredAt'];

const DV_KEYS = new KeySlots(['dataElement', 'value', 'providedElsewhere', 'storedBy', 'createdAt', 'updatedAt', 'created', 'lastUpdated']);

// roles
const R_ROOT = 0;
const R_LIST = 1; // a top-level list
const R_ITEM = 2; // one top-level object, being built
const R_IN = 3; // a container inside it (or inside a root field), being built
const R_DVS = 4; // an event's dataValues array (flat objects read fast)
const R_SKIP = 5;
const R_ROOTIN = 6; // a container that is the value of a root field, being built

const BATCH = 256;

export async function* readEventsJson(chunks: AsyncIterable<Uint8Array>, opts: EventsReaderOptions): AsyncGenerator<TrackerRecord> {
  const { fileName } = opts;
  const sc = new JsonScanner(fileName);
  sc.fastRole = R_DVS;
  const root: Obj = {};
  let queue: TrackerRecord[] = [];
  let listType: TrackerType | null = null;
  let listSeen = false;
  let generation: EventGeneration | null = null;
  let oldList = false;
  const counts: Record<TrackerType, number> = { TRACKED_ENTITY: 0, ENROLLMENT: 0, EVENT: 0, RELATIONSHIP: 0 };
  // the object being built: the containers from the item down
  const stack: Container[] = [];
  let itemLine = 0;
  const slots: (string | null | undefined)[] = new Array<string | null | undefined>(DV_KEYS.keys.length).fill(undefined);

  const bad = (key: ErrorKey, line: number, params: ErrorParams = {}): AppError => ferryError('BAD_FILE', key, { file: fileName, line, ...params }, { file: fileName, line });

  const emit = (o: Obj, line: number, given: TrackerType | null): void => {
    const type = given ?? typeOfInstance(o);
    if (generation === null) {
      // told before the first record: from its names (an old file's objects carry eventDate, trackedEntityInstance …
      // — required fields of the old API), else from the list's own name, else the tracker's
      generation = generationOf(o) ?? (oldList ? 'events' : 'tracker');
      opts.onGeneration?.(generation);
    }
    const index = counts[type]++;
    const where: Where = { root: type === 'EVENT' ? 'event' : type === 'ENROLLMENT' ? 'enrollment' : type === 'RELATIONSHIP' ? 'relationship' : 'trackedEntity', n: index + 1, path: '' };
    try {
      if (type === 'EVENT') queue.push({ type, value: eventOf(o, where), line, index });
      else if (type === 'ENROLLMENT') queue.push({ type, value: enrollmentOf(o, where), line, index });
      else if (type === 'TRACKED_ENTITY') queue.push({ type, value: trackedEntityOf(o, where), line, index });
      else queue.push({ type, value: relationshipOf(o, where), line, index });
    } catch (e) {
      if (e instanceof Shape) throw bad(e.key, line, e.params);
      throw e;
    }
    if (queue.length >= BATCH) sc.paused = true;
  };

  /** Attaches a value to the container on top of the stack (under the scanner's current key when an object). */
  const attach = (v: unknown): void => {
    const top = stack[stack.length - 1]!;
    if (Array.isArray(top)) top.push(v);
    else top[sc.keys[sc.depth - 1]!] = v;
  };

  const scalarValue = (p: number, value: string | null, key: string | undefined): unknown => {
    if (value === null) return null;
    const c = sc.s.charCodeAt(p);
    if (c === 34) return value;
    if (c === 116) return true;
    if (c === 102) return false;
    // a number: data and attribute values keep their source text (1.10 stays 1.10)
    return key === 'value' ? value : Number(value);
  };

  const handler: JsonHandler = {
    root(p, c) {
      if (c !== 123) sc.shapeError('an event or tracker file must be a JSON object ({"events": […]}, {"trackedEntities": […]} …)', p);
    },
    open(kind, p) {
      const depth = sc.depth;
      if (depth === 0) return R_ROOT;
      const parent = sc.roles[depth - 1]!;
      if (parent === R_ROOT) {
        const key = sc.keys[depth - 1]!;
        if (key in COLLECTIONS) {
          if (kind !== ARR) sc.shapeError(`"${key}" must be an array`, p);
          listType = COLLECTIONS[key]!;
          if (key === 'trackedEntityInstances') oldList = true;
          listSeen = true;
          return R_LIST;
        }
        const c: Container = kind === OBJ ? {} : [];
        root[key] = c;
        stack.length = 0;
        stack.push(c);
        return R_ROOTIN;
      }
      if (parent === R_LIST) {
        if (kind !== OBJ) sc.shapeError(`the elements of "${sc.keys[depth - 2]}" must be objects`, p);
        stack.length = 0;
        stack.push({});
        itemLine = sc.line;
        return R_ITEM;
      }
      if (parent === R_SKIP) return R_SKIP;
      // inside an item or a root field: build
      const c: Container = kind === OBJ ? {} : [];
      attach(c);
      stack.push(c);
      if (kind === ARR && parent !== R_ROOTIN && sc.keys[depth - 1] === 'dataValues' && !Array.isArray(stack[stack.length - 2])) return R_DVS;
      return R_IN;
    },
    close(role) {
      if (role === R_ITEM) {
        emit(stack[0] as Obj, itemLine, listType);
        stack.length = 0;
      } else if (role === R_IN || role === R_DVS || role === R_ROOTIN) stack.pop();
    },
    scalar(p, value) {
      const depth = sc.depth;
      const parent = sc.roles[depth - 1]!;
      if (parent === R_ROOT) {
        const key = sc.keys[depth - 1]!;
        if (key in COLLECTIONS && value !== null) sc.shapeError(`"${key}" must be an array`, p);
        root[key] = scalarValue(p, value, key);
        return;
      }
      if (parent === R_LIST) sc.shapeError(`the elements of "${sc.keys[depth - 2]}" must be objects`, p);
      if (parent === R_SKIP) return;
      const top = stack[stack.length - 1]!;
      const key = Array.isArray(top) ? undefined : sc.keys[depth - 1];
      attach(scalarValue(p, value, key));
    },
    fastObject(p) {
      const e = sc.readFlatObject(p, DV_KEYS, slots);
      if (e >= 0) {
        const dv: Obj = {};
        for (let k = 0; k < slots.length; k++) {
          const v = slots[k];
          if (v === undefined) continue;
          const key = DV_KEYS.keys[k]!;
          // the flat path gives source text: booleans of providedElsewhere as their word
          dv[key] = key === 'providedElsewhere' ? (v === null ? null : v === 'true') : v;
        }
        (stack[stack.length - 1] as unknown[]).push(dv);
      }
      return e;
    },
  };
  sc.setHandler(handler);

  const take = (): TrackerRecord[] | undefined => {
    if (!queue.length) return undefined;
    const q = queue;
    queue = [];
    return q;
  };
  for await (const batch of sc.feed(smallChunks(chunks), take, () => [])) for (const r of batch) yield r;
  if (!sc.end()) throw ferryError('BAD_FILE', 'events.jsonEmpty', { file: fileName }, { file: fileName, line: 1 });
  if (!listSeen) {
    // no list: a single event (deprecated events API), or nothing Ferry knows
    if (EVENT_KEYS.some((k) => k in root)) {
      emit(root, 1, 'EVENT');
      for (const r of queue) yield r;
      queue = [];
    } else {
      throw bad('events.noList', 1);
    }
  }
  if (generation === null) opts.onGeneration?.('tracker');
}

/** The header fields of a tracker payload the importer may honour (importStrategy, atomicMode …) are not read here. */
export const EVENTS_JSON_COLLECTIONS = Object.keys(COLLECTIONS);
