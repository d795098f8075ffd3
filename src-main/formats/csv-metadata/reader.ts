/**
 * DHIS2's CSV metadata (spec §3): streams the rows of a CSV file of one class key, each with the line it starts on.
 * Positional: the column names of a header row do not matter, and the first row is skipped when `firstRowIsHeader`
 * (DHIS2's default: true). Records as javacsv reads them (formats/shared/csv-records.ts); empty lines are skipped, and
 * so are rows whose cells are all blank (a spreadsheet's trailing ",,,," rows; DHIS2 would make nameless objects of
 * them) — they are counted for the summary.
 */
import { readCsvMapped } from '../shared/csv-records.ts';
import { MAX_METADATA_TOKEN } from '../shared/limits.ts';
import { isBlank } from '../../../src-shared/dhis2/csv-metadata.ts';

export interface CsvMetadataRow {
  /** 1-based line the row starts on */
  line: number;
  /** the raw cells */
  values: string[];
}

export interface CsvMetadataReadOptions {
  fileName: string;
  /** DHIS2's default: true */
  firstRowIsHeader?: boolean;
  /** told about each row of blank cells that was skipped */
  onBlankRow?: (line: number) => void;
  /** told the header row, when one was skipped */
  onHeader?: (values: string[], line: number) => void;
}

/** Streams the rows in batches (an empty batch now and then: a cancel check during long runs of text). */
export async function* readCsvMetadataRows(chunks: AsyncIterable<Uint8Array>, opts: CsvMetadataReadOptions): AsyncGenerator<CsvMetadataRow[]> {
  let first = opts.firstRowIsHeader !== false;
  const map = (values: string[], line: number): CsvMetadataRow | null => {
    if (first) {
      first = false;
      opts.onHeader?.(values, line);
      return null;
    }
    if (values.every(isBlank)) {
      opts.onBlankRow?.(line);
      return null;
    }
    return { line, values };
  };
  // an org unit's boundary can be megabytes of coordinates in one cell (DHIS2 turns javacsv's safety switch off for it)
  yield* readCsvMapped(chunks, opts.fileName, map, MAX_METADATA_TOKEN);
}
