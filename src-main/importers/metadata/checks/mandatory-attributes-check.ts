/**
 * MandatoryAttributesCheck — E4011: an object lacks a value for a mandatory custom attribute of its type. The object
 * stays until UniqueAttributesCheck (which runs next) has reported its own errors, then both remove it.
 */
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributeDefinitions, attributeValuesOf } from './custom-attributes.ts';

export const mandatoryAttributesCheck: MetadataCheck = {
  name: 'MandatoryAttributesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const attrs = attributeDefinitions(b);
    if (!attrs.size) return;
    for (const [type, list] of b.byType) {
      const flag = METADATA_TYPES[type]!.attributeFlag;
      if (!flag) continue;
      const mandatory = [...attrs.values()].filter((a) => a[flag] === true && a.mandatory === true);
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
