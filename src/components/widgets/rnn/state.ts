// The BPTT gradient widget's state and its URL form (?act=tanh&rho=1.00&T=40), shared by the
// chapter, the embed page and the "Copy embed code" snippet.
import { ACTIVATIONS, type Activation } from './bptt.ts';

export interface RnnGradientsState {
  activation: Activation;
  /** Spectral radius of W_hh. */
  rho: number;
  /** Sequence length T. */
  steps: number;
}

export const RHO_MIN = 0.5;
export const RHO_MAX = 3;
export const RHO_STEP = 0.05;
export const STEPS_MIN = 5;
export const STEPS_MAX = 60;

export const DEFAULT_STATE: RnnGradientsState = { activation: 'tanh', rho: 1, steps: 40 };

/** ρ clamped to the slider's range and rounded to its step. */
export function clampRho(rho: number): number {
  if (!Number.isFinite(rho)) return DEFAULT_STATE.rho;
  const r = Math.round(Math.min(RHO_MAX, Math.max(RHO_MIN, rho)) / RHO_STEP) * RHO_STEP;
  return Number(r.toFixed(2));
}

export function clampSteps(steps: number): number {
  if (!Number.isFinite(steps)) return DEFAULT_STATE.steps;
  return Math.round(Math.min(STEPS_MAX, Math.max(STEPS_MIN, steps)));
}

/** Reads the state from a query string; missing or bad values fall back to the defaults. */
export function parseState(params: URLSearchParams): RnnGradientsState {
  const act = params.get('act');
  const rho = params.get('rho');
  const steps = params.get('T');
  return {
    activation: ACTIVATIONS.includes(act as Activation) ? (act as Activation) : DEFAULT_STATE.activation,
    rho: rho === null || rho.trim() === '' ? DEFAULT_STATE.rho : clampRho(Number(rho)),
    steps: steps === null || steps.trim() === '' ? DEFAULT_STATE.steps : clampSteps(Number(steps)),
  };
}

export function serializeState(state: RnnGradientsState): URLSearchParams {
  return new URLSearchParams({ act: state.activation, rho: formatRho(state.rho), T: String(state.steps) });
}

/** ρ as the readout and the URL show it: two decimals. */
export function formatRho(rho: number): string {
  return rho.toFixed(2);
}
