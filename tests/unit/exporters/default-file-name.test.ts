import { describe, expect, it } from 'vitest';
import { defaultExportFileName, fileNamePart } from '../../../src-shared/export-file-name.ts';
import { zipEntryName } from '../../../src-main/exporters/common.ts';
import { extensionOf } from '../../../src-main/formats/registry.ts';

describe('default export file names', () => {
  it('data: org unit, from and to, format and compression', () => {
    expect(defaultExportFileName({ kind: 'data', format: 'json', compression: 'zip', orgUnit: 'Bo', startDate: '2024-01-01', endDate: '2024-12-31' })).toBe(
      'ferry-data-Bo-2024-01-01-2024-12-31.json.zip',
    );
    expect(defaultExportFileName({ kind: 'data', format: 'csv', compression: 'gzip', orgUnit: 'Sierra Leone / Bo: "East"', periods: ['202401', '202403'] })).toBe(
      'ferry-data-Sierra-Leone-Bo-East-202401-202403.csv.gz',
    );
    expect(defaultExportFileName({ kind: 'data', format: 'adx', extension: extensionOf('adx'), compression: 'none' })).toBe('ferry-data-all.adx.xml');
    expect(defaultExportFileName({ kind: 'data', format: 'xml', compression: 'none', orgUnit: 'Région Kédougou', periods: ['2024'] })).toBe('ferry-data-Région-Kédougou-2024.xml');
  });

  it('metadata and dependencies carry the date', () => {
    expect(defaultExportFileName({ kind: 'metadata', format: 'json', compression: 'zip', today: '2024-05-01' })).toBe('ferry-metadata-2024-05-01.json.zip');
    expect(defaultExportFileName({ kind: 'metadata', format: 'xml', compression: 'gzip', types: ['dataElements'], today: '2024-05-01' })).toBe(
      'ferry-metadata-dataElements-2024-05-01.xml.gz',
    );
    expect(defaultExportFileName({ kind: 'dependencies', format: 'json', compression: 'none', objectType: 'dataSets', objectName: 'Child Health', today: '2024-05-01' })).toBe(
      'ferry-dataSets-Child-Health-2024-05-01.json',
    );
  });

  it('keeps names safe and short', () => {
    expect(fileNamePart('a<b>c:d"e/f\\g|h?i*j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(fileNamePart('..hidden..')).toBe('hidden');
    expect(fileNamePart('x'.repeat(100))).toHaveLength(60);
  });

  it('the zip entry is the file name without .zip', () => {
    expect(zipEntryName('/tmp/ferry-data-Bo-2024.json.zip', 'json')).toBe('ferry-data-Bo-2024.json');
    expect(zipEntryName('/tmp/export.zip', 'csv')).toBe('export.csv');
    expect(zipEntryName('/tmp/x.adx.xml.zip', 'adx')).toBe('x.adx.xml');
  });
});
