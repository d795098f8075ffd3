/**
 * MandatoryAttributesCheck — E4011: an object (of a type that keeps attribute values) has no non-empty value for a
 * mandatory custom attribute assigned to its type; one report per missing attribute, on the Attribute (mainId: the
 * attribute's uid, errorProperty `value`), as dhis2-core reports it. DHIS2 runs every check over every object and
 * removes the failing ones after the chain: the object stays until UniqueAttributesCheck (which runs next) has reported
 * its own errors too, then that check removes both kinds.
 */
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributeModel, attributeValuesOf, typesWithAttributeValues } from './custom-attributes.ts';

export const ATTRIBUTE_KLASS = 'org.hisp.dhis.attribute.Attribute';

export const mandatoryAttributesCheck: MetadataCheck = {
  name: 'MandatoryAttributesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const model = attributeModel(b);
    for (const [type, items] of typesWithAttributeValues(b)) {
      const mandatory = model.mandatory(type);
      if (!mandatory.length) continue;
      for (const it of items()) {
        const vals = attributeValuesOf(it.obj);
        for (const id of mandatory) {
          if (vals.has(id)) continue;
          b.error(it, 'E4011', `Attribute \`${id}\` is required, but no value was found`, {
            mainKlass: ATTRIBUTE_KLASS, mainId: id, errorProperty: 'value', args: [id], errorProperties: [id],
          }, false);
        }
      }
    }
  },
};
