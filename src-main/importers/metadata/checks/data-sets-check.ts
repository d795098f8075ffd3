/**
 * DataSetObjectBundleHook.validate — E4013: a data input period whose opening date is after its closing date (one
 * error per such period). Sections have no validating hook in DHIS2 (SectionObjectBundleHook only drops greyed fields
 * of data elements the section no longer holds, on update).
 */
import { isObj } from '../objects.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { E4013 } from './org-units-check.ts';
import { dateMs, fmt, hookError, javaDateMessage, javaDateString, klassOf } from './hook-support.ts';

export const dataSetsCheck: MetadataCheck = {
  name: 'DataSetsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const it of b.live('dataSets')) {
      const periods = Array.isArray(it.obj.dataInputPeriods) ? it.obj.dataInputPeriods : [];
      for (const p of periods) {
        if (!isObj(p)) continue;
        const opening = dateMs(p.openingDate);
        const closing = dateMs(p.closingDate);
        if (opening == null || closing == null || !(opening > closing)) continue;
        hookError(b, it, klassOf('dataSets'), 'E4013', fmt(E4013, javaDateMessage(closing), javaDateMessage(opening)), [javaDateString(closing), javaDateString(opening)], {
          errorProperty: 'dataInputPeriods', value: String(p.closingDate),
        });
      }
    }
  },
};
