// The lstm-gates widget's state and its URL form (?input=pulse&forget=3&in=-2&out=2&t=1).
import { INPUT_NAMES, SEQ_STEPS, type InputName } from './lstm-unit.ts';
import type { LSTMPart } from '../../diagrams/LSTMCell.tsx';

export interface LSTMGatesState {
  input: InputName;
  forgetBias: number;
  inputBias: number;
  outputBias: number;
  /** Selected time step, 1..SEQ_STEPS: the diagram shows its activations. */
  step: number;
  /** The part of the cell whose equation is shown. */
  part: LSTMPart;
}

export const BIAS_MIN = -4;
export const BIAS_MAX = 6;
export const BIAS_STEP = 0.5;
const PARTS: readonly LSTMPart[] = ['f', 'i', 'g', 'o', 'c', 'h'];

export const DEFAULT_STATE: LSTMGatesState = { input: 'pulse', forgetBias: 3, inputBias: -2, outputBias: 2, step: SEQ_STEPS, part: 'c' };

export function clampBias(v: number, fallback: number): number {
  if (!Number.isFinite(v)) return fallback;
  return Math.round(Math.min(BIAS_MAX, Math.max(BIAS_MIN, v)) / BIAS_STEP) * BIAS_STEP;
}

export function clampStep(v: number): number {
  if (!Number.isFinite(v)) return DEFAULT_STATE.step;
  return Math.min(SEQ_STEPS, Math.max(1, Math.round(v)));
}

function num(params: URLSearchParams, key: string): number {
  const raw = params.get(key);
  return raw === null || raw.trim() === '' ? NaN : Number(raw);
}

/** Reads the state from a query string; missing or bad values fall back to the defaults. */
export function parseState(params: URLSearchParams): LSTMGatesState {
  const input = params.get('input');
  const part = params.get('part');
  return {
    input: INPUT_NAMES.includes(input as InputName) ? (input as InputName) : DEFAULT_STATE.input,
    forgetBias: clampBias(num(params, 'forget'), DEFAULT_STATE.forgetBias),
    inputBias: clampBias(num(params, 'in'), DEFAULT_STATE.inputBias),
    outputBias: clampBias(num(params, 'out'), DEFAULT_STATE.outputBias),
    step: clampStep(num(params, 't')),
    part: PARTS.includes(part as LSTMPart) ? (part as LSTMPart) : DEFAULT_STATE.part,
  };
}

export function serializeState(s: LSTMGatesState): URLSearchParams {
  return new URLSearchParams({
    input: s.input,
    forget: String(s.forgetBias),
    in: String(s.inputBias),
    out: String(s.outputBias),
    t: String(s.step),
    part: s.part,
  });
}
