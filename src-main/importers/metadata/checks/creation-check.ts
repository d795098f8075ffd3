/** CreationCheck — E5000: with importStrategy CREATE, an object that already exists is removed (message as dhis2-core master words it; 2.42.0 said "import mode"). */
import { describe } from '../objects.ts';
import type { MetadataCheck } from './check.ts';

export const creationCheck: MetadataCheck = {
  name: 'CreationCheck',
  strategies: ['CREATE'],
  lenient: true,
  run(b) {
    const identifier = b.opts.identifier;
    for (const it of b.live()) {
      if (!it.existing) continue;
      const d = describe(it.type, it.obj);
      b.error(it, 'E5000', `Found matching object for reference, but import strategy is CREATE. Identifier was ${identifier}, and object was ${d}.`, {
        errorProperty: 'id', args: [identifier, d], value: it.obj.id as string,
      });
    }
  },
};
