// The positional-encoding explorer's computation, with the book's engine: the sinusoidal encoding
// of positions 0 … T−1 in width d (Vaswani et al., 2017), one position's vector, and its dot
// product with every position. No DOM here; the widget draws what this module returns, and
// tests/widgets/positional-encoding.test.ts checks it against values worked out by hand.
import { nn, tidy } from '../../../engine/index.ts';

/** The widths the d slider offers. */
export const WIDTHS = [4, 8, 16, 32, 64, 128];
/** The numbers of positions T the second slider offers. */
export const LENGTHS = [16, 32, 64, 128, 256];

export interface Exploration {
  d: number;
  T: number;
  pos: number;
  /** The encoding, [T, d] row-major: row p is the vector of position p. */
  matrix: Float32Array;
  /** PE[pos], length d. */
  vector: Float32Array;
  /** PE[pos] · PE[j] for j = 0 … T−1. */
  dots: Float32Array;
  /** Full turn of each pair i (2πᵢ / ωᵢ), in positions: from 2π for i = 0 up to nearly 2π·10000. */
  wavelengths: number[];
}

/** Wavelength, in positions, of the pair (2i, 2i+1) in width d: 2π · 10000^(2i/d). */
export function wavelength(i: number, d: number): number {
  return 2 * Math.PI * 10000 ** ((2 * i) / d);
}

/** The exact dot product PE[i]·PE[j] = Σₘ cos((i − j) ωₘ): it depends on the offset alone. */
export function dotByOffset(offset: number, d: number): number {
  let sum = 0;
  for (let m = 0; m < d / 2; m++) sum += Math.cos(offset * 10000 ** (-(2 * m) / d));
  return sum;
}

/** Everything the explorer draws for width d, T positions and the chosen position pos. */
export async function explore(d: number, T: number, pos: number): Promise<Exploration> {
  if (!Number.isInteger(d) || d < 2 || d % 2 !== 0) throw new Error(`positional encoding: the width d must be a positive even integer, got ${d}`);
  if (!Number.isInteger(T) || T < 1) throw new Error(`positional encoding: the number of positions T must be a positive integer, got ${T}`);
  if (!Number.isInteger(pos) || pos < 0 || pos >= T) throw new Error(`positional encoding: the position must be an integer in 0 … ${T - 1}, got ${pos}`);
  const [pe, vector, dots] = tidy(() => {
    const pe = nn.sinusoidalPositionalEncoding(T, d);   // [T, d]
    const vector = pe.select(0, pos);                   // [d]
    return [pe, vector, pe.matmul(vector)];             // [T, d] @ [d] → [T]
  });
  try {
    const [m, v, s] = await Promise.all([pe.data(), vector.data(), dots.data()]);
    return {
      d, T, pos,
      matrix: Float32Array.from(m),
      vector: Float32Array.from(v),
      dots: Float32Array.from(s),
      wavelengths: Array.from({ length: d / 2 }, (_, i) => wavelength(i, d)),
    };
  } finally {
    pe.dispose();
    vector.dispose();
    dots.dispose();
  }
}
