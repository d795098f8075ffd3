/** Seeded randomness for differential and fuzz tests: one PRNG, chunk sizes from 1 byte to 64 KB, a chunked stream. */

/** mulberry32: a small, fast, seedable PRNG (the same seed gives the same sequence everywhere). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Chunk sizes from `min` (1 byte) to 64 KB: one size for the whole file, or a new one for every chunk. */
export function chunker(r: () => number, min = 1): () => number {
  const size = (): number => Math.max(min, Math.floor(2 ** (r() * 16)));
  if (r() < 0.5) {
    const n = size();
    return () => n;
  }
  return size;
}

/** The bytes as a stream of chunks of the given sizes. */
export async function* split(bytes: Buffer, sizes: () => number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; ) {
    const n = sizes();
    yield bytes.subarray(i, i + n);
    i += n;
  }
}
