// Seeded random numbers that are bit-identical in Node and every browser: xoshiro128** on
// 32-bit integer math (Math.imul), and Box–Muller built on our own log/sin/cos (the spec lets
// engines approximate Math.log/sin/cos differently; +, −, ×, ÷ and sqrt are exact IEEE ops).

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [(z ^ (z >>> 16)) >>> 0, state];
}

const LN2 = 0.6931471805599453;

/** Natural log for x > 0 from exact arithmetic only. */
export function detLog(x: number): number {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let e = 0;
  while (x >= 1.4142135623730951) { x /= 2; e++; }
  while (x < 0.7071067811865476) { x *= 2; e--; }
  const s = (x - 1) / (x + 1);
  const s2 = s * s;
  let term = s;
  let sum = 0;
  for (let k = 1; k < 40; k += 2) {
    sum += term / k;
    term *= s2;
    if (term < 1e-300 && term > -1e-300) break;
  }
  return 2 * sum + e * LN2;
}

/** [cos(2πu), sin(2πu)] for u in [0, 1) from exact arithmetic only. */
export function detCosSin2Pi(u: number): [number, number] {
  const q4 = u * 4;
  const q = Math.floor(q4);
  const phi = (q4 - q) * (Math.PI / 2);
  const p2 = phi * phi;
  // Taylor series; phi < π/2 so 12 terms reach double precision
  let s = 0, c = 0, ts = phi, tc = 1;
  for (let k = 0; k < 12; k++) {
    s += ts;
    c += tc;
    ts *= -p2 / ((2 * k + 2) * (2 * k + 3));
    tc *= -p2 / ((2 * k + 1) * (2 * k + 2));
  }
  switch (q & 3) {
    case 0: return [c, s];
    case 1: return [-s, c];
    case 2: return [-c, -s];
    default: return [s, -c];
  }
}

export class Generator {
  private s = new Uint32Array(4);
  private seed = 0;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Reset the stream; same seed ⇒ same numbers everywhere. Returns this. */
  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new Error(`manualSeed: seed must be a finite number, got ${seed}`);
    this.seed = seed;
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    let st = lo ^ Math.imul(hi, 0x27d4eb2d);
    for (let i = 0; i < 4; i++) {
      const [v, next] = splitmix32(st);
      this.s[i] = v;
      st = next;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    return this;
  }

  initialSeed(): number {
    return this.seed;
  }

  /** Raw state, to save and restore a stream position. */
  getState(): number[] {
    return Array.from(this.s);
  }

  setState(state: readonly number[]): this {
    if (state.length !== 4) throw new Error('Generator.setState: expected 4 numbers');
    this.s.set(state);
    return this;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in [0, 1) with 24 random bits: exact in float32, never rounds up to 1. */
  randomFloat32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Integer uniform in [low, high). */
  randint(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low));
  }

  /** Fill `out` with standard normals (Box–Muller, both outputs of each pair used). */
  fillNormal(out: Float32Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i += 2) {
      const u1 = 1 - this.random(); // (0, 1]
      const u2 = this.random();
      const r = Math.sqrt(-2 * detLog(u1));
      const [c, s] = detCosSin2Pi(u2);
      out[i] = mean + std * r * c;
      if (i + 1 < out.length) out[i + 1] = mean + std * r * s;
    }
  }

  /** One standard normal sample. */
  normal(): number {
    const tmp = new Float32Array(1);
    this.fillNormal(tmp);
    return tmp[0];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is passed. Starts from seed 0 so pages are reproducible. */
export const defaultGenerator = new Generator(0);

/** Reseed the default generator (like torch.manual_seed). */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}
