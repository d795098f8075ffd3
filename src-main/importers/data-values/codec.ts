/**
 * The resolver's calls (resolved.ts ResolvedSink) packed into batches for the trip from the parse thread to the
 * writing thread: one Int32Array (transferred, not copied) and one string holding every text of the batch, instead of
 * one object per row. BatchEncoder is a ResolvedSink; BatchDecoder replays a batch into another one, in order.
 *
 * ints, per call:
 *   VALUE    op index line de period# ou coc aoc flags |value| |comment| |storedBy| |deRaw| |field|   (−1: absent;
 *            storedBy −1: the previous value row's; deRaw only for F_FILE_DELETE rows)
 *   REJECT   op index line |json|        json = [field | null, hits]
 *   PLAIN    op |json|                   json = the conflict
 *   COMPLETE op dataSet period# ou aoc |json|   json = [date, storedBy]
 *   PERIOD   op period# |json|           json = the Period (sent once per job, before its first use)
 * Texts follow one another in the string in the order of the lengths.
 */
import type { ImportConflict } from '../../../src-shared/dhis2/import-summary.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';
import { F_FILE_DELETE, type Hit, type ResolvedSink } from './resolved.ts';

const OP_VALUE = 1;
const OP_REJECT = 2;
const OP_PLAIN = 3;
const OP_COMPLETE = 4;
const OP_PERIOD = 5;

export interface PackedBatch {
  /** (between threads: empty when the ints travel in a slot of the shared ring, BatchRing) */
  ints: Int32Array;
  /** the BatchRing slot holding the ints, when they travel there */
  slot?: number;
  /** ints used */
  n: number;
  text: string;
  /** calls in the batch */
  calls: number;
}

export class BatchEncoder implements ResolvedSink {
  private ints: Int32Array;
  private n = 0;
  private parts: string[] = [];
  private textLength = 0;
  private periods = new Map<string, number>();
  private lastStoredBy: string | null = null;
  calls = 0;

  constructor(private readonly initialInts = 8192) {
    this.ints = new Int32Array(initialInts);
  }

  /** no call since the last take() */
  get isEmpty(): boolean {
    return this.n === 0;
  }

  /** texts held (UTF-16 units): a batch is sent once it holds enough */
  get textSize(): number {
    return this.textLength;
  }

  private room(k: number): void {
    if (this.n + k <= this.ints.length) return;
    const bigger = new Int32Array(Math.max(this.ints.length * 2, this.n + k));
    bigger.set(this.ints.subarray(0, this.n));
    this.ints = bigger;
  }

  private text(s: string | null | undefined): number {
    if (s == null) return -1;
    if (s.length) {
      this.parts.push(s);
      this.textLength += s.length;
    }
    return s.length;
  }

  /** the last period packed and its number (rows come grouped by period: no Map lookup) */
  private lastPeriod: Period | null = null;
  private lastPeriodK = -1;

  private period(p: Period): number {
    if (p === this.lastPeriod) return this.lastPeriodK;
    let k = this.periods.get(p.iso);
    if (k === undefined) {
      k = this.periods.size;
      this.periods.set(p.iso, k);
      this.room(3);
      this.ints[this.n++] = OP_PERIOD;
      this.ints[this.n++] = k;
      this.ints[this.n++] = this.text(JSON.stringify(p));
    }
    this.lastPeriod = p;
    this.lastPeriodK = k;
    return k;
  }

  value(
    index: number, line: number, field: string | undefined, de: number, period: Period, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, storedBy: string, flags: number, deRaw: string,
  ): void {
    const pe = this.period(period);
    this.room(14);
    const a = this.ints;
    let i = this.n;
    a[i++] = OP_VALUE;
    a[i++] = index;
    a[i++] = line;
    a[i++] = de;
    a[i++] = pe;
    a[i++] = ou;
    a[i++] = coc;
    a[i++] = aoc;
    a[i++] = flags;
    a[i++] = this.text(value);
    a[i++] = this.text(comment);
    if (storedBy === this.lastStoredBy) a[i++] = -1;
    else {
      a[i++] = this.text(storedBy);
      this.lastStoredBy = storedBy;
    }
    a[i++] = (flags & F_FILE_DELETE) !== 0 ? this.text(deRaw) : -1;
    a[i++] = this.text(field);
    this.n = i;
    this.calls++;
  }

  reject(index: number, line: number, field: string | undefined, hits: Hit[]): void {
    this.room(4);
    this.ints[this.n++] = OP_REJECT;
    this.ints[this.n++] = index;
    this.ints[this.n++] = line;
    this.ints[this.n++] = this.text(JSON.stringify([field ?? null, hits]));
    this.calls++;
  }

  plain(conflict: ImportConflict): void {
    this.room(2);
    this.ints[this.n++] = OP_PLAIN;
    this.ints[this.n++] = this.text(JSON.stringify(conflict));
    this.calls++;
  }

  complete(dataSet: number, period: Period, ou: number, aoc: number, date: string, storedBy: string): void {
    const pe = this.period(period);
    this.room(6);
    this.ints[this.n++] = OP_COMPLETE;
    this.ints[this.n++] = dataSet;
    this.ints[this.n++] = pe;
    this.ints[this.n++] = ou;
    this.ints[this.n++] = aoc;
    this.ints[this.n++] = this.text(JSON.stringify([date, storedBy]));
    this.calls++;
  }

  /**
   * The calls so far as a batch (null when there are none); the encoder starts a new one. `lend`: the batch's ints are
   * the encoder's own array, valid until its next call (the caller copies them: no array allocated per batch).
   */
  take(lend = false): PackedBatch | null {
    if (this.n === 0) return null;
    const batch: PackedBatch = { ints: this.ints, n: this.n, text: this.parts.join(''), calls: this.calls };
    if (!lend) this.ints = new Int32Array(Math.max(this.initialInts, this.n + 64));
    this.n = 0;
    this.parts = [];
    this.textLength = 0;
    this.calls = 0;
    this.lastStoredBy = null;
    return batch;
  }
}

/** Replays batches into a sink, in order; holds the job's period table. */
export class BatchDecoder {
  private readonly periods: Period[] = [];

  apply(b: PackedBatch, sink: ResolvedSink): void {
    const a = b.ints;
    const text = b.text;
    const n = b.n;
    const periods = this.periods;
    let t = 0;
    let storedBy = '';
    const str = (len: number): string | null => {
      if (len < 0) return null;
      const s = text.substring(t, t + len);
      t += len;
      return s;
    };
    for (let i = 0; i < n; ) {
      switch (a[i]) {
        case OP_VALUE: {
          // (the texts read inline: this runs once per value on the writing thread)
          let len = a[i + 9]!;
          let value: string | null = null;
          if (len >= 0) value = text.substring(t, (t += len));
          len = a[i + 10]!;
          let comment: string | null = null;
          if (len >= 0) comment = text.substring(t, (t += len));
          len = a[i + 11]!;
          if (len >= 0) storedBy = text.substring(t, (t += len));
          len = a[i + 12]!;
          let deRaw = '';
          if (len >= 0) deRaw = text.substring(t, (t += len));
          len = a[i + 13]!;
          let field: string | undefined;
          if (len >= 0) field = text.substring(t, (t += len));
          sink.value(a[i + 1]!, a[i + 2]!, field, a[i + 3]!, periods[a[i + 4]!]!, a[i + 5]!, a[i + 6]!, a[i + 7]!, value, comment, storedBy, a[i + 8]!, deRaw);
          i += 14;
          break;
        }
        case OP_REJECT: {
          const [field, hits] = JSON.parse(str(a[i + 3]!)!) as [string | null, Hit[]];
          sink.reject(a[i + 1]!, a[i + 2]!, field ?? undefined, hits);
          i += 4;
          break;
        }
        case OP_PLAIN:
          sink.plain(JSON.parse(str(a[i + 1]!)!) as ImportConflict);
          i += 2;
          break;
        case OP_COMPLETE: {
          const [date, by] = JSON.parse(str(a[i + 5]!)!) as [string, string];
          sink.complete(a[i + 1]!, periods[a[i + 2]!]!, a[i + 3]!, a[i + 4]!, date, by);
          i += 6;
          break;
        }
        case OP_PERIOD:
          periods[a[i + 1]!] = JSON.parse(str(a[i + 2]!)!) as Period;
          i += 3;
          break;
        default:
          throw new Error(`data value batch: unknown op ${a[i]} at ${i}`);
      }
    }
  }
}

/**
 * The ints of the batches on their way from the parse thread to the job's thread, in shared memory: one slot per batch
 * in flight (the parse side posts batch i into slot i mod slots only once batch i − slots has been applied), so that
 * no array is allocated, transferred and left for the collector per batch — on the job's thread those arrays piled up
 * as external memory (about 50 MB for a million values) between its rare full collections. A batch too large for a
 * slot (a reader batch of many conflicts) travels in an array of its own, as before.
 */
export class BatchRing {
  static readonly SLOT_INTS = 65536;
  private readonly views: Int32Array[] = [];
  private next = 0;

  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly slots: number,
  ) {
    for (let i = 0; i < slots; i++) this.views.push(new Int32Array(buffer, i * BatchRing.SLOT_INTS * 4, BatchRing.SLOT_INTS));
  }

  static create(slots: number): BatchRing {
    return new BatchRing(new SharedArrayBuffer(slots * BatchRing.SLOT_INTS * 4), slots);
  }

  /** parse side: the batch to post — its ints copied into the next slot, or into an array of their own (to transfer) */
  pack(b: PackedBatch): PackedBatch {
    const slot = this.next;
    this.next = (slot + 1) % this.slots;
    if (b.n <= BatchRing.SLOT_INTS) {
      this.views[slot]!.set(b.ints.subarray(0, b.n));
      return { ints: EMPTY, n: b.n, text: b.text, calls: b.calls, slot };
    }
    return { ints: b.ints.slice(0, b.n), n: b.n, text: b.text, calls: b.calls };
  }

  /** job's side: the batch with its ints in place */
  unpack(b: PackedBatch): PackedBatch {
    if (b.slot !== undefined) b.ints = this.views[b.slot]!;
    return b;
  }
}

const EMPTY = new Int32Array(0);
