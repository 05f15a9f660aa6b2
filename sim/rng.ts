/**
 * Seeded PRNG for the simulator: sfc32 (small, fast, passes PractRand to 2^40+), seeded through a
 * murmur3 finaliser so that nearby seeds give unrelated streams.
 *
 * Streams are addressed by a 64-bit key (two 32-bit words) derived from the seed and a path of
 * labels, never from the parent's position: `rng.fork('psu.3')` gives the same numbers whether
 * the parent drew nothing or a million values, so adding a consumer never shifts another's
 * numbers and runs stay reproducible as the model grows.
 */

const TWO_POW_32 = 4294967296;

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units, with a caller-chosen offset so two variants give 64 bits. */
function fnv1a(text: string, offset: number): number {
  let h = offset >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private keyLo = 0;
  private keyHi = 0;
  /** Box–Muller makes normals in pairs; the spare is part of the stream's state. */
  private spare = Number.NaN;

  /** seed: an integer in [0, 2^53). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`Rng seed must be an integer in [0, 2^53), got ${seed}`);
    }
    this.init((seed % TWO_POW_32) >>> 0, Math.floor(seed / TWO_POW_32) >>> 0);
  }

  private init(keyLo: number, keyHi: number): void {
    this.keyLo = keyLo;
    this.keyHi = keyHi;
    this.a = fmix32(keyLo ^ 0x9e3779b9);
    this.b = fmix32(keyHi ^ 0x7f4a7c15);
    this.c = fmix32((keyLo + keyHi + 0x6a09e667) >>> 0);
    this.d = 1;
    this.spare = Number.NaN;
    // sfc32 needs a few rounds before similar states decorrelate.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Integer uniform in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Normal deviate (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return mean + sd * z;
    }
    // 1 - next() is in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }

  /** Exponential deviate with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  /** An independent stream named by `label`, a pure function of this stream's key and label. */
  fork(label: string): Rng {
    const lo = fmix32((this.keyLo ^ fnv1a(label, 0x811c9dc5)) >>> 0);
    const hi = fmix32((this.keyHi ^ fnv1a(label, 0x050c5d1f) ^ lo) >>> 0);
    const child = new Rng(0);
    child.init(lo, hi);
    return child;
  }
}
