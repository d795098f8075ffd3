/** The send side behind the transfer:send, transfer:sendPreview, transfer:site and transfer:destinations channels. */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open.ts';
import type { JobManager } from '../jobs/manager.ts';
import type { PathPolicy } from '../ipc/ports.ts';
import type { ParsedReq } from '../../src-shared/api/contract.ts';
import type { DestinationInfo, OwnSiteInfo, SendPreview, SentPackageInfo } from '../../src-shared/transfer-send.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { TransferSitesRepo, type SentPackageRow } from '../db/repos/transfer-sites.ts';
import { ownSite, setOwnSite } from './site.ts';
import { parseSendOptions, previewSend } from './send.ts';

/** Starts a send job writing `req.out` (a file the door lets it write). */
export function startSend(jobs: JobManager, req: ParsedReq<'transfer:send'>, paths: PathPolicy): { jobId: number } {
  const { out: rawOut, ...rest } = req;
  const options: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  parseSendOptions(options);
  const out = path.resolve(rawOut);
  if (!paths.mayWrite(out)) throw ferryError('BAD_REQUEST', 'transfer.writeOnlyChosen', { file: path.basename(out) });
  if (!fs.existsSync(path.dirname(out))) throw ferryError('BAD_REQUEST', 'request.noFolder', { folder: path.dirname(out) });
  return {
    jobId: jobs.start({
      direction: 'export',
      kind: 'send',
      dryRun: false,
      options,
      files: [{ path: out, name: path.basename(out), size: null }],
      format: 'ferry-package',
      compression: 'none',
    }),
  };
}

export function sendPreview(db: Db, req: ParsedReq<'transfer:sendPreview'>): SendPreview {
  return previewSend(db, parseSendOptions({ ...req }));
}

export function siteInfo(db: Db, req: ParsedReq<'transfer:site'>): OwnSiteInfo {
  const s = req.name !== undefined || req.orgUnit !== undefined ? db.transaction(() => setOwnSite(db, { name: req.name, orgUnit: req.orgUnit }))() : ownSite(db);
  return { id: s.id, name: s.name, orgUnit: s.orgUnit ?? null, orgUnitName: s.orgUnitName, nameSet: s.nameSet, orgUnitSet: s.orgUnitSet };
}

export function sentInfo(p: SentPackageRow): SentPackageInfo {
  return {
    sequence: p.sequence,
    packageId: p.packageId,
    changes: { from: p.changeFrom, to: p.changeTo },
    file: p.file,
    bytes: p.bytes,
    counts: JSON.parse(p.counts) as SentPackageInfo['counts'],
    resendOf: p.resendOf,
    createdAt: p.createdAt,
  };
}

export function destinations(db: Db): DestinationInfo[] {
  const repo = new TransferSitesRepo(db);
  return repo.destinations().map((d) => {
    const last = repo.lastSent(d.id);
    return { id: d.uid, name: d.name, last: last ? sentInfo(last) : null, packages: repo.sent(d.id, 100000).length };
  });
}
