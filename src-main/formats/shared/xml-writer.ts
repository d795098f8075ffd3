/**
 * Escaping helpers shared by Ferry's XML writers (DXF2 data and metadata, ADX). Pure string functions, no DOM.
 * Attribute values keep tabs and line breaks as character references so a reader gets the exact value back.
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF) become U+FFFD.
 */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what must be escaped
const ATTR_TEST = /[&<>"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const ATTR_ALL = /[&<>"\t\n\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
// eslint-disable-next-line no-control-regex
const TEXT_TEST = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
// eslint-disable-next-line no-control-regex
const TEXT_ALL = /[&<>\r\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const replace = (c: string): string => ENTITIES[c] ?? '\uFFFD';

/** Escapes a string for use inside a double-quoted attribute value. */
export function escapeAttr(s: string): string {
  return ATTR_TEST.test(s) ? s.replace(ATTR_ALL, replace) : s;
}

/** Escapes character data (element text). Tabs and line feeds stay literal; CR is a reference (XML would normalise it). */
export function escapeText(s: string): string {
  return TEXT_TEST.test(s) ? s.replace(TEXT_ALL, replace) : s;
}

/** ` name="value"`, or '' when the value is null/undefined (DHIS2 omits null attributes). */
export function attr(name: string, value: string | null | undefined): string {
  return value == null ? '' : ` ${name}="${escapeAttr(value)}"`;
}

const NAME_START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
// eslint-disable-next-line no-misleading-character-class -- combining marks are allowed after the first character (XML 1.0 NameChar)
const XML_NAME = new RegExp(`^[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040]*$`);

/** True when s is a valid XML 1.0 element/attribute name without a namespace prefix. */
export function isXmlName(s: string): boolean {
  return XML_NAME.test(s);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
