/**
 * PDF data entry form: a form a facility fills in any PDF reader, for one data set; the org unit (pre-filled and
 * locked) and the period (pre-selected) are optional. Filled forms come back through the data import.
 */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { useId } from 'react';
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
  const toggleOu = (n: OrgUnitNode, on: boolean): void => s.setOption('orgUnit', on ? { id: n.uid, name: n.name ?? n.code ?? n.uid } : null);
  return (
    <div className="screen" data-test="wizard-export-pdf-form">
      <h1>PDF data entry form</h1>
      <Steps steps={['Form', 'Export', 'Result']} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">
            Makes a PDF form for one data set, with the field names DHIS2 uses. A facility without Ferry or DHIS2 fills it in any PDF reader and
            sends it back; import the filled forms with <strong>Data import</strong> (several at once if you like). DHIS2 imports them too.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <fieldset className="field">
              <legend>Data set</legend>
              <MetadataPicker
                type="dataSets"
                label="Data set"
                multiple={false}
                selected={o.dataSet ? [o.dataSet.id] : []}
                selectedItems={o.dataSet ? [o.dataSet] : []}
                onChange={(items) => s.setOption('dataSet', items[0] ?? null)}
              />
            </fieldset>
            <div className="two-col">
              <fieldset className="field">
                <legend>Organisation unit (optional)</legend>
                <p className="help">When you choose one, the form is pre-filled with it and the facility cannot change it.</p>
                <OrgUnitTree selected={o.orgUnit ? [o.orgUnit.id] : []} onToggle={toggleOu} />
                {o.orgUnit && (
                  <p data-test="pdf-form-org-unit">
                    For <strong>{o.orgUnit.name}</strong>{' '}
                    <button type="button" className="button small" onClick={() => s.setOption('orgUnit', null)}>
                      Any organisation unit
                    </button>
                  </p>
                )}
              </fieldset>
              <div className="field">
                <label htmlFor={periodId}>Period (optional)</label>
                <input
                  id={periodId}
                  name="period"
                  type="text"
                  value={o.period}
                  placeholder="e.g. 202611"
                  onChange={(e) => s.setOption('period', e.target.value)}
                  data-test="pdf-form-period"
                />
                <div className="help">
                  A DHIS2 period of the data set&apos;s period type (202611, 2026Q4, 2026W48 …), pre-selected in the form. Left empty, the facility
                  chooses it from DHIS2&apos;s range: last year to the year after next.
                </div>
              </div>
            </div>
            <ExportActionBar label="Save form…" formError={s.formError} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
