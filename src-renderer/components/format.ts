import { formatCount, formatDecimal } from '../../src-shared/i18n/languages.ts';
import { i18n } from '../i18n.ts';

/** Display helpers (numbers, sizes, durations, dates) in plain words. */
/** A number as the chosen language writes it (1,234 · 1 234 · 1.234). */
export function fmtNumber(n: number | null | undefined): string {
  return formatCount(n, i18n.language);
}

/** A decimal number with `digits` decimals as the chosen language writes it (1.5 · 1,5). */
function fmtDecimal(n: number, digits: number): string {
  return formatDecimal(n, i18n.language, digits);
}

/** A size in the language's units and decimals: 1.5 MB · 1,5 Mo · 1,5 MB. */
export function fmtBytes(n: number | null | undefined): string {
  if (n == null) return '—';
  if (n < 1024) return i18n.t('components:format.bytes', { n: fmtNumber(n) });
  if (n < 1024 * 1024) return i18n.t('components:format.kb', { n: fmtDecimal(n / 1024, 1) });
  if (n < 1024 * 1024 * 1024) return i18n.t('components:format.mb', { n: fmtDecimal(n / 1024 / 1024, 1) });
  return i18n.t('components:format.gb', { n: fmtDecimal(n / 1024 / 1024 / 1024, 2) });
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  if (ms < 1000) return i18n.t('components:format.ms', { n: fmtNumber(Math.max(0, Math.round(ms))) });
  const s = Math.round(ms / 1000);
  if (s < 60) return i18n.t('components:format.s', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return i18n.t('components:format.minS', { m, s: s % 60 });
  return i18n.t('components:format.hMin', { h: fmtNumber(Math.floor(m / 60)), m: m % 60 });
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${fmtDate(d)} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A local day as yyyy-MM-dd (DHIS2's date format, whatever the system language). */
export function fmtDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The local day of a stored timestamp as yyyy-MM-dd ('—' when absent, the text itself when it is no timestamp). */
export function fmtDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmtDate(d);
}

/** Why a typed date is not a yyyy-MM-dd day (null when it is one, or empty: an empty date field means "no limit"). */
export function dateProblem(v: string): string | null {
  if (!v) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return i18n.t('components:format.dateShape', { value: v });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (mo < 1 || mo > 12 || day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return i18n.t('components:format.dateNotDay', { value: v });
  return null;
}

/** The metadata types the catalogue names (components:type.<name>); others are spelled out from their names. */
const TYPE_KEYS = ['dataElement', 'dataSet', 'organisationUnit', 'organisationUnitGroup', 'organisationUnitGroupSet', 'organisationUnitLevel', 'categoryOption', 'category', 'categoryCombo', 'categoryOptionCombo', 'categoryOptionGroup', 'dataElementGroup', 'dataElementGroupSet', 'indicator', 'indicatorType', 'indicatorGroup', 'optionSet', 'option', 'program', 'programStage', 'programIndicator', 'programRule', 'trackedEntityType', 'trackedEntityAttribute', 'attribute', 'legendSet', 'section', 'dataEntryForm', 'validationRule', 'dataValue', 'event', 'user', 'userRole', 'userGroup'] as const;
const TYPE_BY_NAME = new Map<string, (typeof TYPE_KEYS)[number]>(TYPE_KEYS.map((k) => [k.toLowerCase(), k]));

/**
 * "organisationUnits" → "Organisation units"; "OrganisationUnit" (klass) → "Organisation unit". In French and
 * Portuguese the types the catalogue knows are named in the language ("Unités d’organisation"), others spelled out.
 */
export function typeLabel(t: string): string {
  const short = t.includes('.') ? t.slice(t.lastIndexOf('.') + 1) : t;
  if (i18n.language !== 'en') {
    const lower = short.toLowerCase();
    const key = TYPE_BY_NAME.get(lower.endsWith('ies') ? lower.slice(0, -3) + 'y' : lower.endsWith('s') ? lower.slice(0, -1) : lower) ?? TYPE_BY_NAME.get(lower);
    if (key) return i18n.t(`components:type.${key}`);
  }
  const words = short.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 12) : '—';
}
