import { z } from 'zod';

/** Import strategies, with DHIS2's old names accepted as aliases (spec §1.6). */
export const STRATEGIES = ['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] as const;
export type ImportStrategy = (typeof STRATEGIES)[number];
const STRATEGY_ALIASES: Record<string, ImportStrategy> = {
  CREATE_AND_UPDATE: 'CREATE_AND_UPDATE',
  NEW_AND_UPDATES: 'CREATE_AND_UPDATE',
  CREATE: 'CREATE',
  NEW: 'CREATE',
  UPDATE: 'UPDATE',
  UPDATES: 'UPDATE',
  DELETE: 'DELETE',
  DELETES: 'DELETE',
};
export function normalizeStrategy(s: string | undefined | null): ImportStrategy | undefined {
  if (s == null || s === '') return undefined;
  return STRATEGY_ALIASES[s.trim().toUpperCase()];
}
export const strategySchema = z
  .string()
  .transform((s, ctx) => {
    const n = normalizeStrategy(s);
    if (!n) {
      ctx.addIssue({ code: 'custom', message: `unknown import strategy '${s}' (use ${STRATEGIES.join(', ')})` });
      return z.NEVER;
    }
    return n;
  });

/** Id schemes: UID, CODE, NAME, ATTRIBUTE:<uid> (case-insensitive names). */
export const ID_SCHEME_PATTERN = /^(UID|CODE|NAME|ID|ATTRIBUTE:[a-zA-Z][a-zA-Z0-9]{10})$/i;
/** The one normaliser of id scheme names (case-insensitive input): 'UID', 'CODE', 'NAME', 'ID', 'ATTRIBUTE:<uid>', or undefined. */
export function parseIdScheme(s: unknown): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  if (!ID_SCHEME_PATTERN.test(t)) return undefined;
  return /^attribute:/i.test(t) ? 'ATTRIBUTE:' + t.slice(10) : t.toUpperCase();
}
export const idSchemeSchema = z
  .string()
  .refine((s) => parseIdScheme(s) !== undefined, { message: 'id scheme must be UID, CODE, NAME or ATTRIBUTE:<uid>' })
  .transform((s) => parseIdScheme(s)!);
export type IdScheme = string; // 'UID' | 'CODE' | 'NAME' | 'ID' | `ATTRIBUTE:${string}`

export const IMPORT_KINDS = ['metadata', 'data', 'events', 'geometry', 'csv-metadata', 'pdf', 'dhis14', 'transfer', 'undo'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
/** A --format name; the format registry (src-main/formats/registry.ts) says which exist and what each carries. */
export type ImportFormat = string;
export const COMPRESSIONS = ['none', 'zip', 'gzip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Metadata import options (DHIS2 names; spec §2.2). */
export const metadataImportOptionsSchema = z.object({
  dryRun: z.boolean().default(false),
  importStrategy: strategySchema.default('CREATE_AND_UPDATE'),
  atomicMode: z.enum(['ALL', 'NONE']).default('ALL'),
  identifier: z.enum(['UID', 'CODE']).default('UID'),
  skipValidation: z.boolean().default(false),
  skipSharing: z.boolean().default(false),
  skipTranslation: z.boolean().default(false),
  importReportMode: z.enum(['ERRORS', 'FULL', 'DEBUG', 'ERRORS_NOT_OWNER']).default('ERRORS'),
  /** CSV metadata only */
  classKey: z.string().optional(),
  firstRowIsHeader: z.boolean().default(true),
});
export type MetadataImportOptions = z.infer<typeof metadataImportOptionsSchema>;

/** Aggregate data import options (DHIS2 names; spec §1.6). */
export const dataImportOptionsSchema = z.object({
  dryRun: z.boolean().default(false),
  importStrategy: strategySchema.default('CREATE_AND_UPDATE'),
  idScheme: idSchemeSchema.optional(),
  dataElementIdScheme: idSchemeSchema.optional(),
  orgUnitIdScheme: idSchemeSchema.optional(),
  categoryOptionComboIdScheme: idSchemeSchema.optional(),
  dataSetIdScheme: idSchemeSchema.optional(),
  categoryIdScheme: idSchemeSchema.optional(),
  categoryOptionIdScheme: idSchemeSchema.optional(),
  skipExistingCheck: z.boolean().default(false),
  strictPeriods: z.boolean().default(false),
  strictDataElements: z.boolean().default(false),
  strictCategoryOptionCombos: z.boolean().default(false),
  strictAttributeOptionCombos: z.boolean().default(false),
  strictOrganisationUnits: z.boolean().default(false),
  requireCategoryOptionCombo: z.boolean().default(false),
  requireAttributeOptionCombo: z.boolean().default(false),
  /**
   * CSV: is the first row a header? DHIS2's default is true; Ferry keeps "not given" (undefined) and decides from the
   * first row of each file, so that a file without header does not silently lose its first value.
   */
  firstRowIsHeader: z.boolean().optional(),
  /** the CLI collects --data-set into an array (it is repeatable for exports); one data set for imports */
  dataSet: z.union([z.string(), z.array(z.string()).length(1).transform((a) => a[0]!)]).optional(),
  /** who is recorded as storedBy when a row has none (DHIS2: the importing user) */
  storedBy: z.string().optional(),
  /**
   * DHIS2's `force` (a superuser's switch): skip the data set period checks — expiry days (E7640), open future periods
   * (E7641), data input periods (E7643, E7644). Off: they are enforced, as for a user without F_EDIT_EXPIRED.
   */
  force: z.boolean().default(false),
  /**
   * Ferry: value keys carried by more than one file of the job (src-main/jobs/overlap.ts): stop (the default: a real
   * import whose files disagree is refused before anything is written), first (the first file's values are kept),
   * newer (the most recently modified file's values are kept), last (the last file's: DHIS2's order, said explicitly).
   */
  overlap: z.enum(['stop', 'first', 'newer', 'last']).optional(),
});
export type DataImportOptions = z.infer<typeof dataImportOptionsSchema>;

/** Options of any import: the union is validated per kind by the import service. */
export const importOptionsSchema = z.record(z.string(), z.unknown());

/** "false"/"true" from a query string or the CLI as booleans (DHIS2's request parameters). */
const boolParam = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/**
 * Geometry import options (spec §7; DHIS2's /api/organisationUnits/geometry parameters for GeoJSON, the metadata
 * import's atomicMode for GML). orgUnitProperty: ID (= UID), CODE or NAME, case-insensitive.
 */
export const geometryImportOptionsSchema = z.object({
  dryRun: boolParam.default(false),
  geoJsonId: boolParam.default(true),
  geoJsonProperty: z.string().min(1).optional(),
  orgUnitProperty: z
    .string()
    .transform((s) => s.trim().toUpperCase())
    .pipe(z.enum(['ID', 'UID', 'CODE', 'NAME']))
    .optional(),
  attributeId: z.string().regex(/^[a-zA-Z0-9]{11}$/, 'attributeId must be an attribute uid (11 letters and digits)').optional(),
  /** GML (a metadata import in DHIS2): ALL = one unmatched feature fails the file (DHIS2's default), NONE = import the rest */
  atomicMode: z.enum(['ALL', 'NONE']).default('ALL'),
}).superRefine((o, ctx) => {
  if (o.geoJsonId === false && !o.geoJsonProperty)
    ctx.addIssue({ code: 'custom', path: ['geoJsonProperty'], message: 'with geoJsonId false, geoJsonProperty names the feature property that identifies the org unit' });
});
export type GeometryImportOptions = z.infer<typeof geometryImportOptionsSchema>;

/**
 * Event and tracker data import options (spec §6.1 tracker parameters; §6.2 the deprecated events API's). importMode
 * VALIDATE is a dry run. atomicMode: not given = ALL for tracker files, OBJECT for old events files (/api/events
 * imported each event on its own). skipFirst (CSV): the first row is a header (DHIS2's default: true). eventIdScheme
 * (old events API) is accepted; event uids are always UIDs.
 */
export const eventsImportOptionsSchema = z.object({
  dryRun: boolParam.default(false),
  importMode: z.string().transform((s) => s.trim().toUpperCase()).pipe(z.enum(['COMMIT', 'VALIDATE'])).optional(),
  importStrategy: strategySchema.default('CREATE_AND_UPDATE'),
  /** NONE (the metadata import's name for the same idea) is taken as OBJECT */
  atomicMode: z
    .string()
    .transform((s) => (s.trim().toUpperCase() === 'NONE' ? 'OBJECT' : s.trim().toUpperCase()))
    .pipe(z.enum(['ALL', 'OBJECT']))
    .optional(),
  validationMode: z.string().transform((s) => s.trim().toUpperCase()).pipe(z.enum(['FULL', 'FAIL_FAST', 'SKIP'])).default('FULL'),
  idScheme: idSchemeSchema.optional(),
  dataElementIdScheme: idSchemeSchema.optional(),
  orgUnitIdScheme: idSchemeSchema.optional(),
  programIdScheme: idSchemeSchema.optional(),
  programStageIdScheme: idSchemeSchema.optional(),
  categoryOptionComboIdScheme: idSchemeSchema.optional(),
  categoryOptionIdScheme: idSchemeSchema.optional(),
  eventIdScheme: idSchemeSchema.optional(),
  skipFirst: boolParam.optional(),
  /**
   * Import as a user with DHIS2's F_EDIT_EXPIRED authority: completed events past the program's
   * completeEventsExpiryDays are accepted (no E1043). Not given: checked, as for an ordinary user of the server.
   * (E1047, an event in an expired period, DHIS2 2.42 checks for every user.)
   */
  skipExpiryCheck: boolParam.optional(),
  /** DHIS2's skipRuleEngine: the program rules are not run (no E1300–E1317, no assigned values) */
  skipRuleEngine: boolParam.optional(),
  // DHIS2 parameters accepted and without effect offline (no server flush, no side effects, no
  // notifications; the report always lists errors and warnings)
  flushMode: z.string().optional(),
  reportMode: z.string().optional(),
  importReportMode: z.string().optional(),
  skipPatternValidation: boolParam.optional(),
  skipSideEffects: boolParam.optional(),
  skipNotifications: boolParam.optional(),
  async: boolParam.optional(),
});
export type EventsImportOptions = z.infer<typeof eventsImportOptionsSchema>;
