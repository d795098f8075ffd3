/**
 * CLI argument parsing. Every DHIS2 parameter is a flag named by its DHIS2 name in kebab-case
 * (dryRun → --dry-run, dataElementIdScheme → --data-element-id-scheme); booleans as bare flags or --flag true|false.
 */
export interface ParsedArgs {
  positionals: string[];
  /** camelCase option → value(s) */
  flags: Record<string, string | boolean | string[]>;
}

/** Flags that take no value unless followed by true/false. */
export const BOOLEAN_FLAGS = new Set([
  'dryRun', 'skipValidation', 'skipSharing', 'skipTranslation', 'skipExistingCheck', 'strictPeriods', 'strictDataElements',
  'strictCategoryOptionCombos', 'strictAttributeOptionCombos', 'strictOrganisationUnits', 'requireCategoryOptionCombo',
  'requireAttributeOptionCombo', 'firstRowIsHeader', 'json', 'children', 'descendants', 'includeDeleted', 'includeChildren',
  'help', 'version', 'withDependencies', 'async', 'includeDescendants', 'open', 'geoJsonId', 'dataValues',
  'skipFirst', 'cascade', 'last', 'skipExpiryCheck', 'skipRuleEngine',
  'force', 'repair',
]);

/** Flags that may be given several times (or comma-separated) and are collected into arrays. */
export const REPEATABLE_FLAGS = new Set(['orgUnit', 'dataSet', 'period', 'type', 'types', 'dataElement', 'dataElementGroup', 'attributeOptionCombo', 'orgUnitGroup', 'indicator']);

export function kebabToCamel(s: string): string {
  return s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positionals.push(a);
      continue;
    }
    let name = a.slice(2);
    let value: string | boolean | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const key = kebabToCamel(name);
    if (value === undefined) {
      const next = argv[i + 1];
      if (BOOLEAN_FLAGS.has(key)) {
        if (next === 'true' || next === 'false') {
          value = next === 'true';
          i++;
        } else value = true;
      } else if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      } else value = true;
    } else if (BOOLEAN_FLAGS.has(key)) {
      value = value === 'true' || value === '';
    }
    if (REPEATABLE_FLAGS.has(key) && typeof value === 'string') {
      const prev = flags[key];
      const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
      flags[key] = [...(Array.isArray(prev) ? prev : []), ...parts];
    } else flags[key] = value;
  }
  return { positionals, flags };
}

/**
 * A command line Ferry cannot run (exit 2, with the reason): `message` in English (what --json output carries, the same
 * in every language), `text` in the run's language (what the terminal shows).
 */
export class UsageError extends Error {
  readonly text: string;
  constructor(message: string, text?: string) {
    super(message);
    this.text = text ?? message;
  }
}
