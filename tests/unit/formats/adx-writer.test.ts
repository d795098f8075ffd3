import { describe, expect, it } from 'vitest';
import { adxPeriod, createAdxWriter, isNumericValueType } from '../../../src-main/formats/adx/writer.ts';

describe('ADX writer', () => {
  it('writes groups, exploded category attributes and annotations for non-numeric values', () => {
    const w = createAdxWriter();
    const xml =
      w.begin() +
      w.openGroup({ dataSet: 'DS', period: '2020-01-01/P1M', orgUnit: 'OU', attributes: [['mechanism', 'PEPFAR']] }) +
      w.value({ dataElement: 'DE1', categories: [['sex', 'F'], ['age', 'under5']], value: '3', numeric: true }) +
      w.value({ dataElement: 'DE2', categories: [], value: 'Some <text> & more', numeric: false }) +
      w.closeGroup() +
      w.end();
    expect(xml).toContain('<adx xmlns="urn:ihe:qrph:adx:2015">');
    expect(xml).toContain('<group dataSet="DS" period="2020-01-01/P1M" orgUnit="OU" mechanism="PEPFAR">');
    expect(xml).toContain('<dataValue dataElement="DE1" sex="F" age="under5" value="3"/>');
    expect(xml).toContain('<dataValue dataElement="DE2" value="0">\n      <annotation>Some &lt;text&gt; &amp; more</annotation>\n    </dataValue>');
    expect(xml.trimEnd().endsWith('</adx>')).toBe(true);
  });

  it('writes a comment as a comment attribute, and a comment-only value without a value attribute', () => {
    const w = createAdxWriter();
    expect(w.value({ dataElement: 'DE_C', categories: [], value: null, numeric: true, comment: 'no count: "closed" & <late>' })).toBe(
      '    <dataValue dataElement="DE_C" comment="no count: &quot;closed&quot; &amp; &lt;late&gt;"/>\n',
    );
    expect(w.value({ dataElement: 'DE_T', categories: [], value: 'x', numeric: false, comment: 'c' })).toBe(
      '    <dataValue dataElement="DE_T" value="0" comment="c">\n      <annotation>x</annotation>\n    </dataValue>\n',
    );
    expect(w.value({ dataElement: 'DE_N', categories: [], value: '1', numeric: true, comment: null })).toBe('    <dataValue dataElement="DE_N" value="1"/>\n');
  });

  it('derives ADX durations from period start and end dates', () => {
    expect(adxPeriod('2020-01-01', '2020-01-31')).toBe('2020-01-01/P1M');
    expect(adxPeriod('2024-01-01', '2024-03-31')).toBe('2024-01-01/P3M');
    expect(adxPeriod('2024-04-01', '2025-03-31')).toBe('2024-04-01/P1Y');
    expect(adxPeriod('2023-01-01', '2023-12-31')).toBe('2023-01-01/P1Y');
    expect(adxPeriod('2024-03-04', '2024-03-10')).toBe('2024-03-04/P7D');
    expect(adxPeriod('2024-03-04', '2024-03-17')).toBe('2024-03-04/P14D');
    expect(adxPeriod('2024-03-04', '2024-03-04')).toBe('2024-03-04/P1D');
    expect(adxPeriod('2024-07-01', '2024-12-31')).toBe('2024-07-01/P6M');
  });

  it('treats DHIS2 numeric value types as numeric and the rest as annotations', () => {
    expect(['INTEGER', 'NUMBER', 'PERCENTAGE', 'UNIT_INTERVAL', 'INTEGER_ZERO_OR_POSITIVE'].every(isNumericValueType)).toBe(true);
    expect(['TEXT', 'BOOLEAN', 'DATE', null].some((t) => isNumericValueType(t))).toBe(false);
  });
});
