/**
 * One DHIS2 metadata validation check (dhis2-core's `ValidationCheck` classes in dxf2/metadata/objectbundle/
 * validation): it reads the bundle and records error reports on the objects it finds invalid, removing them from the
 * import unless DHIS2 keeps them (ReferencesCheck strips the bad reference and keeps the object).
 */
import type { ImportStrategy } from '../../../../src-shared/dhis2/options.ts';
import type { Bundle } from '../bundle.ts';

export interface MetadataCheck {
  /** the DHIS2 class it mirrors, e.g. 'ReferencesCheck' */
  readonly name: string;
  /** the import strategies it runs for (DHIS2's validatorsByImportStrategy) */
  readonly strategies: readonly ImportStrategy[];
  /** false: skipped for fixtures (the lenient option), which may carry short uids and partial objects */
  readonly lenient: boolean;
  run(bundle: Bundle): void;
}

/** Every strategy that creates or updates objects (all but DELETE). */
export const WRITE_STRATEGIES: readonly ImportStrategy[] = ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE'];
