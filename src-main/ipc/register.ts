/** contract → handlers: request validation (zod) and the Result envelope, shared by every door. */
import { contract, type Channel, type ParsedReq, type Res } from '../../src-shared/api/contract.ts';
import { toSerializedError, type Result } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { IpcMainLike } from './ports.ts';

export type Handlers = { [C in Channel]: (req: ParsedReq<C>) => Promise<Res<C>> };

export function isChannel(s: string): s is Channel {
  return Object.prototype.hasOwnProperty.call(contract, s);
}

/** Validates the raw request and runs the handler; never throws. */
export async function invoke(handlers: Handlers, channel: string, raw: unknown): Promise<Result<unknown>> {
  try {
    if (!isChannel(channel)) throw ferryError('BAD_REQUEST', 'request.unknownChannel', { channel });
    const parsed = contract[channel].req.safeParse(raw ?? {});
    if (!parsed.success) {
      const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      throw ferryError('BAD_REQUEST', 'request.invalid', { channel, detail: msg });
    }
    const h = handlers[channel] as (r: unknown) => Promise<unknown>;
    return { ok: true, value: await h(parsed.data) };
  } catch (e) {
    return { ok: false, error: toSerializedError(e) };
  }
}

export function registerIpc(ipcMain: IpcMainLike, handlers: Handlers): void {
  for (const channel of Object.keys(contract)) {
    ipcMain.handle(channel, (_event, req) => invoke(handlers, channel, req));
  }
}
