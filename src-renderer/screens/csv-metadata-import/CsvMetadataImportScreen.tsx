/**
 * CSV metadata import: one CSV file of one DHIS2 class key (data elements, org units, option sets …). The options step
 * shows the file's first rows read into the class key's named columns, as the import will read them, before anything
 * is imported; membership files carry the warning that they replace member lists.
 */
import { useEffect } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CSV_CLASSES, CSV_CLASS_KEYS, type CsvClassKey } from '../../../src-shared/dhis2/csv-metadata.ts';
import { AtomicModeField, CheckboxField, IdentifierField, SelectField, STRATEGY_CHOICES } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { currentLanguage, i18n } from '../../i18n.ts';
import { useCsvMetadataImport, useCsvMetadataPreview } from '../../stores/csv-metadata.ts';

type T = TFunction<['imports', 'common']>;

/** The class keys as picker choices, in words of the chosen language, in its alphabetical order (DHIS2's key beside them for those who know it). */
export function classKeyChoices(t: T, placeholder: string): { value: CsvClassKey | ''; label: string }[] {
  const label = (k: CsvClassKey): string => t(`csv.class.${k}`);
  const collator = new Intl.Collator(currentLanguage());
  return [{ value: '', label: placeholder }, ...[...CSV_CLASS_KEYS].sort((a, b) => collator.compare(label(a), label(b))).map((k) => ({ value: k, label: `${label(k)} (${k})` }))];
}

/** A preview column's label (DHIS2's column, in words: src-shared/dhis2/csv-metadata.ts) in the chosen language; as it is when the catalogue does not have it. */
export function columnLabel(label: string): string {
  const key = `csv.column.${label.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  return i18n.exists(key, { ns: 'imports' }) ? (i18n.t as (k: string, o: { ns: string }) => string)(key, { ns: 'imports' }) : label;
}

/** What importing a membership file does to the groups in it (null for other class keys), in the chosen language. */
export function membershipText(t: T, k: CsvClassKey): string | null {
  const m = CSV_CLASSES[k].membership;
  if (!m) return null;
  const members = t(`csv.members.${m.memberType as 'organisationUnits' | 'dataElements' | 'indicators' | 'optionGroups'}`);
  // DHIS2 keeps the short name of org unit groups and data element groups too
  const short = m.groupType === 'organisationUnitGroups' || m.groupType === 'dataElementGroups';
  return t(short ? 'csv.membershipWarningShort' : 'csv.membershipWarning', { what: t(`csv.class.${k}`), members });
}

function Preview() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useCsvMetadataImport();
  const p = useCsvMetadataPreview();
  const file = s.files[0]?.path;
  const { classKey, firstRowIsHeader } = s.options;
  // read afresh each time the options step opens (the file may have changed since)
  const clear = p.clear;
  useEffect(() => clear, [clear]);
  useEffect(() => {
    if (file && classKey) void p.load(file, classKey, firstRowIsHeader);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, classKey, firstRowIsHeader]);
  if (!classKey) return <p className="muted">{t('csv.previewChoose')}</p>;
  if (p.error) return <Notice kind="error" title={t('csv.previewError')}>{p.error}</Notice>;
  const preview = p.preview;
  if (!preview || preview.classKey !== classKey) return <p className="muted">{t('csv.previewReading')}</p>;
  const extra = Math.max(0, ...preview.rows.map((r) => r.extra));
  return (
    <div className="field" data-test="csv-preview">
      <h3>{t('csv.previewTitle')}</h3>
      {preview.header && (
        <p className="muted small" data-test="csv-preview-header">
          {t('csv.previewHeader', { columns: preview.header.join(', ') })}
        </p>
      )}
      {preview.rows.length === 0 ? (
        <p className="muted">{t(preview.header ? 'csv.previewEmptyAfterHeader' : 'csv.previewEmpty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th>{t('csv.previewLine')}</th>
                {preview.columns.map((c) => (
                  <th key={c.key} title={c.key} data-column={c.key}>
                    {columnLabel(c.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.line} data-line={r.line}>
                  <td className="num">{r.line}</td>
                  {r.cells.map((v, i) => (
                    <td key={i} className={preview.columns[i]?.ignored ? 'muted' : undefined}>
                      {v === null ? <span className="muted">—</span> : v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        {preview.more ? `${t('csv.previewShowing', { count: preview.rows.length })} ` : ''}
        {t('csv.previewNote')}
        {extra > 0 ? ` ${t('csv.previewExtra', { count: extra })}` : ''}
      </p>
    </div>
  );
}

function CsvMetadataOptions() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useCsvMetadataImport();
  const o = s.options;
  const warning = o.classKey ? membershipText(t, o.classKey) : null;
  return (
    <>
      <div className="options-grid">
        <SelectField name="classKey" label={t('csv.classKey')} value={o.classKey} onChange={(v) => s.setOption('classKey', v)} choices={classKeyChoices(t, t('csv.chooseClass'))} />
        <CheckboxField
          name="firstRowIsHeader"
          label={t('csv.firstRowIsHeader')}
          checked={o.firstRowIsHeader}
          onChange={(v) => s.setOption('firstRowIsHeader', v)}
          help={t('csv.firstRowIsHeaderHelp')}
        />
      </div>
      {warning && (
        <Notice kind="warning" title={t('csv.membershipTitle')}>
          <span data-test="membership-warning">{warning}</span>
        </Notice>
      )}
      <Preview />
      <div className="options-grid">
        <CheckboxField
          name="dryRun"
          label={t('common:dryRun')}
          checked={o.dryRun}
          onChange={(v) => s.setOption('dryRun', v)}
          help={t('shared.dryRunHelpOne')}
        />
        <SelectField name="importStrategy" label={t('shared.strategy')} value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={STRATEGY_CHOICES} />
        <AtomicModeField value={o.atomicMode} onChange={(v) => s.setOption('atomicMode', v)} />
        <IdentifierField value={o.identifier} onChange={(v) => s.setOption('identifier', v)} />
      </div>
    </>
  );
}

export function CsvMetadataImportScreen() {
  const { t } = useTranslation('imports');
  return (
    <ImportWizard
      title={t('csv.title')}
      useStore={useCsvMetadataImport}
      intro={<p>{t('csv.intro')}</p>}
      options={<CsvMetadataOptions />}
      importBlocked={(st) =>
        st.options.atomicMode === 'ALL'
          ? t('csv.blockedAtomicAll')
          : null
      }
    />
  );
}
