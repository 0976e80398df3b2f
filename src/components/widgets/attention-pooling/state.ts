// The attention-pooling widget's state and its URL form (?kernel=gaussian&sigma=0.5), shared by
// the chapter, the embed page and the "Copy embed code" snippet.
import { KERNELS, type Kernel } from './kernels.ts';

export interface AttentionPoolingState {
  kernel: Kernel;
  sigma: number;
}

export const SIGMA_MIN = 0.05;
export const SIGMA_MAX = 2;
export const SIGMA_STEP = 0.01;

export const DEFAULT_STATE: AttentionPoolingState = { kernel: 'gaussian', sigma: 0.5 };

/** σ clamped to the slider's range and rounded to its step (what the slider can show). */
export function clampSigma(sigma: number): number {
  if (!Number.isFinite(sigma)) return DEFAULT_STATE.sigma;
  const clamped = Math.min(SIGMA_MAX, Math.max(SIGMA_MIN, sigma));
  return Math.round(clamped / SIGMA_STEP) * SIGMA_STEP;
}

/** Reads the state from a query string; missing or bad values fall back to the defaults. */
export function parseState(params: URLSearchParams): AttentionPoolingState {
  const kernel = params.get('kernel');
  const sigma = params.get('sigma');
  return {
    kernel: KERNELS.includes(kernel as Kernel) ? (kernel as Kernel) : DEFAULT_STATE.kernel,
    sigma: sigma === null || sigma.trim() === '' ? DEFAULT_STATE.sigma : clampSigma(Number(sigma)),
  };
}

export function serializeState(state: AttentionPoolingState): URLSearchParams {
  return new URLSearchParams({ kernel: state.kernel, sigma: formatSigma(state.sigma) });
}

/** σ as the readout and the URL show it: two decimals. */
export function formatSigma(sigma: number): string {
  return sigma.toFixed(2);
}
