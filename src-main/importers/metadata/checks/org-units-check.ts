/**
 * OrganisationUnitObjectBundleHook.validate — E4013: a closed date before the opening date. The hook's other rule
 * (E1520–E1523, moving a unit to another parent) applies to non-superusers on a server only: not checked offline.
 * DHIS2 does not refuse a parent chain that loops on import (it is a data-integrity report on the server), so
 * neither does Ferry.
 */
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { dateMs, fmt, hookError, javaDateMessage, javaDateString, klassOf } from './hook-support.ts';

export const E4013 = 'Invalid closing date `{0}`, must be after opening date `{1}`';

export const orgUnitsCheck: MetadataCheck = {
  name: 'OrgUnitsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const it of b.live('organisationUnits')) {
      const closed = dateMs(it.obj.closedDate);
      const opening = dateMs(it.obj.openingDate);
      if (closed == null || opening == null || !(closed < opening)) continue;
      hookError(b, it, klassOf('organisationUnits'), 'E4013', fmt(E4013, javaDateMessage(closed), javaDateMessage(opening)), [javaDateString(closed), javaDateString(opening)], {
        errorProperty: 'closedDate', value: String(it.obj.closedDate),
      });
    }
  },
};
