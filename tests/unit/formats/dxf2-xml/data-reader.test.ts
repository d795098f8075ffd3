import { describe, expect, it } from 'vitest';
import { readXmlDataValues } from '../../../../src-main/formats/dxf2-xml/data-reader.ts';
import { readXmlDataValuesSaxes } from '../../../helpers/saxes-data-reader.ts';
import type { DataValueBatch } from '../../../../src-main/formats/data-value-row.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function read(text: string, size = 1 << 20): Promise<DataValueBatch[]> {
  const out: DataValueBatch[] = [];
  for await (const b of readXmlDataValues(chunked(text, size), { fileName: 'f.xml' })) out.push(b);
  return out;
}

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" idScheme="code" dataSet="DS" completeDate="2024-02-01" period="202401" orgUnit="OU" attributeOptionCombo="AOC" importStrategy="UPDATES" dryRun="true">
  <!-- a comment -->
  <dataValue dataElement="DE_A" value="1 &amp; 2" comment="a &quot;b&quot;" followUp="true"/>
  <dataValue dataElement="DE_B" categoryOptionCombo="C1" value="3" followup="false" deleted="true" storedBy="ann"/>
  <dataValue dataElement="DE_C" comment="only a comment"/>
</dataValueSet>`;

describe('DXF2 XML data value reader', () => {
  it('reads the root as header and every dataValue with its index and line', async () => {
    for (const size of [5, 1 << 20]) {
      const batches = await read(XML, size);
      const header = batches.find((b) => b.header)?.header;
      expect(header).toEqual({
        idScheme: 'code', dataSet: 'DS', completeDate: '2024-02-01', period: '202401', orgUnit: 'OU', attributeOptionCombo: 'AOC', strategy: 'UPDATES', dryRun: true,
      });
      const rows = batches.flatMap((b) => b.rows);
      expect(rows.map((r) => [r.index, r.line, r.dataElement, r.value, r.comment, r.followup, r.deleted, r.categoryOptionCombo, r.storedBy])).toEqual([
        [0, 4, 'DE_A', '1 & 2', 'a "b"', true, undefined, undefined, undefined],
        [1, 5, 'DE_B', '3', undefined, false, true, 'C1', 'ann'],
        [2, 6, 'DE_C', undefined, 'only a comment', undefined, undefined, undefined, undefined],
      ]);
    }
  });

  it('stops on malformed XML naming file and line', async () => {
    await expect(read('<dataValueSet>\n<dataValue dataElement="a" value="1"/>\n<dataValue dataElement="b" value="2">\n</dataValueSet>')).rejects.toThrow(/f\.xml, line 4: malformed XML/);
  });

  it('stops on a truncated document', async () => {
    await expect(read('<dataValueSet>\n<dataValue dataElement="a" value="1"/>\n')).rejects.toThrow(/f\.xml, line \d+: malformed XML/);
  });

  it('refuses another root element', async () => {
    await expect(read('<metadata><dataElements/></metadata>')).rejects.toThrow(/not <dataValueSet>/);
  });
});

describe('fast DXF2 XML scanner agrees with saxes', () => {
  async function both(text: string, size: number): Promise<[unknown, unknown]> {
    const run = async (fn: typeof readXmlDataValues): Promise<unknown> => {
      try {
        const out: DataValueBatch[] = [];
        for await (const b of fn(chunked(text, size), { fileName: 'f.xml' })) out.push(b);
        // lines differ by design for tags spanning lines (the scanner gives the line a tag starts on, saxes where it ends)
        return { header: out.find((b) => b.header)?.header, rows: out.flatMap((b) => b.rows).map(({ line: _l, ...r }) => r) };
      } catch (e) {
        return { error: (e as Error).message.replace(/ \(.*$/s, '') };
      }
    };
    return [await run(readXmlDataValues), await run(readXmlDataValuesSaxes)];
  }
  const valid = [
    XML,
    `\uFEFF<?xml version="1.0"?>\n<!DOCTYPE dataValueSet>\n<d:dataValueSet xmlns:d="http://dhis2.org/schema/dxf/2.0" period='202401'>\n<d:dataValue dataElement='a' value='x &lt; y &#65;&#x42; &apos;q&apos;' comment="line1\nline2&#10;line3\ttab"/>\n<!-- <dataValue dataElement="ignored"/> -->\n<dataValue dataElement="b" value="2" ></dataValue >\n<other><dataValue dataElement="nested" value="9"/><![CDATA[ <x> ]]></other>\n<dataValue\n   dataElement = "c"\n   value="3"/>\n</d:dataValueSet>\n`,
    `<dataValueSet></dataValueSet>`,
    `<dataValueSet/>`,
  ];
  const invalid = [
    '<dataValueSet><dataValue dataElement="a" value="1"></dataValueSet>',
    '<dataValueSet><dataValue dataElement="a" value="1"/>',
    '<dataValueSet><dataValue dataElement="a" value=1/></dataValueSet>',
    '<dataValueSet><dataValue dataElement="a" dataElement="b"/></dataValueSet>',
    '<dataValueSet><dataValue dataElement="a &nbsp; b"/></dataValueSet>',
    '<dataValueSet><dataValue dataElement="a"value="1"/></dataValueSet>',
    '<dataValueSet><dataValue dataElement="a < b"/></dataValueSet>',
    'text<dataValueSet/>',
    '<dataValueSet/><dataValueSet/>',
    '<dataValueSet/>trailing',
    '<dataValueSet><dataValue dataElement="a" value="1"/></dataValueSet',
    '',
    // found by the random differential test (data-reader-vs-saxes.test.ts)
    '<?xml version="1.0"encoding="UTF-8"?><dataValueSet/>',
    '<?xml version=1.0?><dataValueSet/>',
    ' <?xml version="1.0"?><dataValueSet/>',
    '<!DOCTYPE "dataValueSet><dataValueSet/>',
    '<dataValueSet> & </dataValueSet>',
    '<dataValueSet>&nbsp;</dataValueSet>',
    '<dataValueSet><dataValue value="&#1;"/></dataValueSet>',
  ];
  valid.push(
    '<!DOCTYPE dataValueSet SYSTEM "a>b"><dataValueSet><dataValue :x="1" value="&amp;"/>a &lt; b ]] &#xE9;</dataValueSet>',
    '<dataValueSet><?pi?><?xml-stylesheet href="x"?></dataValueSet>',
  );
  for (const [i, text] of valid.entries()) {
    it(`valid document ${i} reads the same`, async () => {
      for (const size of [1, 7, 1 << 20]) {
        const [fast, sax] = await both(text, size);
        expect(fast, `chunk ${size}`).toEqual(sax);
        expect(fast).not.toHaveProperty('error');
      }
    });
  }
  for (const [i, text] of invalid.entries()) {
    it(`malformed document ${i} is refused by both`, async () => {
      for (const size of [3, 1 << 20]) {
        const [fast, sax] = await both(text, size);
        expect(fast, `fast, chunk ${size}: ${JSON.stringify(fast)}`).toHaveProperty('error');
        expect(sax, `saxes, chunk ${size}`).toHaveProperty('error');
        expect((fast as { error: string }).error).toMatch(/^f\.xml(, line \d+)?: /);
      }
    });
  }
});

describe('DXF2 XML reader: line ends', () => {
  it('counts LF, CRLF and a lone CR as one line each (XML reads all three as a line end)', async () => {
    const doc = '<dataValueSet>\r<dataValue\rdataElement="a"/>\r\n<dataValue dataElement="b\rc"/>\n<dataValue dataElement="d"/></dataValueSet>';
    for (const size of [1, 3, 1 << 20]) {
      const rows = (await read(doc, size)).flatMap((b) => b.rows);
      expect(rows.map((r) => [r.dataElement, r.line]), `chunk ${size}`).toEqual([
        ['a', 2],
        ['b c', 4],
        ['d', 6],
      ]);
    }
  });
});

describe('DXF2 XML reader: strict UTF-8', () => {
  it('refuses invalid bytes naming file and line', async () => {
    async function* bad(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('<dataValueSet>\n<dataValue dataElement="a" value="1"/>\n<dataValue dataElement="b" comment="caf', 'utf8');
      yield Buffer.from([0xe9, 0x22, 0x2f, 0x3e, 0x0a]);
      yield Buffer.from('</dataValueSet>\n', 'utf8');
    }
    const err = await (async () => {
      for await (const _ of readXmlDataValues(bad(), { fileName: 'f.xml' })) void _;
    })().catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/^f\.xml, line 3: .*UTF-8/);
  });
});
