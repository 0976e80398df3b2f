/** The shipped LSTM forecaster on onnxruntime: one day ahead, or rolled forward on its own output. */
import type { OrtApi, Session } from './session.ts';
import { run } from './session.ts';

export interface ForecasterConfigJson {
  kind: 'lstm-forecaster';
  config: { inputSize: 1; hiddenSize: number; window: number };
  normalisation: { mean: number; std: number };
  validationStart: string;
}

export interface Series {
  source: string;
  /** ISO date of the first value. */
  start: string;
  births: number[];
}

export class ForecasterRunner {
  constructor(
    readonly ort: OrtApi,
    readonly session: Session,
    readonly config: ForecasterConfigJson,
    readonly series: Series,
  ) {}

  get window(): number {
    return this.config.config.window;
  }

  /** The next value after `history` (raw units; the last `window` values are used). */
  async predictNext(history: readonly number[]): Promise<number> {
    if (history.length < this.window) throw new Error(`forecaster: needs the last ${this.window} values, got ${history.length}`);
    const { mean, std } = this.config.normalisation;
    const z = Float32Array.from(history.slice(-this.window), (v) => (v - mean) / std);
    const out = await run(this.session, { window: new this.ort.Tensor('float32', z, [1, this.window, 1]) });
    return (out.prediction!.data as Float32Array)[0]! * std + mean;
  }

  /** `days` values ahead, each fed back as input for the next (autoregressive rollout). */
  async forecast(history: readonly number[], days: number): Promise<number[]> {
    const seen = history.slice(-this.window);
    const out: number[] = [];
    for (let d = 0; d < days; d++) {
      const next = await this.predictNext(seen);
      out.push(next);
      seen.push(next);
      seen.shift();
    }
    return out;
  }

  /** ISO date of index i of the series. */
  dateAt(i: number): string {
    const d = new Date(`${this.series.start}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + i);
    return d.toISOString().slice(0, 10);
  }
}
