// The parameter-count explorer's arithmetic and URL state, checked against counts worked out by
// hand, against the published sizes, and against the engine's own modules (numParameters()).
import { describe, expect, test } from 'vitest';
import { nn } from '../../src/engine/index.ts';
import { PRESETS, flopsPerToken, humanBytes, humanCount, memoryBytes, paramBreakdown } from '../../src/components/widgets/transformer/params.ts';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/transformer/state.ts';

describe('parameter counts', () => {
  test("nano-gpt by hand: deck 001's 85,584", () => {
    const b = paramBreakdown(PRESETS['nano-gpt']!);
    // d = 48: attention 4·48² + 4·48 = 9,408; FFN 2·48·192 + 192 + 48 = 18,672; norms 4·48 = 192.
    expect(b.perBlock).toBe(9408 + 18672 + 192);
    expect(b.tokenEmbedding).toBe(3 * 48);
    expect(b.positionEmbedding).toBe(11 * 48);
    expect(b.norms).toBe(3 * 192 + 96);
    expect(b.outputLayer).toBe(0);
    expect(b.total).toBe(85584);
    expect(paramBreakdown({ ...PRESETS['nano-gpt']!, tied: false }).total).toBe(85584 + 144);
  });

  test('published sizes: GPT-2 small 124 M, GPT-2 XL 1.5 B, GPT-3 175 B', () => {
    expect(paramBreakdown(PRESETS['GPT-2 small']!).total).toBe(124439808);
    expect(paramBreakdown(PRESETS['GPT-2 XL']!).total).toBe(1557611200);
    expect(Math.abs(paramBreakdown(PRESETS['GPT-3']!).total / 1e9 - 175)).toBeLessThan(1);
    expect(humanCount(124439808)).toBe('124.4 M');
    expect(humanCount(85584)).toBe('85,584');
  });

  test("a block's count equals the engine's TransformerEncoderLayer, heads included or not", () => {
    for (const [d, h, ffMult] of [[8, 2, 4], [12, 3, 2], [16, 1, 4], [16, 8, 4]] as const) {
      const layer = new nn.TransformerEncoderLayer(d, h, { dimFeedforward: ffMult * d });
      const b = paramBreakdown({ V: 5, T: 7, d, N: 1, h, ffMult, tied: true });
      expect(b.perBlock, `d=${d} h=${h} ff=${ffMult}d`).toBe(layer.numParameters());
    }
  });

  test('FLOPs and memory by hand for nano-gpt', () => {
    const c = PRESETS['nano-gpt']!;
    // 2 × (attention 28,224 + FFN 56,016 + read-out 144) + 2·N·T·d = 168,768 + 3,168
    expect(flopsPerToken(c)).toBe(171936);
    expect(memoryBytes(c)).toEqual({ fp32: 4 * 85584, fp16: 2 * 85584, kvCache: 2 * 2 * 3 * 11 * 48 });
    expect(humanBytes(4 * 124439808)).toBe('498 MB');
  });
});

describe('URL state', () => {
  test('round trip and defaults', () => {
    const s = { V: 100, T: 64, d: 32, N: 2, h: 4, ffMult: 2, tied: false };
    expect(parseState(serializeState(s))).toEqual(s);
    expect(parseState(new URLSearchParams())).toEqual(DEFAULT_STATE);
    expect(DEFAULT_STATE).toEqual(PRESETS['GPT-2 small']);
  });

  test('bad values fall back or are clamped', () => {
    const s = parseState(new URLSearchParams('V=banana&d=-5&N=1e9&h=2.6&tied=maybe'));
    expect(s.V).toBe(DEFAULT_STATE.V);
    expect(s.d).toBe(1);
    expect(s.N).toBe(1000);
    expect(s.h).toBe(3);
    expect(s.tied).toBe(DEFAULT_STATE.tied);
  });
});
