// Recurrent layers (RNN, LSTM, GRU) and their single-step cells, as composites of primitives:
// autograd unrolls them through time (backpropagation through time) for free.
// Parameter names, gate order and formulas are torch's:
//   RNN  h' = act(W_ih x + b_ih + W_hh h + b_hh)
//   LSTM gates (i, f, g, o) = W_ih x + b_ih + W_hh h + b_hh;  c' = σf·c + σi·tanh g;  h' = σo·tanh c'
//   GRU  r, z = σ(W_i{r,z} x + b_i{r,z} + W_h{r,z} h + b_h{r,z})
//        n = tanh(W_in x + b_in + r·(W_hn h + b_hn));  h' = (1 − z)·n + z·h
import type { Tensor } from '../tensor.ts';
import { tidy } from '../memory.ts';
import { zeros } from '../ops/creation.ts';
import { add, mul, relu, sigmoid, sub, tanh } from '../ops/elementwise.ts';
import { linear } from '../ops/linalg.ts';
import { dropout } from '../ops/nn-functional.ts';
import { cat, chunk, select, squeeze, stack, transpose, unsqueeze } from '../ops/shape-ops.ts';
import { fmtShape } from '../shape.ts';
import { fusedGruCell, fusedLstmCell, fusedRnnLayer } from '../fused.ts';
import * as init from './init.ts';
import { Module } from './module.ts';

type CellKind = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

const GATES: Record<CellKind, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

interface CellWeights {
  wHh: Tensor;
  bHh: Tensor | null;
  /** LSTM with projSize: h' = W_hr (σo·tanh c'). */
  wHr?: Tensor | null;
}

/**
 * One time step given the input projection xp = W_ih x + b_ih [B, G·H] and the previous
 * state. Returns [h', c'] (c' only for LSTM).
 */
function cellStep(kind: CellKind, xp: Tensor, h: Tensor, c: Tensor | null, w: CellWeights): [Tensor, Tensor | null] {
  const hp = linear(h, w.wHh, w.bHh);
  switch (kind) {
    case 'RNN_TANH': return [tanh(add(xp, hp)), null];
    case 'RNN_RELU': return [relu(add(xp, hp)), null];
    case 'LSTM': {
      let [hNext, cNext] = fusedLstmCell(xp, hp, c!) ?? [null, null];
      if (!hNext || !cNext) {
        const [i, f, g, o] = chunk(add(xp, hp), 4, -1);
        cNext = add(mul(sigmoid(f), c!), mul(sigmoid(i), tanh(g)));
        hNext = mul(sigmoid(o), tanh(cNext));
      }
      return [w.wHr ? linear(hNext, w.wHr) : hNext, cNext];
    }
    case 'GRU': {
      const fused = fusedGruCell(xp, hp, h);
      if (fused) return [fused, null];
      const [xr, xz, xn] = chunk(xp, 3, -1);
      const [hr, hz, hn] = chunk(hp, 3, -1);
      const r = sigmoid(add(xr, hr));
      const z = sigmoid(add(xz, hz));
      const n = tanh(add(xn, mul(r, hn)));
      // (1 − z)·n + z·h, written n + z·(h − n)
      return [add(n, mul(z, sub(h, n))), null];
    }
  }
}

export interface RNNOptions {
  /** Stacked layers, each feeding the next (default 1). */
  numLayers?: number;
  /** 'tanh' (default) or 'relu' — RNN only. */
  nonlinearity?: 'tanh' | 'relu';
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature] (default false). */
  batchFirst?: boolean;
  /** Dropout on each layer's output except the last, in train mode (default 0). */
  dropout?: number;
  /**
   * A second RNN per layer reads the sequence backwards; outputs are [forward, backward]
   * concatenated on the feature dim (2·H), states stack as layer 0 forward, layer 0 backward, …
   * Parameters of the backward direction end in `_reverse`, as in torch (default false).
   */
  bidirectional?: boolean;
}

export interface LSTMOptions extends Omit<RNNOptions, 'nonlinearity'> {
  /**
   * Project each hidden state down to projSize features (weight_hr, [projSize, H]), as torch's
   * proj_size: outputs and h are projSize wide, c stays hiddenSize (default 0: no projection).
   */
  projSize?: number;
}

abstract class RNNBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bias: boolean;
  readonly bidirectional: boolean;
  /** LSTM only: width of the projected hidden state (0 = none). */
  readonly projSize: number;
  protected readonly kind: CellKind;

  constructor(kind: CellKind, inputSize: number, hiddenSize: number, opts: RNNOptions & { projSize?: number }) {
    super();
    const numLayers = opts.numLayers ?? 1;
    if (!Number.isInteger(hiddenSize) || hiddenSize <= 0) throw new Error(`${this.constructor.name}: hiddenSize must be a positive integer, got ${hiddenSize}`);
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new Error(`${this.constructor.name}: numLayers must be a positive integer, got ${numLayers}`);
    this.kind = kind;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    this.bias = opts.bias ?? true;
    this.bidirectional = opts.bidirectional ?? false;
    this.projSize = opts.projSize ?? 0;
    if (this.projSize && kind !== 'LSTM') throw new Error(`${this.constructor.name}: projSize is for LSTM only`);
    if (!Number.isInteger(this.projSize) || this.projSize < 0 || (this.projSize > 0 && this.projSize >= hiddenSize)) {
      throw new Error(`${this.constructor.name}: projSize must be an integer from 0 to hiddenSize − 1 (${hiddenSize - 1}), got ${opts.projSize}`);
    }
    const outSize = this.outputSize;
    const G = GATES[kind] * hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    const u = (shape: number[]): Tensor => init.uniform_(zeros(shape), -bound, bound);
    // torch's order: per layer, per direction, weight_ih, weight_hh, bias_ih, bias_hh
    for (let l = 0; l < numLayers; l++) {
      const inSize = l === 0 ? inputSize : outSize * this.directions;
      for (let d = 0; d < this.directions; d++) {
        const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${sfx}`, u([G, inSize]));
        this.registerParameter(`weight_hh${sfx}`, u([G, outSize]));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, u([G]));
          this.registerParameter(`bias_hh${sfx}`, u([G]));
        }
        if (this.projSize > 0) this.registerParameter(`weight_hr${sfx}`, u([this.projSize, hiddenSize]));
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Features of h and of each direction's output: projSize when set, else hiddenSize. */
  get outputSize(): number {
    return this.projSize || this.hiddenSize;
  }

  /**
   * Runs every layer over the sequence. input [T, B, in] (or [B, T, in] with batchFirst,
   * or unbatched [T, in]); h0/c0 [D·numLayers, B, H] (unbatched [D·numLayers, H]), zeros when
   * absent, D = 2 when bidirectional. Returns output [T, B, D·H] (batchFirst: [B, T, D·H]) and
   * the final states [D·numLayers, B, H]. With projSize, h0, hN and the output use P = projSize
   * in place of H (c0 and cN keep H).
   */
  protected run(input: Tensor, h0: Tensor | null, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
    const name = this.constructor.name;
    if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`${name}: input must be [seq, batch, ${this.inputSize}]${this.batchFirst ? ' ([batch, seq, ...] with batchFirst)' : ''} or unbatched [seq, ${this.inputSize}], got ${fmtShape(input.shape)}`);
    if (input.shape[input.ndim - 1] !== this.inputSize) throw new Error(`${name}: input has ${input.shape[input.ndim - 1]} features, expected inputSize ${this.inputSize} (input ${fmtShape(input.shape)})`);
    const unbatched = input.ndim === 2;
    if (input.shape[unbatched || !this.batchFirst ? 0 : 1] === 0) {
      throw new Error(`${name}: the input sequence is empty (input ${fmtShape(input.shape)}); it needs at least one step`);
    }
    return tidy(() => {
      // work in [T, B, F]
      let x = unbatched ? unsqueeze(input, 1) : this.batchFirst ? transpose(input, 0, 1) : input;
      const B = x.shape[1];
      const D = this.directions;
      const P = this.outputSize;
      const state = (s: Tensor | null, what: string, width: number): Tensor | null => {
        if (!s) return null;
        const expected = [D * this.numLayers, B, width];
        const s3 = unbatched ? unsqueeze(s, 1) : s;
        if (s3.ndim !== 3 || s3.shape.some((d, i) => d !== expected[i])) {
          throw new Error(`${name}: ${what} must be ${fmtShape(unbatched ? [D * this.numLayers, width] : expected)}, got ${fmtShape(s.shape)}`);
        }
        return s3;
      };
      const hInit = state(h0, 'h0', P);
      const cInit = state(c0, 'c0', this.hiddenSize);
      const T = x.shape[0];
      const hLast: Tensor[] = [];
      const cLast: Tensor[] = [];
      for (let l = 0; l < this.numLayers; l++) {
        const directionOutputs: Tensor[] = [];
        for (let d = 0; d < D; d++) {
          const sfx = `_l${l}${d === 1 ? '_reverse' : ''}`;
          const w = {
            wHh: this.getParameter(`weight_hh${sfx}`)!,
            bHh: this.bias ? this.getParameter(`bias_hh${sfx}`) : null,
            wHr: this.projSize > 0 ? this.getParameter(`weight_hr${sfx}`) : null,
          };
          // input projections for all time steps in one matmul: [T, B, G·H]
          const xp = linear(x, this.getParameter(`weight_ih${sfx}`)!, this.bias ? this.getParameter(`bias_ih${sfx}`) : null);
          const s = l * D + d;
          let h = hInit ? select(hInit, 0, s) : zeros([B, P]);
          let c = this.kind === 'LSTM' ? (cInit ? select(cInit, 0, s) : zeros([B, this.hiddenSize])) : null;
          // inference: the backend may run every step in one call (no graph to record)
          const layer = w.wHr ? null : fusedRnnLayer(this.kind, xp, w.wHh, w.bHh, h, c, d === 1);
          if (layer) {
            directionOutputs.push(layer[0]);
            hLast.push(select(layer[0], 0, d === 0 ? T - 1 : 0));
            if (layer[1]) cLast.push(layer[1]);
            continue;
          }
          const outs: Tensor[] = new Array(T);
          // the backward direction reads x[T-1] first; its output at t is its state after x[t]
          for (let i = 0; i < T; i++) {
            const t = d === 0 ? i : T - 1 - i;
            [h, c] = cellStep(this.kind, select(xp, 0, t), h, c, w);
            outs[t] = h;
          }
          hLast.push(h);
          if (c) cLast.push(c);
          directionOutputs.push(stack(outs, 0));
        }
        x = D === 1 ? directionOutputs[0] : cat(directionOutputs, -1);
        if (this.dropout > 0 && this.training && l < this.numLayers - 1) x = dropout(x, this.dropout, true);
      }
      const output = unbatched ? squeeze(x, 1) : this.batchFirst ? transpose(x, 0, 1) : x;
      let hN = stack(hLast, 0);
      let cN = cLast.length > 0 ? stack(cLast, 0) : null;
      if (unbatched) {
        hN = squeeze(hN, 1);
        if (cN) cN = squeeze(cN, 1);
      }
      return [output, hN, cN] as [Tensor, Tensor, Tensor | null];
    });
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.kind === 'RNN_RELU') s += ", nonlinearity='relu'";
    if (!this.bias) s += ', bias=false';
    if (this.batchFirst) s += ', batch_first=true';
    if (this.dropout) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += ', bidirectional=true';
    if (this.projSize) s += `, proj_size=${this.projSize}`;
    return s;
  }
}

/** Elman RNN. forward(input, h0?) → [output, hN]. See RNNOptions for shapes. */
export class RNN extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nl = opts.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu') throw new Error(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(nl)}'`);
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
  }

  forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const [out, h] = this.run(input, h0, null);
    return [out, h];
  }
}

/** Long short-term memory. forward(input, [h0, c0]?) → [output, [hN, cN]]. Gates i, f, g, o. */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super('LSTM', inputSize, hiddenSize, opts);
  }

  forward(input: Tensor, state: readonly [Tensor, Tensor] | null = null): [Tensor, [Tensor, Tensor]] {
    const [out, h, c] = this.run(input, state ? state[0] : null, state ? state[1] : null);
    return [out, [h, c!]];
  }
}

/** Gated recurrent unit. forward(input, h0?) → [output, hN]. Gates r, z, n. */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: Omit<RNNOptions, 'nonlinearity'> = {}) {
    super('GRU', inputSize, hiddenSize, opts);
  }

  forward(input: Tensor, h0: Tensor | null = null): [Tensor, Tensor] {
    const [out, h] = this.run(input, h0, null);
    return [out, h];
  }
}

abstract class CellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  protected readonly kind: CellKind;

  constructor(kind: CellKind, inputSize: number, hiddenSize: number, bias: boolean) {
    super();
    this.kind = kind;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    const G = GATES[kind] * hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    const u = (shape: number[]): Tensor => init.uniform_(zeros(shape), -bound, bound);
    this.registerParameter('weight_ih', u([G, inputSize]));
    this.registerParameter('weight_hh', u([G, hiddenSize]));
    this.registerParameter('bias_ih', bias ? u([G]) : null);
    this.registerParameter('bias_hh', bias ? u([G]) : null);
  }

  /** One step: x [B, in] (or [in]), h/c [B, H] (or [H]); zeros when absent. */
  protected step(x: Tensor, h: Tensor | null, c: Tensor | null): [Tensor, Tensor | null] {
    if (x.shape[x.ndim - 1] !== this.inputSize) throw new Error(`${this.constructor.name}: input ${fmtShape(x.shape)} must end in inputSize ${this.inputSize}`);
    return tidy(() => {
      const stateShape = [...x.shape.slice(0, -1), this.hiddenSize];
      const xp = linear(x, this.getParameter('weight_ih')!, this.getParameter('bias_ih'));
      const h0 = h ?? zeros(stateShape);
      const c0 = this.kind === 'LSTM' ? c ?? zeros(stateShape) : null;
      return cellStep(this.kind, xp, h0, c0, { wHh: this.getParameter('weight_hh')!, bHh: this.getParameter('bias_hh') });
    });
  }
}

/** One RNN step: forward(x, h?) → h'. */
export class RNNCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, opts: { bias?: boolean; nonlinearity?: 'tanh' | 'relu' } = {}) {
    super((opts.nonlinearity ?? 'tanh') === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts.bias ?? true);
  }

  forward(x: Tensor, h: Tensor | null = null): Tensor {
    return this.step(x, h, null)[0];
  }
}

/** One LSTM step: forward(x, [h, c]?) → [h', c']. */
export class LSTMCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, opts: { bias?: boolean } = {}) {
    super('LSTM', inputSize, hiddenSize, opts.bias ?? true);
  }

  forward(x: Tensor, state: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [h, c] = this.step(x, state ? state[0] : null, state ? state[1] : null);
    return [h, c!];
  }
}

/** One GRU step: forward(x, h?) → h'. */
export class GRUCell extends CellBase {
  constructor(inputSize: number, hiddenSize: number, opts: { bias?: boolean } = {}) {
    super('GRU', inputSize, hiddenSize, opts.bias ?? true);
  }

  forward(x: Tensor, h: Tensor | null = null): Tensor {
    return this.step(x, h, null)[0];
  }
}
