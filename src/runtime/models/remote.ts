/**
 * Models from an address, for readers who are online: a public ONNX export of a causal language
 * model (GPT-2 small from Hugging Face, say), or a folder in the shipped-model layout (config.json,
 * tokenizer files, model.onnx). `probeRemoteModel` says what is there and how big it is before
 * anything large moves; `loadRemoteModel` downloads it with progress, can be cancelled, and keeps
 * it in Cache Storage like the shipped models. Every failure is a RemoteModelError in plain words.
 */
/// <reference types="@webgpu/types" />
import type { text } from '../../engine/index.ts';
import { CausalLmRunner } from './causal-lm.ts';
import { fetchModelFile, forgetModelFile, unreachable, type ProgressCallback } from './fetch-cached.ts';
import type { GptRunner } from './gpt.ts';
import { loadShippedModel, type ModelConfigJson } from './load.ts';
import type { OrtApi, Session } from './session.ts';

type Gpt2Tokenizer = InstanceType<typeof text.Gpt2Tokenizer>;

export class RemoteModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RemoteModelError';
  }
}

export interface RemoteProbe {
  /** The model.onnx (onnx) or the folder, ending in "/" (folder). */
  url: string;
  kind: 'onnx' | 'folder';
  /** Bytes of model.onnx, when the server (or config.json) says. */
  bytes: number | null;
  /** The model's name: the folder's or the file's. */
  name: string;
}

/** What the next-token view needs from either kind of model. */
export interface NextTokenModel {
  encode(prompt: string): number[];
  step(ids: readonly number[]): Promise<{ logits: Float32Array }>;
  tokenizer: { decode(ids: ArrayLike<number>): string };
}

export interface RemoteModel {
  probe: RemoteProbe;
  runner: NextTokenModel;
  session: Session;
  loadMs: number;
}

/** Reads the address a reader typed: an absolute http(s) URL of a .onnx file or of a folder. */
export function parseRemoteUrl(raw: string): Pick<RemoteProbe, 'url' | 'kind' | 'name'> {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new RemoteModelError(`“${raw.trim()}” is not a web address; give one starting with https://`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new RemoteModelError(`the address must start with https:// (it starts with ${u.protocol}//)`);
  const path = u.pathname;
  if (/\.onnx$/i.test(path)) return { url: u.href, kind: 'onnx', name: path.split('/').pop()! };
  if (path.endsWith('/config.json') || path.endsWith('/')) {
    const folder = new URL(path.endsWith('/') ? '.' : './', u);
    folder.search = '';
    const name = folder.pathname.split('/').filter(Boolean).pop() ?? folder.host;
    return { url: folder.href, kind: 'folder', name };
  }
  throw new RemoteModelError('give the address of a .onnx file, or of a model folder (ending in / or /config.json)');
}

async function fetchOrExplain(url: string, init: RequestInit = {}): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(url, init);
  } catch (err) {
    if (init.signal?.aborted) throw new RemoteModelError('cancelled', { cause: err });
    throw new RemoteModelError(unreachable(url), { cause: err });
  }
  if (!r.ok) throw new RemoteModelError(r.status === 404 ? `${url} does not exist (HTTP 404)` : `${url} answered HTTP ${r.status}`);
  return r;
}

/** What is at the address, and its size — before the download starts. */
export async function probeRemoteModel(raw: string, signal?: AbortSignal): Promise<RemoteProbe> {
  const at = parseRemoteUrl(raw);
  if (at.kind === 'folder') {
    const body = await (await fetchOrExplain(`${at.url}config.json`, { signal })).text();
    let config: ModelConfigJson;
    try {
      config = JSON.parse(body) as ModelConfigJson;
    } catch {
      throw new RemoteModelError(`${at.url}config.json is not JSON: the folder is not in the book's model layout`);
    }
    if (config.kind !== 'gpt') throw new RemoteModelError(`the folder holds a “${String(config.kind)}” model; this loader shows language models (kind “gpt”)`);
    return { ...at, bytes: config.files?.['model.onnx']?.bytes ?? null };
  }
  const head = await fetchOrExplain(at.url, { method: 'HEAD', signal });
  const length = head.headers.get('Content-Length');
  return { ...at, bytes: length !== null && /^\d+$/.test(length) ? Number(length) : null };
}

export interface RemoteLoadOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** GPT-2's tokenizer, for bare .onnx files (a folder brings its own). */
  gpt2Tokenizer: () => Promise<Gpt2Tokenizer>;
  /** Run on onnxruntime's WebGPU provider on this device (see load.ts); else wasm. */
  gpuDevice?: GPUDevice;
}

/** Downloads (or takes from the cache) and opens the model `probe` found. */
export async function loadRemoteModel(ort: OrtApi, probe: RemoteProbe, opts: RemoteLoadOptions): Promise<RemoteModel> {
  const t0 = performance.now();
  const fetchBytes = (url: string, onProgress?: ProgressCallback) => fetchModelFile(url, onProgress, opts.signal);
  const explain = (err: unknown): RemoteModelError =>
    err instanceof RemoteModelError ? err : new RemoteModelError(opts.signal?.aborted ? 'cancelled' : (err as Error).message, { cause: err });
  if (probe.kind === 'folder') {
    const base = probe.url.replace(/\/$/, '');
    const parent = base.slice(0, base.lastIndexOf('/'));
    try {
      const m = await loadShippedModel(ort, probe.name, { baseUrl: parent, onProgress: opts.onProgress, fetchBytes, ...(opts.gpuDevice ? { gpuDevice: opts.gpuDevice } : {}) });
      return { probe, runner: m.runner as GptRunner, session: m.session, loadMs: performance.now() - t0 };
    } catch (err) {
      throw explain(err);
    }
  }
  let session: Session;
  try {
    const bytes = await fetchBytes(probe.url, opts.onProgress);
    const executionProviders = opts.gpuDevice ? [{ name: 'webgpu' as const, device: opts.gpuDevice }, 'wasm'] : ['wasm'];
    session = await ort.InferenceSession.create(bytes, { executionProviders, graphOptimizationLevel: 'all', logSeverityLevel: 3 }).catch(async (err: unknown) => {
      await forgetModelFile(probe.url); // do not keep a file onnxruntime cannot open
      throw new RemoteModelError(`${probe.name} is not an ONNX model onnxruntime can open (${(err as Error).message})`, { cause: err });
    });
  } catch (err) {
    throw explain(err);
  }
  try {
    const runner = await CausalLmRunner.open(ort, session, await opts.gpt2Tokenizer());
    return { probe, runner, session, loadMs: performance.now() - t0 };
  } catch (err) {
    await session.release();
    throw new RemoteModelError(`${probe.name}: ${(err as Error).message}`, { cause: err });
  }
}
