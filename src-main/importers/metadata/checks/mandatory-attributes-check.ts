/**
 * MandatoryAttributesCheck — E4011: an object lacks a value for a mandatory custom attribute of its type. The object
 * stays until UniqueAttributesCheck (which runs next) has reported its own errors, then both remove it.
 */
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributesByType, attributeValuesOf } from './custom-attributes.ts';

export const mandatoryAttributesCheck: MetadataCheck = {
  name: 'MandatoryAttributesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const [, list, mandatory] of attributesByType(b, 'mandatory')) {
      for (const it of list) {
        if (it.removed) continue;
        const vals = attributeValuesOf(it.obj);
        for (const a of mandatory) {
          if (!vals.has(a.id as string)) {
            b.error(it, 'E4011', `Attribute \`${a.id}\` is required`, { errorProperty: 'attributeValues', args: [a.id as string], value: a.id as string }, false);
          }
        }
      }
    }
  },
};
