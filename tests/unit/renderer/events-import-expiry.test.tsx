/**
 * The event import screen's options step: the labelled expiry checkbox (skipExpiryCheck) and the advanced program
 * rules checkbox (skipRuleEngine) are off by default and not sent then; ticked, they are sent as true.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { useEventsImport } from '../../../src-renderer/stores/events-import.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { EventsImportScreen } from '../../../src-renderer/screens/events-import/EventsImportScreen.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const EXPIRY = "Accept completed events past the program's expiry days (as a user allowed to edit expired data)";
const RULES = 'Skip program rules (skipRuleEngine)';

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:events'] });
  useEventsImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

describe('event import options: expiry check and program rules', () => {
  it('are off by default (not sent) and sent as true once ticked', async () => {
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: 1 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'events' }),
    });
    setApi(api);
    await useEventsImport.getState().addPaths(['/usb/events.json']);
    render(<EventsImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    const expiry = screen.getByLabelText(EXPIRY) as HTMLInputElement;
    const rules = screen.getByLabelText(RULES) as HTMLInputElement;
    expect(expiry.checked).toBe(false);
    expect(rules.checked).toBe(false);
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(api.callsTo('import:start')).toHaveLength(1));
    const first = (api.callsTo('import:start')[0] as { options: Record<string, unknown> }).options;
    expect('skipExpiryCheck' in first || 'skipRuleEngine' in first).toBe(false);
    useEventsImport.getState().setStep('options');
    await waitFor(() => expect(screen.getByLabelText(EXPIRY)).toBeTruthy());
    fireEvent.click(screen.getByLabelText(EXPIRY));
    fireEvent.click(screen.getByLabelText(RULES));
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(api.callsTo('import:start')).toHaveLength(2));
    const second = (api.callsTo('import:start')[1] as { options: Record<string, unknown> }).options;
    expect([second.skipExpiryCheck, second.skipRuleEngine]).toEqual([true, true]);
  });
});
