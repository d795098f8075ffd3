import type { ErrorParams } from './i18n/error-messages.ts';

/** Error kinds shared by every door (Electron IPC, CLI, HTTP bridge). */
export type AppErrorCode =
  | 'BAD_REQUEST' // request failed validation
  | 'BAD_FILE' // the file cannot be read as the format it claims (malformed, truncated, wrong format)
  | 'FILE_NOT_FOUND'
  | 'UNSUPPORTED' // a format or option Ferry does not (yet) handle
  | 'TOO_LARGE' // zip/XML bombs and similar limits
  | 'CANCELLED'
  | 'NOT_FOUND'
  | 'DB_VERSION' // database newer than this app
  | 'BUSY'
  | 'DB_READONLY' // the database is in a read-only place (write-protected USB key, CD, read-only folder or file)
  | 'DB_CORRUPT' // SQLite found a damaged page: `ferry check`, then restore the backup
  | 'INTERNAL';

export interface AppErrorDetails {
  file?: string;
  line?: number;
  column?: number;
  /** the message's key in the errors catalogue (src-shared/i18n/error-messages.ts): the doors say it in the user's language */
  messageKey?: string;
  /** its parameters */
  messageParams?: ErrorParams;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: AppErrorDetails;
  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export interface SerializedError {
  code: AppErrorCode;
  message: string;
  details: AppErrorDetails;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export function toSerializedError(e: unknown): SerializedError {
  if (e instanceof AppError) return e.toJSON();
  if (e && typeof e === 'object' && 'code' in e && 'message' in e && typeof (e as { code: unknown }).code === 'string') {
    const se = e as SerializedError;
    if (isAppErrorCode(se.code)) return { code: se.code, message: String(se.message), details: se.details ?? {} };
    const db = fromSqliteCode(se.code, String(se.message));
    if (db) return db;
  }
  return { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), details: {} };
}

const CODES: readonly AppErrorCode[] = [
  'BAD_REQUEST', 'BAD_FILE', 'FILE_NOT_FOUND', 'UNSUPPORTED', 'TOO_LARGE', 'CANCELLED', 'NOT_FOUND', 'DB_VERSION', 'BUSY', 'DB_READONLY', 'DB_CORRUPT', 'INTERNAL',
];
/** What to do when SQLite finds a damaged page: the same words at every door (jobs, `ferry info`, the screens). */
export const DB_CORRUPT_ADVICE =
  "Run 'ferry check' (or Utilities › Check database) to see what is damaged, then restore your latest backup of the database (README: \"Where your data lives, and how to back it up\").";

/**
 * SQLite's damaged-file and read-only errors (better-sqlite3 SqliteError codes such as SQLITE_CORRUPT_INDEX,
 * SQLITE_NOTADB, SQLITE_READONLY_DBMOVED) as the AppErrors a user can act on; other codes are not mapped.
 */
export function fromSqliteCode(code: string, message: string): SerializedError | null {
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return { code: 'DB_CORRUPT', message: `The database is damaged (SQLite: ${message}); Ferry stopped and kept nothing of what it was doing. ${DB_CORRUPT_ADVICE}`, details: { sqlite: code } };
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return { code: 'DB_READONLY', message: `The database is read-only (SQLite: ${message}); nothing was changed.`, details: { sqlite: code } };
  }
  return null;
}

function isAppErrorCode(c: string): c is AppErrorCode {
  return (CODES as readonly string[]).includes(c);
}

export function fromSerializedError(e: SerializedError): AppError {
  return new AppError(e.code, e.message, e.details);
}

