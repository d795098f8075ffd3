/**
 * The text of `ferry --help`. It loads nothing but the facts it lists (usage-facts.ts, checked against the registries
 * by a test): printing it must not start the engine.
 */
import { VERSION } from '../version.ts';
import { defaultDbPath } from '../db/default-path.ts';
import { ALL_FORMAT_NAMES, CLASS_KEYS_LISTED, DATA_WRITE_FORMATS, FORMAT_LINES, IMPORTERS_LISTED, IMPORT_KINDS_LISTED, METADATA_WRITE_FORMATS, type FormatLine } from './usage-facts.ts';

/** 'a, b and c' */
function wordList(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** One line per format: what Ferry reads and writes in it (the usage; `ferry formats`). */
export function formatLines(formats: readonly FormatLine[]): string {
  return formats
    .map((f) => {
      const can = [f.reads.length ? `imports ${f.reads.join(', ')}` : '', f.writes.length ? `exports ${f.writes.join(', ')}` : ''].filter(Boolean).join('; ');
      return `      ${f.format.padEnd(8)} ${f.label} (.${f.extensions.join(', .')}): ${can || f.note || 'recognised'}`;
    })
    .join('\n');
}

/** The class keys, three to a line, indented under --class-key. */
function classKeyLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < CLASS_KEYS_LISTED.length; i += 3) lines.push('                                    ' + CLASS_KEYS_LISTED.slice(i, i + 3).join(', '));
  return lines.join(',\n');
}

export function usage(): string {
  return `ferry ${VERSION} — offline DHIS2 import/export

Usage:
  ferry [--db PATH] import FILE... [options] [--json]
      --kind ${IMPORT_KINDS_LISTED.join('|')}   (detected when not given; today Ferry imports ${wordList([...IMPORTERS_LISTED])}; pdf: filled forms, as data)
      --format ${ALL_FORMAT_NAMES.join('|')}                   (detected when not given)
      --dry-run                     validate and report, change nothing
      --strategy CREATE_AND_UPDATE|CREATE|UPDATE|DELETE   (also NEW_AND_UPDATES, NEW, UPDATES)
      --atomic-mode ALL|NONE        metadata: all or nothing (ALL), or import the valid objects (NONE)
      --identifier UID|CODE         metadata: how objects and references are matched
      --class-key K                 CSV metadata (--kind csv-metadata, implied by --class-key): the file's DHIS2 class key,
${classKeyLines()};
                                    --first-row-is-header false when the file has no header row (DHIS2's default: true)
      --skip-validation             metadata: import objects with missing references and list them
      --kind geometry               coordinates and boundaries of EXISTING org units (never creates any), --format gml|geojson:
                                    GML 2/3: matched by uid, else code, else name; GeoJSON: the feature id is the org unit uid,
                                    or --geo-json-id false --geo-json-property P --org-unit-property ID|CODE|NAME;
                                    --attribute-id UID stores the GeoJSON in that GEOJSON attribute instead of the geometry;
                                    GML: one feature without org unit fails the file (DHIS2), --atomic-mode NONE imports the rest
      --kind dhis14                 a DHIS 1.4 Access database (FILE.mdb) or 1.4 XML export (zip with RoutineData.txt):
                                    --mode analyse|preview|import (default import; analyse: integrity report, writes nothing;
                                    preview: what would be created, updated or left alone — a dry run)
                                    --last-updated DATE  only values added or edited after DATE (incremental import)
                                    --levels 1-8  --user NAME --password PW (protected .mdb)  --data-values false (metadata only)
      --kind events                 event and tracker data: tracker JSON/CSV (2.36+) and the old events JSON/XML/CSV (≤ 2.40);
                                    --import-mode COMMIT|VALIDATE (VALIDATE = --dry-run), --strategy (default CREATE_AND_UPDATE),
                                    --atomic-mode ALL|OBJECT (ALL: one error imports nothing — tracker files' default; OBJECT:
                                    import the valid objects — old events files' default), --validation-mode FULL|FAIL_FAST|SKIP,
                                    --program-id-scheme, --program-stage-id-scheme, --category-option-id-scheme (with the ones
                                    below), --skip-first false for a CSV without header row (DHIS2's default: true)
                                    --skip-expiry-check: import as a user with DHIS2's F_EDIT_EXPIRED authority (no E1043 for
                                    completed events past the program's completeEventsExpiryDays; E1047 stays: DHIS2 checks
                                    expired periods for every user); --skip-rule-engine: no program rules (E1300–E1317)
      --force                       data: DHIS2's superuser switch — skip the data sets' expiry days, open future periods and
                                    data input periods (E7640, E7641, E7643, E7644), which are enforced without it
      --overlap stop|first|newer|last  data, several files carrying the same value keys: stop (default: the import is
                                    refused when their values differ; a dry run lists them), keep the first, the newer or the last file's
      --id-scheme, --data-element-id-scheme, --org-unit-id-scheme, --category-option-combo-id-scheme UID|CODE|NAME|ATTRIBUTE:uid
      any other DHIS2 import parameter as --kebab-case (e.g. --skip-existing-check, --strict-periods, --first-row-is-header false)
  ferry [--db PATH] export metadata|dependencies|data --out FILE [--format ${DATA_WRITE_FORMATS.join('|')}] [--compression none|zip|gzip] [options] [--json]
      formats:       data as ${DATA_WRITE_FORMATS.join(', ')}; metadata and dependencies as ${METADATA_WRITE_FORMATS.join(', ')}
                     without --format (--compression) the file name decides: jan.csv.zip is CSV in a zip; else JSON
      xlsx:          metadata: a Contents sheet, then one sheet per type (references as "name [uid]"); data: one row per
                     value with names beside the ids, further sheets past 1,048,575 rows; already a zip: compression none
      metadata:      --types dataElements,indicators (default: every stored type)  --skip-sharing  --defaults INCLUDE|EXCLUDE
      dependencies:  --object-type dataSets|programs|categoryCombos|dashboards|dataElementGroups|optionSets --object-id UID  --skip-sharing
      data:          --org-unit UID (repeatable) with --children (and its direct children) or --descendants (whole subtree: DHIS2's children=true)
                     --org-unit-group, --data-set, --data-element-group, --data-element (repeatable)
                     --start-date yyyy-MM-dd --end-date yyyy-MM-dd | --period ISO (repeatable)   --last-updated DATE
                     --include-deleted  --attribute-option-combo  --limit N
                     --id-scheme, --data-element-id-scheme, --org-unit-id-scheme, --category-option-combo-id-scheme,
                     --attribute-option-combo-id-scheme, --data-set-id-scheme UID|CODE|NAME|ATTRIBUTE:uid (ADX default CODE)
                     with no filter every stored value is exported
  ferry [--db PATH] export csv-metadata --class-key K --out FILE.csv [--json]
                     the stored objects of a DHIS2 class key as DHIS2's CSV metadata; imports back with
                     ferry import FILE.csv --class-key K
  ferry [--db PATH] export pdf-form --data-set UID [--org-unit UID] [--period ISO] --out FILE.pdf [--json]
                     an offline data entry form (DHIS2's field names) for a data set; the org unit is then pre-filled
                     and locked, the period pre-selected. Filled forms import as data: ferry import FORM.pdf [FORM2.pdf …]
  ferry [--db PATH] export dhis14-metadata|dhis14-detailed-metadata|dhis14-data --out FILE.zip [options] [--json]
                     a DHIS 1.4 XML export (the zip 1.4 reads: MetaData.xml + RoutineData.txt, ISO-8859-1)
      dhis14-metadata:           everything 1.4 holds (data elements, indicators and types, groups, data sets,
                                 org units and hierarchy, org unit groups and group sets, periods)
      dhis14-detailed-metadata:  --data-element ID, --indicator ID (repeatable; uid, code or name): those, with
                                 the indicators' types and the data elements their formulas use
      dhis14-data:               values as 1.4 RoutineData: --org-unit UID (repeatable) [--children|--descendants]
                                 --org-unit-group, --data-set, --data-element-group, --data-element (repeatable)
                                 --start-date yyyy-MM-dd --end-date yyyy-MM-dd | --period ISO   --last-updated DATE
                                 (1.4 has no disaggregation and no other period types: such values are left out, counted)
  ferry [--db PATH] export events|tracked-entities --out FILE [--format F] [--compression none|zip|gzip] [options] [--json]
      formats:       json (tracker JSON, 2.36+), csv (tracker event CSV), and for servers on 2.40 or older: xml, events-json,
                     events-csv (the old events API's names); tracked entities: json (enrollments and events nested) or csv;
                     without --format (--compression) the file name decides (events.csv.zip); any event file Ferry reads
                     can be exported in any of them (conversion between generations)
      events:        --program P [--program-stage S] (uid, code or name; default every program and stage)
                     --org-unit OU [--org-unit-mode selected|children|descendants]  --start-date --end-date yyyy-MM-dd
                     --last-updated-start-date DATE  --include-deleted  --header false (CSV without header row)
                     --id-scheme UID|CODE|NAME|ATTRIBUTE:uid (default UID) and --data-element-id-scheme, --org-unit-id-scheme,
                     --program-id-scheme, --program-stage-id-scheme, --category-option-combo-id-scheme,
                     --category-option-id-scheme; objects without a code (CODE) are left out, with a warning
      tracked-entities: --program P | --tracked-entity-type T, --org-unit OU [--org-unit-mode …], --last-updated-start-date,
                     --include-deleted, the id schemes above and --tracked-entity-attribute-id-scheme
  ferry [--db PATH] receive FILE… [--dry-run] [--json]   transfer packages from other sites (ferry send): each verified
                                        whole before anything is written (a damaged one is refused: exit 2), received once
                                        (a package received before is a no-op), in sequence order per sender; says which
                                        packages of a sender have not arrived and which totals do not reconcile
  ferry [--db PATH] reconcile [--json]  the received packages' control totals (per sender, org unit, data set, period)
                                        against what the database holds now; --json lists every cell
  ferry [--db PATH] send --to NAME --out FILE [--json]   a transfer package for another site (DHIS2 imports it as it is:
                                        its first entry is a data value set): everything changed since the last package
                                        to NAME (new, updated and deleted values, events), checksummed, written as
                                        FILE.part, read back, then renamed; an empty one still advances the sequence
      --metadata changed|all        also the metadata changed in the range (or all of it), for sites below
      --from-sequence N | --since-package ID|K   another start: changes after N (after package K's range)
      --resend K                    re-make lost package K: same sequence and range, new package id
      --site-name NAME              set this site's name first (see ferry site)
  ferry [--db PATH] site [--name NAME] [--org-unit OU] [--json]   this site's name and org unit as packages give them
                                        (default: the one org unit holding data at the deepest level, else the host
                                        name), and the sites it sends to
  ferry [--db PATH] undo JOB|--last [--cascade] [--dry-run] [--json]   restores exactly the state before an import
                                        (data, events, metadata, geometry, csv-metadata, dhis14, received packages);
                                        itself a job in the history. Refused (exit 1, naming them) when later jobs
                                        changed the same rows, unless --cascade: those are undone too, newest first
  ferry [--db PATH] info [--json]       what the database holds
  ferry [--db PATH] jobs [--json]       the job history
  ferry [--db PATH] check [--json]      SQLite's integrity check of the database (exit 1 when damaged: restore the backup)
  ferry [--db PATH] backup --out FILE [--json]   a consistent copy of the database, also while Ferry runs (SQLite's
                                        online backup); written as FILE.part, checked, then renamed to FILE
  ferry [--db PATH] vacuum [--json]     compacts the database (gives back the space of deleted values; needs about the
                                        database's size free on disk for a while); refused while a job writes
  ferry formats [--json]                the formats Ferry recognises, reads and writes
  ferry [--db PATH] serve [--port N] [--open]   Ferry's screens and API for a browser on this computer (127.0.0.1 only);
                                        prints the address with its access token (--open: opens it); Ctrl+C stops

Formats (--format; every file may also be .zip or .gz):
${formatLines(FORMAT_LINES)}

The database is --db PATH, else $FERRY_DB, else ${defaultDbPath()}.
Exit status: 0 success or warnings, 1 import errors, 2 bad usage or unreadable file.`;
}
