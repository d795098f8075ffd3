/**
 * The messages the engine composes (a file refused, a request refused, a database that cannot be opened) are said
 * by key and parameters from the `errors` namespace of the message catalogue, not as finished English:
 * - the engine builds them with `ferryError` or `englishError` (src-shared/keyed-errors.ts). The `message` it carries
 *   stays the English text (what `--json`, the logs and older tools read, byte for byte as before), and the key and
 *   parameters travel beside it in the error's details (`messageKey`, `messageParams`) through every door: a worker
 *   message, the IPC, the HTTP bridge, a job record in the database;
 * - the doors say it in the user's language with `localizedMessage`: the screens in theirs, the CLI in --lang's. A key
 *   that a newer or older Ferry does not know falls back to the English message.
 * A phrase that is itself a parameter (what kind of token was too long) is a key of its own, nested with i18next's
 * `$t(errors:…)` in the message, so no English reaches a translated sentence.
 */
import type enErrors from './locales/en/errors.json';
import type { I18n } from './instance.ts';

type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type Base<K> = K extends `${infer B}_${PluralSuffix}` ? B : K;
/** a key of the errors namespace (a plural message by its base name: `count` chooses the form) */
export type ErrorKey = Base<keyof typeof enErrors & string>;
/** a message's parameters: names, numbers, paths, a library's own words (left as they are) */
export type ErrorParams = Record<string, string | number>;

/** A message by key and parameters, where a summary lists several (an export's or an import's warnings). */
export interface KeyedMessage {
  messageKey: ErrorKey;
  messageParams: ErrorParams;
}

export const keyed = (messageKey: ErrorKey, messageParams: ErrorParams = {}): KeyedMessage => ({ messageKey, messageParams });

/** The key and parameters an error or a report line carries, when the engine said it so. */
export function messageKeyOf(details: unknown): { key: string; params: ErrorParams } | null {
  if (!details || typeof details !== 'object') return null;
  const d = details as { messageKey?: unknown; messageParams?: unknown };
  if (typeof d.messageKey !== 'string') return null;
  const params = d.messageParams && typeof d.messageParams === 'object' ? (d.messageParams as ErrorParams) : {};
  return { key: d.messageKey, params };
}

/**
 * A message in the language of `i18n` (an instance that holds the errors namespace): the catalogue's text for the
 * key and parameters the engine gave, else — no key, or one this Ferry does not know — the English message as it came.
 * The screens ask for their variant (`door`: 'screen'), which some keys have: the CLI's tells a terminal user which flag
 * to add, the screen's which menu or field to use.
 */
export function localizedMessage(i18n: I18n, e: { message: string; details?: unknown }, door: 'cli' | 'screen' = 'cli'): string {
  const k = messageKeyOf(e.details);
  if (!k) return e.message;
  // a message that names a CLI flag has a `.screen` variant naming the screen's way instead
  const screen = door === 'screen' ? `errors:${k.key}.screen` : null;
  const full = screen && i18n.exists(screen, k.params) ? screen : `errors:${k.key}`;
  if (!i18n.exists(full, k.params)) return e.message;
  return (i18n.t as unknown as (key: string, o: object) => string)(full, k.params);
}
