/**
 * PDF data entry form: a form a facility fills in any PDF reader, for one data set; the org unit (pre-filled and
 * locked) and the period (pre-selected) are optional. Filled forms come back through the data import.
 */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { useId } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { OrgUnitNode } from '../../../src-shared/api/contract.ts';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { OrgUnitTree } from '../../components/OrgUnitTree.tsx';
import { Steps } from '../../components/Steps.tsx';
import { usePdfFormExport } from '../../stores/pdf-form.ts';

export function PdfFormExportScreen() {
  const s = usePdfFormExport();
  const o = s.options;
  const periodId = useId();
  const { t } = useTranslation('exports');
  const toggleOu = (n: OrgUnitNode, on: boolean): void => s.setOption('orgUnit', on ? { id: n.uid, name: n.name ?? n.code ?? n.uid } : null);
  return (
    <div className="screen" data-test="wizard-export-pdf-form">
      <h1>{t('pdfForm.title')}</h1>
      <Steps steps={[t('pdfForm.step.form'), t('wizard.step.export'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">
            <Trans t={t} i18nKey="pdfForm.intro" components={{ b: <strong /> }} />
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <fieldset className="field">
              <legend>{t('pdfForm.dataSet')}</legend>
              <MetadataPicker
                type="dataSets"
                label={t('pdfForm.dataSet')}
                multiple={false}
                selected={o.dataSet ? [o.dataSet.id] : []}
                selectedItems={o.dataSet ? [o.dataSet] : []}
                onChange={(items) => s.setOption('dataSet', items[0] ?? null)}
              />
            </fieldset>
            <div className="two-col">
              <fieldset className="field">
                <legend>{t('pdfForm.orgUnit')}</legend>
                <p className="help">{t('pdfForm.orgUnit.help')}</p>
                <OrgUnitTree selected={o.orgUnit ? [o.orgUnit.id] : []} onToggle={toggleOu} />
                {o.orgUnit && (
                  <p data-test="pdf-form-org-unit">
                    <Trans t={t} i18nKey="pdfForm.orgUnit.chosen" values={{ name: o.orgUnit.name }} components={{ b: <strong /> }} />{' '}
                    <button type="button" className="button small" onClick={() => s.setOption('orgUnit', null)}>
                      {t('pdfForm.orgUnit.any')}
                    </button>
                  </p>
                )}
              </fieldset>
              <div className="field">
                <label htmlFor={periodId}>{t('pdfForm.period')}</label>
                <input
                  id={periodId}
                  name="period"
                  type="text"
                  value={o.period}
                  placeholder={t('pdfForm.period.placeholder')}
                  onChange={(e) => s.setOption('period', e.target.value)}
                  data-test="pdf-form-period"
                />
                <div className="help">{t('pdfForm.period.help')}</div>
              </div>
            </div>
            <ExportActionBar label={t('pdfForm.save')} formError={s.formError} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
