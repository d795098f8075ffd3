/** UidFormatCheck — E4014: a new object whose uid is not 11 characters of DHIS2's alphabet (not run for UPDATE). */
import { simpleClassName } from '../../../../src-shared/dhis2/schema/registry.ts';
import { isValidUid } from '../../../../src-shared/dhis2/uid.ts';
import type { MetadataCheck } from './check.ts';

export const uidFormatCheck: MetadataCheck = {
  name: 'UidFormatCheck',
  strategies: ['CREATE_AND_UPDATE', 'CREATE'],
  lenient: false,
  run(b) {
    for (const it of b.live()) {
      if (it.existing) continue;
      const uid = it.obj.id as string;
      if (!isValidUid(uid)) {
        b.error(it, 'E4014', `Invalid UID \`${uid}\` for property \`${simpleClassName(it.type)}\``, { errorProperty: 'id', args: [uid, simpleClassName(it.type)], value: uid });
      }
    }
  },
};
