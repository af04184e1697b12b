/**
 * A small, fast, seedable PRNG (sfc32, seeded through splitmix32) with the distributions the
 * augmentations need. Pure JS: the same seed gives the same numbers on every backend and platform.
 */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /**
   * Any safe integer. Seeds in [0, 2^32) seed the state through splitmix32 alone; the high part and
   * the sign of others are mixed into the last word by a bijection that keeps 0 at 0, so every seed
   * gets a state of its own (no seed ≡ seed + 2^32) and the streams of [0, 2^32) stay as they were.
   */
  constructor(seed: number) {
    const low = ((seed % 2 ** 32) + 2 ** 32) % 2 ** 32;
    const high = (seed - low) / 2 ** 32;
    let s = low;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = (next() ^ fmix32(high >>> 0)) >>> 0;
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The whole state (the four words and the kept normal), for a backup to store. */
  getState(): number[] {
    return [
      this.a >>> 0,
      this.b >>> 0,
      this.c >>> 0,
      this.d >>> 0,
      ...(this.spareNormal === undefined ? [] : [this.spareNormal]),
    ];
  }

  /** Puts back a state {@link getState} returned: the stream continues exactly where it was. */
  setState(state: readonly number[]): void {
    [this.a, this.b, this.c, this.d] = state as [number, number, number, number];
    this.spareNormal = state[4];
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Fills `out` with the next `out.length` words, exactly as that many uint32() calls would. */
  fill(out: Uint32Array): void {
    // The same steps as uint32() in int32 arithmetic on locals (every step is modulo 2^32 either way), so
    // that the engine keeps them in registers: a dropout mask draws ~10^5 words per training step.
    const words = new Int32Array(out.buffer, out.byteOffset, out.length);
    let a = this.a | 0;
    let b = this.b | 0;
    let c = this.c | 0;
    let d = this.d | 0;
    for (let i = 0; i < words.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      words[i] = t;
    }
    // Stored as int32: uint32() reads either form alike (modulo 2^32), and unsigned stores here made the
    // loop several times slower on the next call.
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** Standard normal (Marsaglia polar method; the second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * m;
    return u * m;
  }

  /** Gamma(shape, 1) by Marsaglia-Tsang, with the shape < 1 boost. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(1 - this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
}

/** MurmurHash3's finalizer: a bijection of 32-bit words, with fmix32(0) = 0. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
