/**
 * The record every data value writer (DXF2 JSON, DXF2 XML, CSV) takes, already mapped to the requested id schemes.
 * Identifiers are null when the object lacks the chosen property (DHIS2: "objects lacking the property are output as
 * null"). Timestamps are already in DHIS2's export form (yyyy-MM-dd'T'HH:mm:ss.SSS+0000).
 */
export interface DataValueOut {
  dataElement: string | null;
  period: string;
  orgUnit: string | null;
  categoryOptionCombo: string | null;
  attributeOptionCombo: string | null;
  value: string | null;
  storedBy: string | null;
  created: string | null;
  lastUpdated: string | null;
  comment: string | null;
  followup: boolean;
  deleted: boolean;
}

/** Root header of a single data value set (exactly one data set, period and org unit). */
export interface DataValueSetHeader {
  dataSet: string | null;
  completeDate: string | null;
  period: string | null;
  orgUnit: string | null;
}

/** A streaming text serializer: begin(), then row() per value, then end(). Pure: returns strings. */
export interface DataValueWriter {
  begin(header?: DataValueSetHeader | null): string;
  row(v: DataValueOut): string;
  end(): string;
}
