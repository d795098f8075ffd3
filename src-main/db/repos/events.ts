/** Tracker/event program events (the event table). Only counted so far; the events issue adds the rest. */
import type { Db } from '../open.ts';

export class EventsRepo {
  private readonly live;

  constructor(db: Db) {
    this.live = db.prepare(`SELECT count(*) FROM event WHERE deleted = 0`).pluck();
  }

  /** Number of events not soft-deleted. */
  countLive(): number {
    return this.live.get() as number;
  }
}
