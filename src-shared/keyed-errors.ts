/**
 * What the engine uses to compose its messages by key (src-shared/i18n/error-messages.ts says why): the English text
 * from the errors catalogue, an AppError that carries its key, a summary's keyed warnings. Kept apart from errors.ts and
 * error-messages.ts, which every door loads at its start: this module holds the English catalogue, which only code that
 * composes a message needs (`ferry --help` never loads it).
 */
import enErrors from './i18n/locales/en/errors.json';
import { makeI18n, type I18n } from './i18n/instance.ts';
import type { ErrorKey, ErrorParams, KeyedMessage } from './i18n/error-messages.ts';
import { AppError, type AppErrorCode, type AppErrorDetails } from './errors.ts';

let english: I18n | null = null;

/** The English text of an error message (the engine's `message`). The instance is made on the first error only. */
export function englishError(key: ErrorKey, params: ErrorParams = {}): string {
  english ??= makeI18n({ resources: { en: { errors: enErrors } }, ns: ['errors'], defaultNS: 'errors' });
  return (english.t as unknown as (k: string, o: object) => string)(`errors:${key}`, params);
}

/**
 * An AppError whose message is a key of the errors catalogue: `message` is its English text (as `--json` and the logs
 * read it), and the key and parameters travel in `details` for the screens and the CLI to say it in their language.
 */
export function ferryError(code: AppErrorCode, key: ErrorKey, params: ErrorParams = {}, details: AppErrorDetails = {}): AppError {
  return new AppError(code, englishError(key, params), { ...details, messageKey: key, messageParams: params });
}

/** A summary's warnings: their English (as `--json` reads them) and, beside, in the same order, their keys and parameters. */
export function withEnglish(ws: readonly KeyedMessage[]): { warnings: string[]; warningDetails: KeyedMessage[] } {
  return { warnings: ws.map((w) => englishError(w.messageKey, w.messageParams)), warningDetails: [...ws] };
}
