/**
 * DXF2 XML metadata writer (spec §2.7, the Jackson XML rendering DHIS2 used for .xml metadata):
 *   <metadata xmlns="http://dhis2.org/schema/dxf/2.0"><system><id/>…</system><dataElements><dataElement id="…" …>…
 * - identifiable scalars (id, code, name, shortName, created, lastUpdated, displayName, href) are attributes;
 * - other scalars are child elements with text; booleans true/false;
 * - a reference/embedded object is a child element named by the property ({"id": x} → <prop id="x"/>);
 * - a collection is a wrapper element named by the property holding singular items (<categoryOptions><categoryOption
 *   id="…"/></categoryOptions>); `translations` repeats its own name for the items; an empty collection is <prop/>; an empty object is left out;
 * - `geometry`, nested arrays and objects whose keys are not XML names are written as JSON text.
 */
import type { MetadataWriter, SystemInfo } from '../shared/metadata-record.ts';
import { escapeAttr, escapeText, isXmlName, XML_DECLARATION } from '../shared/xml-writer.ts';
import { DXF2_NAMESPACE } from './data-writer.ts';
import { METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';

const ATTRIBUTE_KEYS = new Set(['id', 'code', 'name', 'shortName', 'created', 'lastUpdated', 'displayName', 'href']);
const JSON_TEXT_KEYS = new Set(['geometry']);

/** The XML item name for a plural key: categories → category, userGroupAccesses → userGroupAccess, options → option. */
export function singularOf(plural: string): string {
  if (plural === 'translations') return 'translations';
  if (plural.endsWith('ies')) return plural.slice(0, -3) + 'y';
  if (/(ss|x|ch|sh)es$/.test(plural) || plural.endsWith('aliases')) return plural.slice(0, -2);
  if (/(ss|us|is)$/.test(plural)) return plural;
  if (plural.endsWith('s')) return plural.slice(0, -1);
  return plural;
}

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function representable(o: Record<string, unknown>): boolean {
  for (const k of Object.keys(o)) if (!isXmlName(k)) return false;
  return true;
}

function jsonTextElement(name: string, v: unknown): string {
  return `<${name}>${escapeText(JSON.stringify(v))}</${name}>`;
}

/** Serialises one value under element name `name`. */
function valueElement(name: string, v: unknown, singular?: string): string {
  if (v == null) return '';
  if (isScalar(v)) return `<${name}>${escapeText(String(v))}</${name}>`;
  if (Array.isArray(v)) {
    if (v.length === 0) return `<${name}/>`;
    const item = singular ?? singularOf(name);
    let s = `<${name}>`;
    for (const x of v) {
      if (x == null) continue;
      if (Array.isArray(x)) s += jsonTextElement(item, x);
      else s += valueElement(item, x);
    }
    return s + `</${name}>`;
  }
  if (typeof v === 'object') {
    // an empty object would read back as an empty collection: leave it out (absent and {} mean the same to DHIS2)
    if (Object.keys(v).length === 0) return '';
    return objectElement(name, v as Record<string, unknown>);
  }
  return '';
}

/** An object as an element: identifiable scalars as attributes, everything else as children. */
export function objectElement(name: string, o: Record<string, unknown>): string {
  if (!representable(o)) return jsonTextElement(name, o);
  let attrs = '';
  let children = '';
  for (const [k, v] of Object.entries(o)) {
    if (v == null) continue;
    if (ATTRIBUTE_KEYS.has(k) && isScalar(v)) attrs += ` ${k}="${escapeAttr(String(v))}"`;
    else if (JSON_TEXT_KEYS.has(k) && typeof v === 'object') children += jsonTextElement(k, v);
    else if (Array.isArray(v) && v.some((x) => Array.isArray(x))) children += jsonTextElement(k, v);
    else children += valueElement(k, v);
  }
  return children ? `<${name}${attrs}>${children}</${name}>` : `<${name}${attrs}/>`;
}

export interface XmlMetadataWriter extends Omit<MetadataWriter, 'object'> {
  /** the object as parsed DXF2 JSON */
  object(obj: Record<string, unknown>): string;
}

/** The XML item element of a top-level type: the registry's singular, else derived from the plural key. */
export function itemNameOf(type: string): string {
  return METADATA_TYPES[type]?.singular ?? singularOf(type);
}

export function createXmlMetadataWriter(singular: (type: string) => string = itemNameOf): XmlMetadataWriter {
  let item = '';
  return {
    begin: (system: SystemInfo) =>
      `${XML_DECLARATION}<metadata xmlns="${DXF2_NAMESPACE}">\n<system><id>${escapeText(system.id)}</id><rev>${escapeText(system.rev)}</rev><version>${escapeText(
        system.version,
      )}</version><date>${escapeText(system.date)}</date></system>`,
    beginType(type) {
      item = singular(type);
      return `\n<${type}>`;
    },
    object: (obj) => '\n' + objectElement(item, obj),
    endType: (type) => `\n</${type}>`,
    end: () => '\n</metadata>\n',
  };
}
