/**
 * Limits every reader enforces (issue 16), so that no input can make a reader slow, deep or large, whatever it holds.
 *
 * - One token: the longest single piece a reader holds while it arrives — a CSV record, an XML tag, comment or text
 *   node, a JSON string or number. Readers never hold more than one token beyond what they have already consumed
 *   (rows are handed out as they complete), so this also bounds their memory.
 *   - Data files (CSV, DXF2 XML/JSON data, ADX): 1 MiB. DHIS2 refuses a data value or comment longer than 50,000
 *     characters (E7620 / value_length_greater_than_max_length, spec §1), so a legitimate record of 11 such fields
 *     stays under 1 MiB even in 4-byte characters; longer values still reach the importer's own conflicts.
 *   - Metadata files (DXF2 JSON/XML): 64 MiB. Metadata holds long texts (HTML data entry forms, SQL views, report
 *     templates) and, in XML, an org unit's geometry is one text node of GeoJSON: a detailed country boundary runs to
 *     tens of MB. Jackson (DHIS2's JSON parser) refuses strings over 20,000,000 characters by default
 *     (StreamReadConstraints, since 2.15); 64 MiB is above any file DHIS2 can write or read back.
 * - Nesting: 256 levels of JSON arrays/objects or XML elements. DHIS2's own files nest about 10 deep (a MultiPolygon
 *   geometry inside an org unit inside the payload); Jackson's default is 1000 (StreamReadConstraints.maxNestingDepth,
 *   since 2.15). 256 keeps Ferry's recursive walks of a record (JSON.stringify, the XML → JSON conversion, schema
 *   checks) far from the stack limit, and a file deeper than that is not one DHIS2 wrote.
 *
 * Errors are BAD_FILE naming the file and the line where the token (or the level too deep) starts.
 */
import { type AppError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';

export const MAX_DATA_TOKEN = 1 << 20;
export const MAX_METADATA_TOKEN = 64 << 20;
export const MAX_DEPTH = 256;

/**
 * A reader that has consumed this many bytes without handing anything out (a long token arriving, blank space)
 * yields an empty batch anyway, so that the job checks for cancel and reports progress: readers scan 64 KB in well
 * under a millisecond, and one chunk (at most 1 MB) in a few.
 */
export const IDLE_BYTES = 1 << 16;

/**
 * What a limit is about, as messages name it: a key of the errors catalogue (limits.what.*), nested in the message so
 * that no English reaches a translated sentence. Readers may pass the English phrase (older callers): it is looked up
 * here; a phrase this table lacks is kept as it is (`limits.what.text`).
 */
export type LimitWhat =
  | 'csvRecord' | 'xmlConstruct' | 'xmlBetweenTags' | 'xmlComment' | 'xmlCdata' | 'xmlDoctype' | 'xmlPi' | 'xmlEndTag' | 'xmlTag'
  | 'jsonString' | 'jsonNumber' | 'jsonValue' | 'jsonStringOrNumber' | 'jsonRootKey' | 'adxAnnotation' | 'gmlIdentifier'
  | 'xmlElements' | 'jsonContainers';
/** the same with a parameter: the text of an element (its name), a GeoJSON feature (its number) */
export type LimitWhatOf = { what: 'elementText' | 'gmlElementText'; element: string } | { what: 'feature'; index: number };

const WHAT_PHRASES: Record<string, LimitWhat> = {
  'a CSV record (a line, or several when a quoted field holds line breaks) is': 'csvRecord',
  'one XML construct (a text node, a tag with its attributes, a comment or CDATA section) is': 'xmlConstruct',
  'text between two XML tags is': 'xmlBetweenTags',
  'an XML comment is': 'xmlComment',
  'a CDATA section is': 'xmlCdata',
  'a DOCTYPE is': 'xmlDoctype',
  'a processing instruction is': 'xmlPi',
  'an end tag is': 'xmlEndTag',
  'one XML tag (with its attributes) is': 'xmlTag',
  'a JSON string is': 'jsonString',
  'a JSON number is': 'jsonNumber',
  'one JSON value is': 'jsonValue',
  'a JSON string or number is': 'jsonStringOrNumber',
  'a key of the root object is': 'jsonRootKey',
  'the text of an <annotation> is': 'adxAnnotation',
  'the text of an identifier element is': 'gmlIdentifier',
  'XML elements are': 'xmlElements',
  'JSON arrays and objects are': 'jsonContainers',
};

function whatParams(what: LimitWhat | LimitWhatOf | string): Record<string, string | number> {
  if (typeof what === 'object') return { ...what };
  const key = WHAT_PHRASES[what] ?? (Object.values(WHAT_PHRASES).includes(what as LimitWhat) ? what : null);
  return key ? { what: key } : { what: 'text', text: what };
}

/** A size limit's parameters (1 MB, 64 MB, 4 KB in the message's language). */
export const sizeParams = (bytes: number): { size: number; unit: 'MB' | 'KB' } =>
  bytes >= 1 << 20 ? { size: Math.round(bytes / (1 << 20)), unit: 'MB' } : { size: Math.round(bytes / 1024), unit: 'KB' };

/** BAD_FILE: a single token (what: 'csvRecord', 'xmlTag' … or the English phrase) is longer than the limit. */
export function tokenTooLong(fileName: string, line: number, what: LimitWhat | LimitWhatOf | string, limit: number): AppError {
  return ferryError('BAD_FILE', 'limits.tokenTooLong', { file: fileName, line, ...whatParams(what), ...sizeParams(limit) }, { file: fileName, line });
}

/** BAD_FILE: nesting deeper than MAX_DEPTH. */
export function tooDeep(fileName: string, line: number, what: LimitWhat | string, column?: number): AppError {
  const params = { file: fileName, line, ...whatParams(what), depth: MAX_DEPTH };
  return column !== undefined
    ? ferryError('BAD_FILE', 'limits.tooDeepAt', { ...params, column }, { file: fileName, line, column })
    : ferryError('BAD_FILE', 'limits.tooDeep', params, { file: fileName, line });
}

/**
 * Whether a string holds a lone UTF-16 surrogate (a \ud800 escape without its pair): such text has no UTF-8 form.
 * String.prototype.isWellFormed (ES2024, Node 20) where it exists.
 */
export function hasLoneSurrogate(s: string): boolean {
  return wellFormed ? !wellFormed.call(s) : LONE.test(s);
}
const wellFormed = (String.prototype as unknown as { isWellFormed?: (this: string) => boolean }).isWellFormed;
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message for a lone surrogate escape in JSON (DHIS2's Jackson keeps it, and PostgreSQL's driver writes '?'). */
export const LONE_SURROGATE =
  'a \\u escape leaves half of a UTF-16 surrogate pair (e.g. "\\ud800" without the "\\udc00"-"\\udfff" that must follow it); such text has no UTF-8 form — fix the text or remove the escape';
