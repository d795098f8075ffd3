/** UpdateCheck — E5001: with importStrategy UPDATE, an object that does not exist is removed. */
import type { MetadataCheck } from './check.ts';
import { noMatchingObject } from './deletion-check.ts';

export const updateCheck: MetadataCheck = {
  name: 'UpdateCheck',
  strategies: ['UPDATE'],
  lenient: true,
  run(b) {
    for (const it of b.live()) if (!it.existing) noMatchingObject(b, it);
  },
};
