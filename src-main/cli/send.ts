/** `ferry send --to NAME --out PATH [--json]` and `ferry site [--name NAME] [--org-unit OU] [--json]` (issue 13). */
import type { Ferry } from '../services/context.ts';
import { invoke } from '../ipc/register.ts';
import { AppError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { Channel, Res } from '../../src-shared/api/contract.ts';
import type { OwnSiteInfo, SendSummary } from '../../src-shared/transfer-send.ts';
import { exitCodeOf, formatJob } from './format.ts';
import { waitWithProgress } from './progress.ts';
import { n, t } from './i18n.ts';

interface Io {
  stdout: (s: string) => void | boolean;
  stderr: (s: string) => void;
  isTTY: boolean;
}

async function call<C extends Channel>(f: Ferry, channel: C, req: unknown): Promise<Res<C>> {
  const r = await invoke(f.handlers, channel, req);
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  return r.value as Res<C>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw ferryError('BAD_REQUEST', 'transfer.flagNeedsWholeNumber', { flag });
  return n;
};

/** The --json answer of a send: the manifest's headline and where the package is. */
export function sendJson(s: SendSummary): Record<string, unknown> {
  return {
    status: s.status,
    packageId: s.packageId,
    sequence: s.sequence,
    changes: s.changes,
    from: s.from,
    to: s.to,
    path: s.file,
    bytes: s.bytes,
    sha256: s.sha256,
    counts: { values: s.counts.dataValues ?? 0, deletions: s.counts.deletions ?? 0, events: s.counts.events ?? 0, metadataObjects: s.counts.metadataObjects ?? 0 },
    controlTotals: s.counts.controlTotals ?? 0,
    ...(s.resendOf ? { resendOf: s.resendOf } : {}),
  };
}

export function sendLine(s: SendSummary): string {
  const c = s.counts;
  const what = [
    t('send.values', { count: c.dataValues ?? 0 }),
    t('send.deletions', { count: c.deletions ?? 0 }),
    t('send.events', { count: c.events ?? 0 }),
    ...(c.metadataObjects ? [t('send.metadataObjects', { count: c.metadataObjects })] : []),
  ].join(', ');
  const empty = !c.dataValues && !c.deletions && !c.events && !c.metadataObjects;
  return (
    t('send.line', { sequence: s.sequence, from: s.from.name, to: s.to.name, remade: s.resendOf ? t('send.remade') : '', what, first: s.changes.from + 1, last: s.changes.to }) +
    (empty ? t('send.empty') : '') +
    '\n  ' +
    t('send.written', { file: s.file, bytes: n(s.bytes), sha256: s.sha256 }) +
    '\n  ' +
    t('send.packageId', { id: s.packageId })
  );
}

export async function sendCommand(ferry: Ferry, flags: Record<string, unknown>, json: boolean, io: Io): Promise<number> {
  const metadata = flags.metadata === true ? 'changed' : str(flags.metadata);
  const req = {
    to: str(flags.to),
    out: str(flags.out),
    metadata,
    fromSequence: num(flags.fromSequence, '--from-sequence'),
    sincePackage: str(flags.sincePackage),
    resend: num(flags.resend, '--resend'),
    siteName: str(flags.siteName),
    siteOrgUnit: str(flags.siteOrgUnit),
  };
  const { jobId } = await call(ferry, 'transfer:send', req);
  const job = await waitWithProgress(ferry, jobId, json, io);
  const code = exitCodeOf(job);
  if (job.error) {
    if (json) io.stdout(JSON.stringify({ status: 'ERROR', error: job.error }, null, 2) + '\n');
    else io.stderr(formatJob(job) + '\n');
  } else {
    const s = job.summary as SendSummary;
    if (json) io.stdout(JSON.stringify(sendJson(s), null, 2) + '\n');
    else io.stdout(sendLine(s) + '\n');
  }
  return code;
}

export function siteLine(s: OwnSiteInfo): string {
  return (
    t('site.name', { name: s.name }) +
    (s.nameSet ? '' : t('site.nameDefault')) +
    '\n  ' +
    t('site.orgUnit', { orgUnit: s.orgUnit ? `${s.orgUnitName ?? ''} [${s.orgUnit}]` : t('site.none') }) +
    (s.orgUnit && !s.orgUnitSet ? t('site.default') : '') +
    '\n  ' +
    t('site.id', { id: s.id })
  );
}

export async function siteCommand(ferry: Ferry, flags: Record<string, unknown>, json: boolean, io: Io): Promise<number> {
  const req: { name?: string; orgUnit?: string } = {};
  if (flags.name !== undefined) {
    if (typeof flags.name !== 'string') throw ferryError('BAD_REQUEST', 'site.flagNeedsName');
    req.name = flags.name;
  }
  if (flags.orgUnit !== undefined) {
    const ou = Array.isArray(flags.orgUnit) ? flags.orgUnit[0] : flags.orgUnit;
    req.orgUnit = typeof ou === 'string' ? ou : '';
  }
  const s = await call(ferry, 'transfer:site', req);
  const dests = await call(ferry, 'transfer:destinations', {});
  if (json) io.stdout(JSON.stringify({ ...s, destinations: dests }, null, 2) + '\n');
  else {
    io.stdout(siteLine(s) + '\n');
    for (const d of dests)
      io.stdout(
        '  ' +
          t('site.sendsTo', { name: d.name, last: d.last ? t('site.lastPackage', { sequence: d.last.sequence, at: d.last.createdAt, file: d.last.file }) : t('site.nothingYet') }) +
          '\n',
      );
  }
  return 0;
}
