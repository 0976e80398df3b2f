// The positional-encoding explorer's computation and URL state, checked against values worked out by hand.
import { describe, expect, test } from 'vitest';
import { memory } from '../../src/engine/index.ts';
import { LENGTHS, WIDTHS, dotByOffset, explore, wavelength } from '../../src/components/widgets/positional-encoding/encoding.ts';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/positional-encoding/state.ts';

describe('sinusoidal encoding', () => {
  test('d = 4, three positions, by hand', async () => {
    // ω₀ = 1, ω₁ = 10000^(−2/4) = 1/100.  PE[1] = [sin 1, cos 1, sin 0.01, cos 0.01]
    const e = await explore(4, 3, 1);
    expect(Array.from(e.vector)).toEqual([0.841471, 0.540302, 0.0099998, 0.99995].map((v) => expect.closeTo(v, 5)));
    // Row 0 is [0, 1, 0, 1]; row 2 starts with sin 2 = 0.909297 and cos 2 = −0.416147.
    expect(Array.from(e.matrix.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(e.matrix[8]).toBeCloseTo(0.909297, 5);
    expect(e.matrix[9]).toBeCloseTo(-0.416147, 5);
    // PE[1]·PE[0] = cos 1 + cos 0.01 = 1.540252;  PE[1]·PE[1] = d/2 = 2;  PE[1]·PE[2] = the same as offset −1.
    expect(e.dots[0]).toBeCloseTo(1.540252, 5);
    expect(e.dots[1]).toBeCloseTo(2, 5);
    expect(e.dots[2]).toBeCloseTo(1.540252, 5);
    expect(e.wavelengths[0]).toBeCloseTo(2 * Math.PI, 6);
    expect(e.wavelengths[1]).toBeCloseTo(628.3185, 3);
  });

  test('the dot product depends on the offset alone, and equals Σ cos(offset · ωₘ)', async () => {
    const e = await explore(32, 64, 40);
    for (const j of [0, 13, 39, 40, 41, 63]) expect(e.dots[j]).toBeCloseTo(dotByOffset(j - 40, 32), 3);
    const f = await explore(32, 64, 10);
    expect(f.dots[15]).toBeCloseTo(e.dots[45]!, 3);   // offset +5 from 10 and from 40
    expect(f.dots[5]).toBeCloseTo(e.dots[45]!, 3);    // offset −5: symmetric
  });

  test('every vector has length √(d/2) and the largest wavelength is below 2π·10000', async () => {
    for (const d of WIDTHS) {
      const e = await explore(d, 16, 7);
      expect(Math.hypot(...e.vector)).toBeCloseTo(Math.sqrt(d / 2), 4);
      expect(e.wavelengths).toHaveLength(d / 2);
      expect(e.wavelengths.at(-1)!).toBeLessThan(2 * Math.PI * 10000);
      expect(wavelength(d / 2 - 1, d)).toBe(e.wavelengths.at(-1));
    }
  });

  test('bad input gets a message naming it, and nothing leaks', async () => {
    await expect(explore(5, 16, 0)).rejects.toThrow(/width d must be a positive even integer, got 5/);
    await expect(explore(8, 16, 16)).rejects.toThrow(/position must be an integer in 0 … 15, got 16/);
    const before = memory().liveTensors;
    await explore(64, 256, 100);
    expect(memory().liveTensors).toBe(before);
  });
});

describe('URL state', () => {
  test('round trip, defaults and snapping', () => {
    expect(parseState(serializeState(DEFAULT_STATE))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams(''))).toEqual(DEFAULT_STATE);
    expect(parseState(new URLSearchParams('d=30&T=100&pos=5'))).toEqual({ d: 32, T: 128, pos: 5 });
    // A position past the end is clamped to T − 1; junk falls back to the defaults.
    expect(parseState(new URLSearchParams('d=8&T=16&pos=99'))).toEqual({ d: 8, T: 16, pos: 15 });
    expect(parseState(new URLSearchParams('d=abc&T=-3&pos=1.5'))).toEqual(DEFAULT_STATE);
    expect(LENGTHS).toContain(DEFAULT_STATE.T);
  });
});
