// Fills the service worker's caches from the page: what a page needs once it has been read, and a
// whole part of the book ahead of time ("Reading offline"). The worker (scripts/offline-sw.mjs)
// serves from the same caches, under the same names.
import { MODEL_CACHE } from '../../runtime/models/fetch-cached.ts';
import { ASSETS_CACHE, DATA_CACHE, MISC_CACHE, OFFLINE_MANIFEST, PAGES_CACHE, type OfflineManifest } from './cache-names.ts';

export type FileRow = [url: string, bytes: number];

let manifest: Promise<OfflineManifest> | null = null;

/**
 * The build's offline manifest (precached by the worker, so it answers offline too): that of the
 * worker that controls the page. `fresh` asks again (a new worker may have taken over since).
 */
export function offlineManifest({ fresh = false } = {}): Promise<OfflineManifest> {
  if (fresh) manifest = null;
  manifest ??= fetch(OFFLINE_MANIFEST).then((r) => {
    if (!r.ok) throw new Error(`${OFFLINE_MANIFEST}: HTTP ${r.status}`);
    return r.json() as Promise<OfflineManifest>;
  });
  manifest.catch(() => (manifest = null));
  return manifest;
}

/** Which cache keeps a URL of this site. */
export function cacheFor(url: string): string {
  const path = new URL(url, location.href).pathname;
  if (path.endsWith('/') || path.endsWith('.html')) return PAGES_CACHE;
  if (path.startsWith('/models/') && path.endsWith('.onnx')) return MODEL_CACHE;
  if (path.startsWith('/models/') || path.startsWith('/data/')) return DATA_CACHE;
  return ASSETS_CACHE;
}

/** The page path as the manifest names it ('/rnn' and '/rnn/index.html' → '/rnn/'). */
export function pageKey(path: string): string {
  const p = path.replace(/index\.html$/, '');
  return p.endsWith('/') ? p : `${p}/`;
}

/** Everything reading these pages offline needs; with the editor and models if asked. */
export function filesFor(m: OfflineManifest, pages: string[], { editor = false, models = false } = {}): FileRow[] {
  const picked = new Set<number>();
  for (const p of pages) {
    const page = m.pages[pageKey(p)];
    if (!page) continue;
    page.files.forEach((i) => picked.add(i));
    if (editor && page.editor) m.editor.forEach((i) => picked.add(i));
    if (models && page.models) m.models.forEach((i) => picked.add(i));
  }
  return [...picked].sort((a, b) => a - b).map((i) => m.files[i]!);
}

/** Whether the browser already holds this URL in any of the site's caches (the precache too). */
export async function isStored(url: string): Promise<boolean> {
  return (await caches.match(url, { ignoreSearch: true })) !== undefined;
}

/** The rows not yet stored. */
export async function missing(rows: FileRow[]): Promise<FileRow[]> {
  const stored = await Promise.all(rows.map(([url]) => isStored(url)));
  return rows.filter((_, i) => !stored[i]);
}

export interface StoreProgress {
  doneBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
}

/** Downloads the rows into their caches, a few at a time; rejects with the first failure. */
export async function store(rows: FileRow[], onProgress?: (p: StoreProgress) => void, signal?: AbortSignal): Promise<void> {
  const totalBytes = rows.reduce((s, [, b]) => s + b, 0);
  const progress = { doneBytes: 0, totalBytes, doneFiles: 0, totalFiles: rows.length };
  onProgress?.({ ...progress });
  const queue = [...rows];
  const opened = new Map<string, Promise<Cache>>();
  const cache = (name: string) => {
    if (!opened.has(name)) opened.set(name, caches.open(name));
    return opened.get(name)!;
  };
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      signal?.throwIfAborted();
      const [url, bytes] = row;
      const response = await fetch(url, { signal, cache: 'no-cache' });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      await (await cache(cacheFor(url))).put(url, response);
      progress.doneBytes += bytes;
      progress.doneFiles += 1;
      onProgress?.({ ...progress });
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, rows.length) }, worker));
}

/**
 * After a page has been read online: keeps the page and what it needs to run (cells' runtime and
 * engine, its widgets, the fonts and data it loaded), so it opens, runs and draws offline. The
 * editor and the models are kept by the worker when the reader first uses them.
 */
export async function keepPageOffline(path: string): Promise<void> {
  if (typeof caches === 'undefined') return;
  const rows: FileRow[] = [];
  try {
    rows.push(...filesFor(await offlineManifest(), [path]));
  } catch {
    rows.push([pageKey(path), 0]);
  }
  // What this page fetched before the worker controlled it (its first visit): fonts, data sets.
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name);
    if (url.origin !== location.origin || url.pathname.endsWith('.onnx')) continue;
    if (/^\/(_astro|data|models)\//.test(url.pathname)) rows.push([url.pathname, 0]);
  }
  const unique = [...new Map(rows.map((r) => [r[0], r])).values()];
  await store(await missing(unique));
}

/** Where the page records the build that the kept pages were last brought up to. */
export const BUILD_KEY = 'attention-lab-offline-build';

/** Whether a path names a page (its HTML) rather than a file. */
function isPage(path: string): boolean {
  return path.endsWith('/') || path.endsWith('.html');
}

/**
 * Once per build: brings every page kept under an older build up to this one, and lets go of what
 * older builds left in the caches. An update drops the old build's precache (the shared styles and
 * scripts, renamed by the new build), so a page kept before it would open offline without them:
 * each kept page is fetched again (from the network: the worker leaves a script's page requests
 * alone) with the files it now needs. The build is recorded only when that succeeded, so a failure
 * (offline, a server error, the page closed midway, as the update's own reload does) is tried
 * again on the next page load. The first visit records its build the same way (nothing is kept
 * yet, or only pages to fetch again), so no build is ever skipped.
 */
export async function refreshKeptPages(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const m = await offlineManifest({ fresh: true });
  if (localStorage.getItem(BUILD_KEY) === m.build) return;
  const pagesCache = await caches.open(PAGES_CACHE);
  const kept = await pagesCache.keys();
  const pages = [...new Set(kept.map((r) => pageKey(new URL(r.url).pathname)))].filter((p) => m.pages[p]);
  // The pages themselves always (the cached copies are an older build's), their files if missing.
  await store([...pages.map((p): FileRow => [p, 0]), ...(await missing(filesFor(m, pages)))]);
  await dropOlderBuilds(m, kept);
  localStorage.setItem(BUILD_KEY, m.build);
}

/**
 * What older builds left: their hashed assets (every build renames what changed, so without this
 * the assets cache grows by a build's changed files with every update the reader sees), copies of
 * pages this build no longer has or under another address (a query, index.html), and the copies
 * of pages an older worker kept in its misc cache. Run only after the kept pages were fetched again.
 */
async function dropOlderBuilds(m: OfflineManifest, keptPages: readonly Request[]): Promise<void> {
  const pagesCache = await caches.open(PAGES_CACHE);
  for (const r of keptPages) {
    const url = new URL(r.url);
    if (url.search || url.pathname !== pageKey(url.pathname) || !m.pages[url.pathname]) await pagesCache.delete(r);
  }
  // A manifest from before `assets` existed cannot tell this build's fonts from older ones: keep all.
  if (Array.isArray(m.assets)) {
    const current = new Set([...m.files.map(([u]) => u), ...m.assets]);
    const assets = await caches.open(ASSETS_CACHE);
    for (const r of await assets.keys()) if (!current.has(new URL(r.url).pathname)) await assets.delete(r);
  }
  if (await caches.has(MISC_CACHE)) {
    const misc = await caches.open(MISC_CACHE);
    for (const r of await misc.keys()) if (isPage(new URL(r.url).pathname)) await misc.delete(r);
  }
}
