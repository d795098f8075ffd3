/** Small labelled form controls (native elements: keyboard and screen readers work as users expect). */
import { useId, useState, type ReactNode } from 'react';
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

export const FORMAT_LABELS: Record<string, string> = {
  auto: 'Detect from the file',
  json: 'JSON',
  xml: 'XML (DXF2)',
  csv: 'CSV',
  adx: 'ADX',
};

export const COMPRESSION_CHOICES: Choice<'zip' | 'gzip' | 'none'>[] = [
  { value: 'zip', label: 'Zip' },
  { value: 'gzip', label: 'GZip' },
  { value: 'none', label: 'Uncompressed' },
];

export const STRATEGY_CHOICES: Choice<'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE'>[] = [
  { value: 'CREATE_AND_UPDATE', label: 'New and updates' },
  { value: 'CREATE', label: 'New only' },
  { value: 'UPDATE', label: 'Updates only' },
  { value: 'DELETE', label: 'Delete' },
];

export const ID_SCHEME_CHOICES: Choice<'UID' | 'CODE' | 'NAME'>[] = [
  { value: 'UID', label: 'UID' },
  { value: 'CODE', label: 'Code' },
  { value: 'NAME', label: 'Name' },
];

/** Metadata imports (DXF2 and CSV): DHIS2's atomic mode, in words. */
export function AtomicModeField(p: { value: 'ALL' | 'NONE'; onChange: (v: 'ALL' | 'NONE') => void }) {
  return (
    <RadioField
      name="atomicMode"
      label="Atomic mode"
      value={p.value}
      onChange={p.onChange}
      choices={[
        { value: 'ALL', label: 'All: import nothing if any object has an error' },
        { value: 'NONE', label: 'None: import the objects without errors' },
      ]}
    />
  );
}

/** Metadata imports (DXF2 and CSV): how objects are matched with the database's (DHIS2's identifier). */
export function IdentifierField(p: { value: 'UID' | 'CODE'; onChange: (v: 'UID' | 'CODE') => void }) {
  return (
    <RadioField
      name="identifier"
      label="Identifier"
      value={p.value}
      onChange={p.onChange}
      choices={[
        { value: 'UID', label: 'UID' },
        { value: 'CODE', label: 'Code' },
      ]}
      help="How objects in the file are matched with objects already in the database."
    />
  );
}
