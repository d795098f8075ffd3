/** Small helpers over DXF2 objects shared by the preheat, the checks and the writer. */
import { DEFAULT_UIDS, IDENTIFIABLE, METADATA_TYPES, simpleClassName } from '../../../src-shared/dhis2/schema/registry.ts';
import type { EmbeddedSpec } from '../../../src-shared/dhis2/schema/types.ts';
import type { Obj } from './types.ts';

/** The category model: its default objects are dropped from payloads, missing references to it connected to them. */
export const CATEGORY_TYPES = new Set(['categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos']);
export const DEFAULT_UID_SET = new Set(Object.values(DEFAULT_UIDS));

/** Per-type property lists merged with the identifiable defaults, built once (not per object). */
export interface Shape {
  embedded: [string, EmbeddedSpec][];
  maxLengths: [string, number][];
}
const shapes = new Map<string, Shape>();
export function shapeOf(type: string): Shape {
  let s = shapes.get(type);
  if (!s) {
    const spec = METADATA_TYPES[type];
    s = {
      embedded: Object.entries({ ...IDENTIFIABLE.embedded, ...spec?.embedded }),
      maxLengths: Object.entries({ ...IDENTIFIABLE.maxLengths, ...spec?.maxLengths }),
    };
    shapes.set(type, s);
  }
  return s;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `{name} [{uid}] ({Class})` or `[{uid}] ({Class})` as DHIS2 renders objects in messages. */
export function describe(type: string, o: { id?: unknown; code?: unknown; name?: unknown } | undefined, key?: string): string {
  const ident = key ?? str(o?.id) ?? str(o?.code) ?? '';
  const name = str(o?.name);
  return `${name ? name + ' ' : ''}[${ident}] (${simpleClassName(type)})`;
}

/** The association name DHIS2 uses in messages for a collection property (`categories` → `category`). */
export function singularProp(prop: string, target: string): string {
  if (prop === target) return METADATA_TYPES[target]?.singular ?? prop;
  if (prop.endsWith('ies')) return prop.slice(0, -3) + 'y';
  if (prop.endsWith('s')) return prop.slice(0, -1);
  return prop;
}

/** The objects a property holds: the array's elements, or the object itself, or none. */
export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : isObj(v) ? [v] : []);
