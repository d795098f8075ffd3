import { useTranslation } from 'react-i18next';

/** The wizard's step indicator (current step announced with aria-current). */
export function Steps({ steps, current }: { steps: string[]; current: number }) {
  const { t } = useTranslation(['components', 'common']);
  return (
    <ol className="steps" aria-label={t('common:steps')}>
      {steps.map((s, i) => (
        <li key={s} className={i === current ? 'current' : i < current ? 'done' : ''} aria-current={i === current ? 'step' : undefined}>
          <span className="step-no">{i + 1}</span> {s}
        </li>
      ))}
    </ol>
  );
}
