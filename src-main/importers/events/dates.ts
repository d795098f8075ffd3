/**
 * The rest of DHIS2 2.42's event and enrollment DateValidator (tracker/imports/validation/validator/event and
 * enrollment DateValidator), after the mandatory dates (E1031, E1050, E1025 are the engine's):
 *  - E1051: an event with completedAt whose status is not COMPLETED; E1052: an enrollment with completedAt whose
 *    status is neither COMPLETED nor CANCELLED;
 *  - E1043: a COMPLETED event completed more than the program's completeEventsExpiryDays ago. DHIS2 skips this check
 *    for users with the F_EDIT_EXPIRED authority (superusers have every authority); Ferry has no users, so it checks
 *    by default — what an ordinary user of the server would be refused — and the import option skipExpiryCheck
 *    imports as such a user would;
 *  - E1047: an event whose period (of the program's expiryPeriodType, containing occurredAt, else scheduledAt) ended
 *    more than expiryDays (+ the last day itself) ago; E1046 when the event has neither date. DHIS2 checks this for
 *    every user, F_EDIT_EXPIRED or not, and so does Ferry whatever skipExpiryCheck says.
 * Periods are computed in UTC.
 */
import { periodOfType } from '../../../src-shared/dhis2/period.ts';
import { parseInstant } from './engine.ts';

const DAY = 86_400_000;

export interface ExpiryProgram {
  expiryDays: number;
  expiryPeriodType: string | null;
  completeEventsExpiryDays: number;
}

export interface DateEvent {
  status?: string;
  occurredAt?: string | null;
  scheduledAt?: string | null;
  completedAt?: string | null;
}

type Add = (code: string, ...args: unknown[]) => void;

/** E1051, E1043, E1046/E1047 of an event whose mandatory dates are there (in DHIS2's order); `received` (a transfer package's events) skips the expiry checks E1043 and E1047. */
export function eventDateChecks(add: Add, uid: string, ev: DateEvent, p: ExpiryProgram, skipExpiryCheck: boolean, received = false, now = Date.now()): void {
  const status = ev.status ?? 'ACTIVE';
  const completedAt = parseInstant(ev.completedAt);
  if (completedAt != null && status !== 'COMPLETED') add('E1051', uid, status);
  if (!skipExpiryCheck && !received && completedAt != null && p.completeEventsExpiryDays > 0 && status === 'COMPLETED' && now > completedAt + p.completeEventsExpiryDays * DAY) {
    add('E1043', uid);
  }
  if (p.expiryPeriodType == null || p.expiryDays === 0) return;
  const ref = parseInstant(ev.occurredAt) ?? parseInstant(ev.scheduledAt);
  if (ref == null) {
    add('E1046', uid);
    return;
  }
  if (received) return;
  const period = periodOfType(p.expiryPeriodType, new Date(ref).toISOString().slice(0, 10));
  if (!period) return;
  const end = Date.parse(`${period.endDate}T00:00:00Z`);
  if (end + (p.expiryDays + 1) * DAY < now) add('E1047', uid);
}

/** E1052 of an enrollment. */
export function enrollmentDateChecks(add: Add, uid: string, en: { status?: string; completedAt?: string | null }): void {
  const status = en.status ?? 'ACTIVE';
  if (en.completedAt != null && en.completedAt !== '' && status !== 'COMPLETED' && status !== 'CANCELLED') add('E1052', uid, status);
}

const WITH_VALUES = new Set(['VISITED', 'ACTIVE', 'COMPLETED']);
const WITHOUT_VALUES = new Set(['SCHEDULE', 'SKIPPED', 'OVERDUE']);

/** E1316 (StatusUpdateValidator, updates only): an event that had data values cannot go back to a status without. */
export function statusUpdateCheck(add: Add, stored: string, status: string): void {
  if (WITH_VALUES.has(stored) && WITHOUT_VALUES.has(status)) add('E1316', stored, status);
}
