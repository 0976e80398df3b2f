/**
 * Loads a shipped model from public/models/<name>/: config.json, the tokenizer files and
 * model.onnx (with progress, cached in Cache Storage), checks the ONNX bytes against the
 * config's SHA-256, and builds the runner on an onnxruntime session. Every failure says which
 * model and which file, and a damaged cached copy is dropped so a reload fetches it again.
 */
/// <reference types="@webgpu/types" />
import { text } from '../../engine/index.ts';
import { BertRunner, type BertConfigJson } from './bert.ts';
import { fetchModelFile, forgetModelFile, ModelFileError, type ProgressCallback } from './fetch-cached.ts';
import { ForecasterRunner, type ForecasterConfigJson, type Series } from './forecaster.ts';
import { GptRunner, type GptConfigJson } from './gpt.ts';
import { readOnnxInitializers } from './onnx-weights.ts';
import { Seq2SeqRunner, type Seq2SeqConfigJson } from './seq2seq.ts';
import { tokenizerFor } from './tokenizer.ts';
import type { ModelProvider, OrtApi, Session } from './session.ts';

export const SHIPPED_MODELS = ['gpt-sotu', 'bert-sotu', 'seq2seq-dates', 'lstm-births', 'gpt-sotu-student', 't5-mini'] as const;
export type ShippedModelName = (typeof SHIPPED_MODELS)[number];

export interface FileInfo {
  bytes: number;
  sha256: string;
}

export type ModelConfigJson = (GptConfigJson | BertConfigJson | Seq2SeqConfigJson | ForecasterConfigJson) & {
  params: number;
  files: Record<string, FileInfo>;
  tokenizer?: { encoder?: string; merges?: string; vocab?: string; specialTokens?: string[]; specialIds?: Record<string, number> };
  series?: string;
};

export type Runner = GptRunner | BertRunner | Seq2SeqRunner | ForecasterRunner;

export interface LoadedModel<R extends Runner = Runner> {
  name: string;
  config: ModelConfigJson;
  runner: R;
  session: Session;
  /** The model.onnx bytes (the engine reads its weights from them). */
  onnx: Uint8Array;
  /** Milliseconds from the first request to a ready session. */
  loadMs: number;
  /** The execution provider the session was opened with. */
  provider: ModelProvider;
}

export interface LoadOptions {
  /** Where public/models is served (default `${import.meta.env.BASE_URL}models`). */
  baseUrl?: string;
  onProgress?: ProgressCallback;
  /** Fetch used for the small JSON/text files (tests pass a file reader). */
  fetchText?: (url: string) => Promise<string>;
  /** Fetch used for model.onnx (default: Cache Storage + progress). */
  fetchBytes?: (url: string, onProgress?: ProgressCallback) => Promise<Uint8Array>;
  /**
   * Run on onnxruntime's WebGPU provider on this device (pass `onnxruntime-web/webgpu` as `ort`);
   * operators it lacks fall back to wasm. Without it the session uses the wasm provider.
   */
  gpuDevice?: GPUDevice;
}

export class ModelLoadError extends Error {
  constructor(readonly model: string, message: string, options?: { cause?: unknown }) {
    super(`Model “${model}”: ${message}`, options);
    this.name = 'ModelLoadError';
  }
}

function defaultBase(): string {
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  return `${base.replace(/\/$/, '')}/models`;
}

async function defaultFetchText(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new ModelFileError(r.status === 404 ? `file ${url} is missing (HTTP 404)` : `could not download ${url} (HTTP ${r.status})`, url);
  return r.text();
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null; // insecure origin: skip the checksum, the ONNX parse still guards
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseJson<T>(model: string, file: string, body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch (err) {
    throw new ModelLoadError(model, `${file} is not valid JSON (${(err as Error).message})`);
  }
}

/** Loads one shipped model onto the given onnxruntime (see ort-web.ts for pages). */
export async function loadShippedModel(ort: OrtApi, name: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  const t0 = performance.now();
  const base = `${opts.baseUrl ?? defaultBase()}/${name}`;
  const getText = opts.fetchText ?? defaultFetchText;
  const getBytes = opts.fetchBytes ?? fetchModelFile;
  const wrap = async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (err) {
      if (err instanceof ModelLoadError) throw err;
      throw new ModelLoadError(name, (err as Error).message, { cause: err });
    }
  };
  const config = parseJson<ModelConfigJson>(name, 'config.json', await wrap(() => getText(`${base}/config.json`)));
  const onnxInfo = config.files?.['model.onnx'];
  // The checksum in the URL makes a retrained model a new cache entry.
  const onnxUrl = `${base}/model.onnx${onnxInfo ? `?v=${onnxInfo.sha256.slice(0, 12)}` : ''}`;
  const onnx = await wrap(() => getBytes(onnxUrl, opts.onProgress));
  const damaged = async (why: string, cause?: unknown): Promise<never> => {
    await forgetModelFile(onnxUrl);
    throw new ModelLoadError(name, `model.onnx is damaged or not an ONNX model (${why}); reload the page to download it again`, { cause });
  };
  if (onnxInfo) {
    if (onnx.byteLength !== onnxInfo.bytes) await damaged(`${onnx.byteLength} bytes, expected ${onnxInfo.bytes}`);
    const hash = await sha256Hex(onnx);
    if (hash !== null && hash !== onnxInfo.sha256) await damaged('checksum mismatch');
  }
  try {
    readOnnxInitializers(onnx);
  } catch (err) {
    await damaged((err as Error).message, err);
  }
  const provider: ModelProvider = opts.gpuDevice ? 'webgpu' : 'wasm';
  let session: Session;
  try {
    session = await ort.InferenceSession.create(onnx, {
      executionProviders: opts.gpuDevice ? [{ name: 'webgpu', device: opts.gpuDevice }, 'wasm'] : ['wasm'],
      graphOptimizationLevel: 'all',
      // Errors only: ORT warns on every WebGPU session that shape ops stay on the CPU (by design).
      logSeverityLevel: 3,
    });
  } catch (err) {
    // The bytes parsed above, so a WebGPU failure is the provider's, not a damaged file.
    if (provider === 'webgpu') throw new ModelLoadError(name, `onnxruntime's WebGPU provider could not open it (${(err as Error).message}); run the models on the CPU instead`, { cause: err });
    return damaged(`onnxruntime could not open it: ${(err as Error).message}`, err);
  }
  const runner = await wrap(() => buildRunner(ort, session, config, base, getText));
  return { name, config, runner, session, onnx, loadMs: performance.now() - t0, provider };
}

async function buildRunner(ort: OrtApi, session: Session, config: ModelConfigJson, base: string, getText: (url: string) => Promise<string>): Promise<Runner> {
  switch (config.kind) {
    case 'gpt':
    case 'bert': {
      const tokenizer = (await tokenizerFor(config, (file) => getText(`${base}/${file}`))) as InstanceType<typeof text.Gpt2Tokenizer>;
      return config.kind === 'gpt' ? new GptRunner(ort, session, tokenizer, config) : new BertRunner(ort, session, tokenizer, config);
    }
    case 'seq2seq': {
      const tokenizer = (await tokenizerFor(config, (file) => getText(`${base}/${file}`))) as InstanceType<typeof text.CharTokenizer>;
      return new Seq2SeqRunner(ort, session, tokenizer, config);
    }
    case 'lstm-forecaster': {
      const series = JSON.parse(await getText(`${base}/${config.series}`)) as Series;
      return new ForecasterRunner(ort, session, config, series);
    }
    default:
      throw new Error(`unknown model kind ${(config as { kind: string }).kind} in config.json`);
  }
}
