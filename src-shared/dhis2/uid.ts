/** DHIS2 UIDs: 11 characters, a letter then 10 letters/digits (CodeGenerator.java). */
export const UID_PATTERN = /^[a-zA-Z][a-zA-Z0-9]{10}$/;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = '0123456789' + LETTERS;

export function isValidUid(s: unknown): s is string {
  return typeof s === 'string' && UID_PATTERN.test(s);
}

function randomChar(alphabet: string, limit: number, next: () => number): string {
  // rejection sampling to avoid modulo bias
  for (;;) {
    const b = next();
    if (b < limit) return alphabet[b % alphabet.length]!;
  }
}

/** Generates a DHIS2 UID using crypto-quality random bytes. */
export function generateUid(): string {
  const buf = new Uint8Array(64);
  let i = buf.length;
  const next = (): number => {
    if (i >= buf.length) {
      globalThis.crypto.getRandomValues(buf);
      i = 0;
    }
    return buf[i++]!;
  };
  let uid = randomChar(LETTERS, 208, next);
  for (let k = 0; k < 10; k++) uid += randomChar(ALPHANUMERIC, 248, next);
  return uid;
}
