/** DeletionCheck — E5001: with importStrategy DELETE, an object that does not exist is removed. */
import type { Bundle, Item } from '../bundle.ts';
import { describe } from '../objects.ts';
import type { MetadataCheck } from './check.ts';

/** E5001 "No matching object for reference" (UpdateCheck and DeletionCheck). */
export function noMatchingObject(b: Bundle, it: Item): void {
  const d = describe(it.type, it.obj);
  b.error(it, 'E5001', `No matching object for reference. Identifier was ${b.opts.identifier}, and object was ${d}.`, {
    errorProperty: 'id', args: [b.opts.identifier, d], value: String(it.obj.id ?? it.obj.code ?? ''),
  });
}

export const deletionCheck: MetadataCheck = {
  name: 'DeletionCheck',
  strategies: ['DELETE'],
  lenient: true,
  run(b) {
    for (const it of b.live()) if (!it.existing) noMatchingObject(b, it);
  },
};
