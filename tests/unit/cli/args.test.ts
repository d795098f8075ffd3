import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src-main/cli/args.ts';

describe('CLI flags follow DHIS2 parameter names in kebab-case', () => {
  it('maps kebab-case to DHIS2 camelCase names', () => {
    const { positionals, flags } = parseArgs(['import', 'a.json', '--atomic-mode', 'NONE', '--data-element-id-scheme', 'CODE', '--strategy', 'NEW_AND_UPDATES']);
    expect(positionals).toEqual(['import', 'a.json']);
    expect(flags).toEqual({ atomicMode: 'NONE', dataElementIdScheme: 'CODE', strategy: 'NEW_AND_UPDATES' });
  });
  it('takes booleans bare or with true/false, without eating file names', () => {
    const { positionals, flags } = parseArgs(['import', '--dry-run', 'a.csv', '--first-row-is-header', 'false', '--skip-validation', 'true', 'b.csv', '--json']);
    expect(positionals).toEqual(['import', 'a.csv', 'b.csv']);
    expect(flags).toEqual({ dryRun: true, firstRowIsHeader: false, skipValidation: true, json: true });
  });
  it('accepts --flag=value and collects repeatable flags into arrays', () => {
    const { flags } = parseArgs(['export', 'data', '--org-unit=A', '--org-unit', 'B,C', '--data-set', 'D', '--dry-run=false']);
    expect(flags).toEqual({ orgUnit: ['A', 'B', 'C'], dataSet: ['D'], dryRun: false });
  });
  it('takes --open bare before the command (ferry --open serve)', () => {
    expect(parseArgs(['--open', 'serve', '--port', '8080'])).toEqual({ positionals: ['serve'], flags: { open: true, port: '8080' } });
  });
});
