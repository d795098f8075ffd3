/**
 * The DHIS 1.4 import wizard's state (issue 8): one file (.mdb or 1.4 XML export zip), the 1.4 database's user name
 * and password, levels, Last updated, whether to take data values; then Analyse → Preview → Import, each a job whose
 * report the screen shows. `mode` is set by the button pressed (Preview is a dry run).
 */
import type { Dhis14Mode } from '../../src-shared/dhis14-report.ts';
import { createImportStore } from './imports.ts';

export interface Dhis14WizardOptions {
  dryRun: boolean;
  mode: Dhis14Mode;
  user: string;
  password: string;
  levels: string;
  /** YYYY-MM-DD, '' = all values */
  lastUpdated: string;
  dataValues: boolean;
}

export const DHIS14_DEFAULTS: Dhis14WizardOptions = { dryRun: false, mode: 'analyse', user: '', password: '', levels: '8', lastUpdated: '', dataValues: true };

/** The wizard's options → the import's option names (what import:start and `ferry import --kind dhis14` take). */
export function dhis14Request(o: Dhis14WizardOptions): Record<string, unknown> {
  const r: Record<string, unknown> = { mode: o.mode, levels: Number(o.levels), dataValues: o.dataValues };
  if (o.user.trim()) r.user = o.user.trim();
  if (o.password) r.password = o.password;
  if (o.lastUpdated) r.lastUpdated = o.lastUpdated;
  return r;
}

export const useDhis14Import = createImportStore<Dhis14WizardOptions>({
  kind: 'dhis14',
  multiple: false,
  defaults: DHIS14_DEFAULTS,
  toRequest: (o) => dhis14Request(o),
  fromRequest(o) {
    const r: Record<string, unknown> = { ...o };
    if (typeof o.levels === 'number') r.levels = String(o.levels);
    // a password is never kept in the job history's options shown back
    delete r.password;
    return r;
  },
});
