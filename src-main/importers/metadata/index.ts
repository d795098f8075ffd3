import type { Importer } from '../../jobs/types.ts';
import { AppError } from '../../../src-shared/errors.ts';
// PLACEHOLDER — replaced by the metadata import engine.
export const metadataImporter: Importer = {
  kind: 'metadata',
  async run() {
    throw new AppError('UNSUPPORTED', 'metadata import not built yet');
  },
};
