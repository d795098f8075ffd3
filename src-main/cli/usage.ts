/**
 * The text of `ferry --help`. It loads nothing but the facts it lists (usage-facts.ts, checked against the registries
 * by a test): printing it must not start the engine. Its words are the cli catalogue's (usage.*).
 */
import { VERSION } from '../version.ts';
import { defaultDbPath } from '../db/default-path.ts';
import { list, t } from './i18n.ts';
import { ALL_FORMAT_NAMES, CLASS_KEYS_LISTED, DATA_WRITE_FORMATS, FORMAT_LINES, IMPORTERS_LISTED, IMPORT_KINDS_LISTED, METADATA_WRITE_FORMATS, type FormatLine } from './usage-facts.ts';

/** One line per format: what Ferry reads and writes in it (the usage; `ferry formats`). Labels are the registry's. */
export function formatLines(formats: readonly FormatLine[]): string {
  return formats
    .map((f) => {
      const can = [f.reads.length ? t('formats.imports', { kinds: f.reads.join(', ') }) : '', f.writes.length ? t('formats.exports', { kinds: f.writes.join(', ') }) : ''].filter(Boolean).join('; ');
      return `      ${f.format.padEnd(8)} ${f.label} (.${f.extensions.join(', .')}): ${can || f.note || t('formats.recognised')}`;
    })
    .join('\n');
}

/** The class keys, three to a line, indented under --class-key. */
function classKeyLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < CLASS_KEYS_LISTED.length; i += 3) lines.push('                                    ' + CLASS_KEYS_LISTED.slice(i, i + 3).join(', '));
  return lines.join(',\n');
}

/** The usage in the run's language (flags, commands, formats and DHIS2's values are the same in every language). */
export function usage(): string {
  return [
    t('usage.head', { version: VERSION }),
    t('usage.import', { kinds: IMPORT_KINDS_LISTED.join('|'), importers: list([...IMPORTERS_LISTED]), formats: ALL_FORMAT_NAMES.join('|'), classKeys: classKeyLines() }),
    t('usage.export', { dataFormats: DATA_WRITE_FORMATS.join('|'), dataFormatList: DATA_WRITE_FORMATS.join(', '), metadataFormatList: METADATA_WRITE_FORMATS.join(', ') }),
    t('usage.exportOther'),
    t('usage.exportEvents'),
    t('usage.transfer'),
    t('usage.commands'),
    '',
    t('usage.formats', { formatLines: formatLines(FORMAT_LINES) }),
    '',
    t('usage.foot', { defaultDb: defaultDbPath() }),
  ].join('\n');
}
