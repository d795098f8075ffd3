/**
 * One registry of importers and exporters (the joplin interop pattern): a capability exists when it is listed here.
 * Each feature adds one line.
 */
import type { Exporter, Importer } from './types.ts';
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import type { ExportKind } from '../../src-shared/api/contract.ts';
import { metadataImporter } from '../importers/metadata/index.ts';
import { dataValuesImporter } from '../importers/data-values/index.ts';
import { withFileTruth } from './multi-file.ts';
import { geometryImporter } from '../importers/geometry/index.ts';
import { csvMetadataImporter } from '../importers/csv-metadata/index.ts';
import { eventsImporter } from '../importers/events/index.ts';
import { dhis14Importer } from '../importers/dhis14/index.ts';
import { transferImporter } from '../transfer/receive.ts';
import { undoImporter } from '../importers/undo/index.ts';
import { metadataExporter } from '../exporters/metadata.ts';
import { dependenciesExporter } from '../exporters/dependencies.ts';
import { dataExporter } from '../exporters/data.ts';
import { csvMetadataExporter } from '../exporters/csv-metadata.ts';
import { pdfFormExporter } from '../exporters/pdf-form.ts';
import { eventsExporter } from '../exporters/events.ts';
import { trackedEntitiesExporter } from '../exporters/tracked-entities.ts';
import { sendExporter } from '../transfer/send.ts';
import { dhis14DataExporter, dhis14DetailedMetadataExporter, dhis14MetadataExporter } from '../exporters/dhis14.ts';

export const importers: Partial<Record<ImportKind, Importer>> = {
  metadata: metadataImporter,
  data: withFileTruth(dataValuesImporter), // overlapping files, counts that add up (multi-file.ts)
  geometry: geometryImporter,
  'csv-metadata': csvMetadataImporter,
  events: eventsImporter,
  dhis14: dhis14Importer,
  transfer: transferImporter,
  undo: undoImporter,
};

export const exporters: Partial<Record<ExportKind, Exporter>> = {
  metadata: metadataExporter,
  dependencies: dependenciesExporter,
  data: dataExporter,
  'csv-metadata': csvMetadataExporter,
  'pdf-form': pdfFormExporter,
  'dhis14-metadata': dhis14MetadataExporter,
  'dhis14-detailed-metadata': dhis14DetailedMetadataExporter,
  'dhis14-data': dhis14DataExporter,
  events: eventsExporter,
  'tracked-entities': trackedEntitiesExporter,
  send: sendExporter,
};

export function capabilities(): string[] {
  return [...Object.keys(importers).map((k) => `import:${k}`), ...Object.keys(exporters).map((k) => `export:${k}`)];
}
