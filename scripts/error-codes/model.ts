/** Shapes of docs/error-codes/dhis2-codes.json (extracted facts) and docs/error-codes/status.json (judgement). */

export type EnumId = 'ErrorCode' | 'ValidationCode';
export type Ref = '2.42.0' | '2.42.5.2' | 'master';
export const REFS: readonly Ref[] = ['2.42.0', '2.42.5.2', 'master'];

export interface Dhis2Code {
  enum: EnumId;
  code: string;
  /** Message template exactly as DHIS2 words it, per ref; a ref is absent when the code does not exist there. */
  messages: Partial<Record<Ref, string>>;
  /** The comment heading the code in the enum at each ref. */
  sections: Partial<Record<Ref, string>>;
  /** Set where the refs disagree: "only in …", "wording differs: 2.42.0 / 2.42.5.2 = master". */
  versions?: string;
}

export interface Dhis2CodesFile {
  source: { repository: string; refs: Record<string, string>; enums: Record<string, string> };
  codes: Dhis2Code[];
}

/**
 * A code's judgement: not applicable offline (with the reason), missing (applies, not done), or implemented — only to
 * set aside a family's default for a code Ferry does emit (the table still derives "implemented" from the sources).
 */
export type Judgement = { status: 'not-applicable'; reason: string } | { status: 'missing'; note: string } | { status: 'implemented'; note: string };

export interface Family {
  id: string;
  title: string;
  enum: EnumId;
  /** Inclusive code ranges, e.g. ["E7100", "E7299"]. */
  ranges: [string, string][];
  /** Which ref's wording and existence Ferry follows for this family. */
  follows: Ref;
  /** Default judgement for the family's codes that Ferry does not implement (codes may override). */
  default?: Judgement;
}

export interface StatusFile {
  /** The version choices, in words (shown in the table's Versions section). */
  versions: string;
  families: Family[];
  /** Per-code judgement, keyed "ErrorCode:E1234" or "ValidationCode:E1234". */
  codes: Record<string, Judgement>;
}

export function codeNumber(code: string): number {
  return Number(code.slice(1));
}

const ENUM_ORDER: Record<EnumId, number> = { ErrorCode: 0, ValidationCode: 1 };

export function compareCodes(a: { enum: EnumId; code: string }, b: { enum: EnumId; code: string }): number {
  return ENUM_ORDER[a.enum] - ENUM_ORDER[b.enum] || codeNumber(a.code) - codeNumber(b.code);
}

export function keyOf(c: { enum: EnumId; code: string }): string {
  return `${c.enum}:${c.code}`;
}

/** Where the refs disagree about a code: existence, then wording between 2.42.0 and master (and 2.42.5.2). */
export function versionsNote(c: Dhis2Code): string {
  const have = REFS.filter((r) => c.messages[r] !== undefined);
  const parts: string[] = [];
  if (have.length < REFS.length) parts.push(`only in ${have.join(', ')}`);
  const groups = new Map<string, Ref[]>();
  for (const r of have) groups.set(c.messages[r]!, [...(groups.get(c.messages[r]!) ?? []), r]);
  if (groups.size > 1) parts.push(`wording differs: ${[...groups.values()].map((g) => g.join(' = ')).join(' / ')}`);
  return parts.join('; ');
}
