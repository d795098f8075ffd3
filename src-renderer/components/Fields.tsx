/**
 * Small labelled form controls (native elements: keyboard and screen readers work as users expect), and the choices
 * several wizards share (strategies, compression, id schemes …), worded in the exports namespace. The shared choice
 * lists keep their shape (value, label) for every screen that imports them; each label is read when rendered, in the
 * language chosen then.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IdSchemeAttribute } from '../../src-shared/api/contract.ts';
import type exportsEn from '../../src-shared/i18n/locales/en/exports.json';
import { invoke } from '../api.ts';
import { i18n } from '../i18n.ts';
import { dateProblem } from './format.ts';

export interface Choice<V extends string> {
  value: V;
  label: string;
}

export function SelectField<V extends string>(p: {
  label: string;
  value: V;
  choices: Choice<V>[];
  onChange: (v: V) => void;
  help?: ReactNode;
  name?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <select id={id} name={p.name} value={p.value} onChange={(e) => p.onChange(e.target.value as V)}>
        {p.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      {p.help && <div className="help">{p.help}</div>}
    </div>
  );
}

export function RadioField<V extends string>(p: {
  label: string;
  value: V;
  choices: Choice<V>[];
  onChange: (v: V) => void;
  help?: ReactNode;
  name: string;
}) {
  return (
    <fieldset className="field radio-field">
      <legend>{p.label}</legend>
      <div className="radios">
        {p.choices.map((c) => (
          <label key={c.value} className="radio">
            <input type="radio" name={p.name} value={c.value} checked={p.value === c.value} onChange={() => p.onChange(c.value)} />
            {c.label}
          </label>
        ))}
      </div>
      {p.help && <div className="help">{p.help}</div>}
    </fieldset>
  );
}

export function CheckboxField(p: { label: string; checked: boolean; onChange: (v: boolean) => void; help?: ReactNode; name?: string }) {
  return (
    <div className="field checkbox-field">
      <label className="checkbox">
        <input type="checkbox" name={p.name} checked={p.checked} onChange={(e) => p.onChange(e.target.checked)} />
        {p.label}
      </label>
      {p.help && <div className="help">{p.help}</div>}
    </div>
  );
}

/**
 * A day typed as yyyy-MM-dd (DHIS2's date format), whatever the system language: a text input, not the browser's date
 * input (which shows and takes dates in the system's order, e.g. 03/04/2024). The value goes to the store as typed;
 * a value that is no real day is marked invalid and explained under the field.
 */
export function DateField(p: { label: string; value: string; onChange: (v: string) => void; help?: ReactNode; name?: string }) {
  const id = useId();
  const [touched, setTouched] = useState(false);
  const problem = touched || p.value.length >= 10 ? dateProblem(p.value) : null;
  return (
    <div className="field">
      <label htmlFor={id}>{p.label}</label>
      <input
        id={id}
        type="text"
        className="date-input"
        name={p.name}
        value={p.value}
        placeholder="yyyy-MM-dd"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        maxLength={10}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => p.onChange(e.target.value.trim())}
        onBlur={() => setTouched(true)}
      />
      {problem && (
        <div className="field-error" id={`${id}-problem`} data-test="date-problem">
          {problem}
        </div>
      )}
      {p.help && <div className="help">{p.help}</div>}
    </div>
  );
}

/** A choice whose label is read from the exports catalogue each time it is rendered (the language may change). */
function translated<V extends string>(value: V, key: keyof typeof exportsEn): Choice<V> {
  return {
    value,
    get label() {
      return i18n.t(`exports:${key}`);
    },
  };
}

/** A file format's name in the import wizards' format choice ('auto': detect from the file). */
export const FORMAT_LABELS: Record<string, string> = {
  get auto() {
    return i18n.t('exports:fields.format.auto');
  },
  json: 'JSON',
  xml: 'XML (DXF2)',
  csv: 'CSV',
  adx: 'ADX',
};

export const COMPRESSION_CHOICES: Choice<'zip' | 'gzip' | 'none'>[] = [
  { value: 'zip', label: 'Zip' },
  { value: 'gzip', label: 'GZip' },
  translated('none', 'fields.compression.none'),
];

export const STRATEGY_CHOICES: Choice<'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE'>[] = [
  translated('CREATE_AND_UPDATE', 'fields.strategy.createAndUpdate'),
  translated('CREATE', 'fields.strategy.create'),
  translated('UPDATE', 'fields.strategy.update'),
  translated('DELETE', 'fields.strategy.delete'),
];

export const ID_SCHEME_CHOICES: Choice<'UID' | 'CODE' | 'NAME'>[] = [
  { value: 'UID', label: 'UID' },
  translated('CODE', 'fields.idScheme.code'),
  translated('NAME', 'fields.idScheme.name'),
];

/** Metadata imports (DXF2 and CSV): DHIS2's atomic mode, in words. */
export function AtomicModeField(p: { value: 'ALL' | 'NONE'; onChange: (v: 'ALL' | 'NONE') => void }) {
  const { t } = useTranslation('exports');
  return (
    <RadioField
      name="atomicMode"
      label={t('fields.atomicMode')}
      value={p.value}
      onChange={p.onChange}
      choices={[
        { value: 'ALL', label: t('fields.atomicMode.all') },
        { value: 'NONE', label: t('fields.atomicMode.none') },
      ]}
    />
  );
}

/** Metadata imports (DXF2 and CSV): how objects are matched with the database's (DHIS2's identifier). */
export function IdentifierField(p: { value: 'UID' | 'CODE'; onChange: (v: 'UID' | 'CODE') => void }) {
  const { t } = useTranslation('exports');
  return (
    <RadioField
      name="identifier"
      label={t('fields.identifier')}
      value={p.value}
      onChange={p.onChange}
      choices={[
        { value: 'UID', label: 'UID' },
        { value: 'CODE', label: t('fields.idScheme.code') },
      ]}
      help={t('fields.identifier.help')}
    />
  );
}

// ---- id schemes -----------------------------------------------------------------------------------------------------

/** An id scheme as the engine takes it: UID, CODE, NAME, or the values of a unique attribute. */
export type IdSchemeValue = 'UID' | 'CODE' | 'NAME' | `ATTRIBUTE:${string}`;

/**
 * The id scheme options a screen offers, by their DHIS2 names, with the DHIS2 classes whose unique attributes each
 * offers (the stem of DHIS2's attribute flags: organisationUnitAttribute → organisationUnit), as DHIS2's
 * import/export app does. The general idScheme offers those of every class the file names (FILE_CLASSES).
 */
export const SCHEME_CLASSES = {
  dataElementIdScheme: ['dataElement'],
  orgUnitIdScheme: ['organisationUnit'],
  categoryOptionComboIdScheme: ['categoryOptionCombo'],
  categoryOptionIdScheme: ['categoryOption'],
  dataSetIdScheme: ['dataSet'],
  programIdScheme: ['program'],
  programStageIdScheme: ['programStage'],
  trackedEntityTypeIdScheme: ['trackedEntityType'],
  trackedEntityAttributeIdScheme: ['trackedEntityAttribute'],
} as const satisfies Record<string, readonly string[]>;
export type SchemeOption = keyof typeof SCHEME_CLASSES | 'idScheme';

/** The classes a file of each kind names: the general id scheme's attributes apply to one of them. */
export const FILE_CLASSES = {
  data: ['dataElement', 'organisationUnit', 'categoryOptionCombo', 'dataSet'],
  events: ['program', 'programStage', 'organisationUnit', 'dataElement', 'categoryOptionCombo', 'categoryOption'],
  trackedEntities: ['trackedEntityType', 'trackedEntityAttribute', 'program', 'programStage', 'organisationUnit', 'dataElement'],
} as const satisfies Record<string, readonly string[]>;

/**
 * The unique attributes (metadata:idSchemeAttributes), asked once for all the id scheme fields of a screen: the
 * fields mounted together share one request, and it is forgotten when the last of them goes (a metadata import in
 * between is seen the next time a screen opens).
 */
let shared: Promise<IdSchemeAttribute[]> | null = null;
let mountedFields = 0;
function useIdSchemeAttributes(): IdSchemeAttribute[] {
  const [list, setList] = useState<IdSchemeAttribute[]>([]);
  useEffect(() => {
    mountedFields++;
    // no attributes (an older engine, an error) leaves UID, Code and Name: the field still works
    shared ??= invoke('metadata:idSchemeAttributes', {}).catch(() => [] as IdSchemeAttribute[]);
    let live = true;
    void shared.then((l) => {
      if (live) setList(l);
    });
    return () => {
      live = false;
      if (--mountedFields === 0) shared = null;
    };
  }, []);
  return list;
}

/**
 * An id scheme choice, named and labelled by its DHIS2 option (`option`): UID, Code, Name (or those of `base`), then
 * "Attribute: <name>" for each unique attribute that applies to the option's classes (sent as ATTRIBUTE:<uid>); the
 * general idScheme takes the classes of the file kind `of`. `sameAs` adds a first choice '' (same as the general id
 * scheme). A value naming an attribute that is not (or no longer) stored stays chosen, shown by its uid.
 */
export function IdSchemeField<V extends string>(p: {
  option: SchemeOption;
  of?: keyof typeof FILE_CLASSES;
  value: V;
  onChange: (v: V) => void;
  base?: readonly ('UID' | 'CODE' | 'NAME')[];
  sameAs?: boolean;
  help?: ReactNode;
}) {
  const { t } = useTranslation('exports');
  const attributes = useIdSchemeAttributes();
  const base = p.base ?? ['UID', 'CODE', 'NAME'];
  const classes: readonly string[] = p.option === 'idScheme' ? FILE_CLASSES[p.of ?? 'data'] : SCHEME_CLASSES[p.option];
  const choices: Choice<string>[] = [
    ...(p.sameAs ? [{ value: '', label: t('fields.idScheme.sameAs') }] : []),
    ...ID_SCHEME_CHOICES.filter((c) => base.includes(c.value)),
    ...attributes.filter((a) => a.classes.some((c) => classes.includes(c))).map((a) => ({ value: `ATTRIBUTE:${a.uid}`, label: t('fields.idScheme.attribute', { name: a.name }) })),
  ];
  if (p.value.startsWith('ATTRIBUTE:') && !choices.some((c) => c.value === p.value)) {
    choices.push({ value: p.value, label: t('fields.idScheme.attribute', { name: p.value.slice('ATTRIBUTE:'.length) }) });
  }
  return <SelectField<string> name={p.option} label={t(`fields.idScheme.label.${p.option}`)} value={p.value} onChange={(v) => p.onChange(v as V)} choices={choices} help={p.help} />;
}
