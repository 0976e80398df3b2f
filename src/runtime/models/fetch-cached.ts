/**
 * Fetches a model file with byte-level progress and keeps it in Cache Storage, so a reader
 * downloads each model once. Falls back to a plain fetch where Cache Storage is missing
 * (Node, insecure origins).
 */

export const MODEL_CACHE = 'attention-lab-models-v1';

export interface Progress {
  /** Which file is loading (its URL). */
  url: string;
  loaded: number;
  /** From Content-Length; null when the server did not say. */
  total: number | null;
  fromCache: boolean;
}

export type ProgressCallback = (p: Progress) => void;

export class ModelFileError extends Error {
  constructor(message: string, readonly url: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

function cacheStorage(): CacheStorage | null {
  return typeof caches === 'undefined' ? null : caches;
}

async function readWithProgress(response: Response, url: string, fromCache: boolean, onProgress?: ProgressCallback): Promise<Uint8Array> {
  const header = response.headers.get('Content-Length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.({ url, loaded: bytes.byteLength, total: bytes.byteLength, fromCache });
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress?.({ url, loaded, total, fromCache });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress?.({ url, loaded, total, fromCache });
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

/** Why a fetch that threw got no answer, in plain words (the browser does not tell which it was). */
export function unreachable(url: string): string {
  let host = url;
  try {
    host = new URL(url, globalThis.location?.href).host;
  } catch {
    // not a URL we can parse: name it whole
  }
  return `no answer from ${host}: you may be offline, or the server does not let other sites read its files (CORS)`;
}

function fetchFailure(url: string, err: unknown, signal?: AbortSignal): ModelFileError {
  if (signal?.aborted) return new ModelFileError('download cancelled', url);
  return new ModelFileError(`could not download ${url} — ${unreachable(url)} (${(err as Error).message})`, url);
}

/**
 * The file's bytes, from Cache Storage when there, else from the network (then cached).
 * `signal` cancels the download (a ModelFileError "download cancelled").
 */
export async function fetchModelFile(url: string, onProgress?: ProgressCallback, signal?: AbortSignal): Promise<Uint8Array> {
  const storage = cacheStorage();
  const cache = storage ? await storage.open(MODEL_CACHE).catch(() => null) : null;
  const hit = cache ? await cache.match(url) : undefined;
  if (hit) return readWithProgress(hit, url, true, onProgress);
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : undefined);
  } catch (err) {
    throw fetchFailure(url, err, signal);
  }
  if (!response.ok) {
    throw new ModelFileError(
      response.status === 404 ? `model file ${url} is missing (HTTP 404)` : `could not download ${url} (HTTP ${response.status})`,
      url,
    );
  }
  const bytes = await readWithProgress(response, url, false, onProgress).catch((err: unknown) => {
    throw fetchFailure(url, err, signal);
  });
  if (cache) {
    const headers = { 'Content-Type': response.headers.get('Content-Type') ?? 'application/octet-stream', 'Content-Length': String(bytes.byteLength) };
    await cache.put(url, new Response(bytes.slice(), { headers })).catch(() => undefined); // quota: just don't cache
  }
  return bytes;
}

/** Drops a file from the cache (after it turned out damaged), so the next load refetches it. */
export async function forgetModelFile(url: string): Promise<void> {
  const storage = cacheStorage();
  if (!storage) return;
  const cache = await storage.open(MODEL_CACHE).catch(() => null);
  await cache?.delete(url);
}
