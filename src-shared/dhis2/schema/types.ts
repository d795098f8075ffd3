/**
 * Shapes of the metadata type registry (data only: importers, exporters and the renderer read it).
 * Property names are DXF2 JSON names; `target` and `type` values are DXF2 plural keys.
 */

/** A reference held by an object: `{"id": uid}` (or an array of them when `collection`). */
export interface RefSpec {
  /** plural key of the referenced type */
  target: string;
  collection?: boolean;
  /**
   * false = non-owner side of a relation (DHIS2 ignores it on import, the other side owns it; see `inverse`).
   * Absent = owner.
   */
  owner?: boolean;
}

/** A non-identifiable (or owned) object embedded in its parent's JSON, e.g. dataSetElements, leftSide, legends. */
export interface EmbeddedSpec {
  collection?: boolean;
  /** Java class of the embedded object, when DHIS2 names it in reports */
  klass?: string;
  refs?: Record<string, RefSpec>;
  required?: string[];
  maxLengths?: Record<string, number>;
  /** values DHIS2 gives absent (primitive) properties */
  defaults?: Record<string, unknown>;
}

/** A collection that is the inverse (non-owner) side of another type's reference. */
export interface InverseSpec {
  type: string;
  property: string;
}

export interface TypeSpec {
  plural: string;
  /** singular name: also the XML item element */
  singular: string;
  /** DHIS2's Java class (fully qualified), used as `klass` in import reports */
  klass: string;
  /** reference properties at the top level of the object */
  refs?: Record<string, RefSpec>;
  /** embedded (value) properties and their own references */
  embedded?: Record<string, EmbeddedSpec>;
  /** non-owner collections derived from the owning side (not stored; computed on read) */
  inverse?: Record<string, InverseSpec>;
  /** schema-required (non-nullable) properties (E4000) */
  required?: string[];
  /** values DHIS2 gives absent (primitive) properties */
  defaults?: Record<string, unknown>;
  /** simple properties unique per type (E5003), in addition to IDENTIFIABLE.unique (dhis2-core master mappings) */
  unique?: string[];
  /** IDENTIFIABLE.unique properties this type's mapping does not make unique (Option: code is unique per option set only) */
  notUnique?: string[];
  /** maximum string lengths (E4001), in addition to IDENTIFIABLE.maxLengths */
  maxLengths?: Record<string, number>;
  /** owned collections whose members are deleted when dropped from the list on update */
  orphanDelete?: string[];
  /** objects of this type live inside another type's JSON (e.g. mapViews inside maps) */
  embeddedIn?: { type: string; property: string };
  /** false: recognised but not imported offline (users, roles, groups); `skipReason` says why */
  importable?: boolean;
  skipReason?: string;
  /** the name of the custom-attribute flag on Attribute that enables attributes for this type (e.g. dataElementAttribute) */
  attributeFlag?: string;
  /**
   * DHIS2 persists the type's `attributeValues` (every type with an `attributeFlag`; set alone for the types DHIS2
   * persists them on without an Attribute flag, where every value is refused with E6012). Types with neither: DHIS2
   * neither checks nor keeps their attribute values.
   */
  attributeValues?: boolean;
  /**
   * Unique multi-properties of DHIS2's schema descriptor (UniqueMultiPropertiesCheck, E5005): new objects of one
   * payload that share the values of `properties` (a reference counts by its uid) are all refused. `label`: the
   * names DHIS2 prints in the message.
   */
  uniqueMultiProperties?: { label: string[]; properties: string[] }[];
  /**
   * Multi-column unique constraints of DHIS2's mapping (hbm `unique-key`, JPA `@UniqueConstraint`) with their names;
   * a reference counts by its uid, a constraint with a null member holds nothing. DHIS2 validates none of them: a
   * payload breaking one fails at commit on the database.
   */
  uniqueConstraints?: { properties: string[]; name: string }[];
}
