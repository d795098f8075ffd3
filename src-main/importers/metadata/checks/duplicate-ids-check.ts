/** DuplicateIdsCheck — E5004: a uid given to more than one object of a type; all but the first are removed. */
import { simpleClassName } from '../../../../src-shared/dhis2/schema/registry.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

export const duplicateIdsCheck: MetadataCheck = {
  name: 'DuplicateIdsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: true,
  run(b) {
    for (const [type, list] of b.byType) {
      const seen = new Set<string>();
      for (const it of list) {
        const id = it.obj.id as string;
        if (seen.has(id)) {
          b.error(it, 'E5004', `Id \`${id}\` for type \`${simpleClassName(type)}\` exists on more than 1 object in the payload, removing all but the first found`, {
            errorProperty: 'id', args: [id, simpleClassName(type)], value: id,
          });
        } else seen.add(id);
      }
    }
  },
};
