/**
 * Tracked entity export (issue 9; spec §9.1 "Tracked entity export"): tracked entities with their attributes and — in
 * JSON — their enrollments and events nested, streamed from the events repo through the tracker JSON or CSV writer.
 * Filters: program (enrolled in it) or trackedEntityType, orgUnit with orgUnitMode, lastUpdatedStartDate,
 * includeDeleted; id schemes as for events (exporters/events.ts), plus trackedEntityTypeIdScheme and
 * trackedEntityAttributeIdScheme. The 2.40 formats hold events only and are refused.
 */
import type { TrackerRecord } from '../../src-shared/dhis2/tracker.ts';
import type { Exporter } from '../jobs/types.ts';
import { EventsRepo } from '../db/repos/events.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { eventsWriterFor, formatNames } from '../formats/registry.ts';
import { asBool, asString } from './common.ts';
import { UidMapper, checkFormat, date, mapTrackedEntity, orgUnitMode, resolveUid, schemes, writeRecords } from './events.ts';

export const trackedEntitiesExporter: Exporter = {
  kind: 'tracked-entities',
  namedBy: 'events',
  ownFormats: { formats: formatNames('events', 'write').filter((f) => eventsWriterFor(f).writes.includes('TRACKED_ENTITY')), label: 'Tracked entity data' },
  checkOptions(o) {
    orgUnitMode(o);
    schemes(o);
    date(o, ['lastUpdatedStartDate', 'updatedAfter'], 'lastUpdatedStart');
    return o;
  },
  async run(ctx, out, format, compression, options) {
    checkFormat(format, 'TRACKED_ENTITY');
    const lookups = new MetadataLookupRepo(ctx.db);
    const repo = new EventsRepo(ctx.db);
    const filter = {
      program: resolveUid(lookups, 'programs', asString(options.program), 'program'),
      trackedEntityType: resolveUid(lookups, 'trackedEntityTypes', asString(options.trackedEntityType), 'trackedEntityType'),
      orgUnit: resolveUid(lookups, 'organisationUnits', asString(options.orgUnit), 'orgUnit'),
      orgUnitMode: orgUnitMode(options),
      updatedAfter: date(options, ['lastUpdatedStartDate', 'updatedAfter'], 'lastUpdatedStart'),
      includeDeleted: options.includeDeleted !== undefined && asBool(options.includeDeleted),
      withEnrollments: format !== 'csv',
    };
    const m = new UidMapper(lookups, schemes(options));
    const header = options.header === undefined ? true : asBool(options.header);
    const summary = await writeRecords(
      ctx, out, format, compression, 'TRACKED_ENTITY',
      function* () {
        let index = 0;
        for (const chunk of repo.trackedEntities(filter, 100))
          yield chunk.map((t): TrackerRecord => ({ type: 'TRACKED_ENTITY', value: mapTrackedEntity(t, m), line: 0, index: index++ }));
      },
      m, header,
    );
    return { summary };
  },
};
