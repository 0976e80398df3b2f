// The offline book: after `astro build`, Workbox (workbox-build's generateSW) writes the service
// worker, sw.js, into the build, and this script writes offline-manifest.json beside it (what each
// page needs, by part, with sizes, for the "Reading offline" page).
//
// - Precached (stored when the worker installs): the styles and scripts that every book page
//   loads, site search (Pagefind), the "Reading offline" page (also shown for a page never read
//   when there is no network), the web app manifest and icons.
// - Cached at run time, as they are used: pages (network first, so an online reader always gets
//   the newest), the hashed build assets (cache first: a name never changes content), data sets
//   and model files, the editor when it is first opened.
// - Never precached: the large optional downloads (onnxruntime's WebGPU build, the GPT-2 tokenizer
//   of the remote model) and onnxruntime itself; model .onnx files are cached by the model loader.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSW } from 'workbox-build';
import {
  ASSETS_CACHE,
  DATA_CACHE,
  MISC_CACHE,
  OFFLINE_MANIFEST,
  OFFLINE_PAGE,
  PAGES_CACHE,
  SEARCH_CACHE,
} from '../src/components/offline/cache-names.ts';

/** Build assets that only the editor needs (Monaco, its TypeScript worker and icon font). */
const EDITOR = /^(ts\.worker|editor\.api|editor\.worker|editor\.|tsMode|typescript\.|codicon)/;
/** onnxruntime on its CPU (wasm) provider: needed by the model widgets, 14 MB. */
const ORT = /^(ort\.wasm\.bundle|ort-wasm-simd-threaded\.[\w-]+\.wasm$)/;
/** Large optional downloads, fetched only when a reader asks for them; never stored ahead of time. */
const OPTIONAL = /^(ort-wasm-simd-threaded\.asyncify|ort\.webgpu|encoder\.[\w-]+\.json$|vocab\.[\w-]+\.bpe$)/;
/** Search files the book's search box never loads. */
const SEARCH_UNUSED = /^(pagefind-component-ui|pagefind-modular-ui|pagefind-highlight|wasm\.unknown)/;

const ASSET_REF = /(?:\.\/|\/_astro\/|_astro\/)([\w.~-]+\.(?:js|mjs|css|wasm|json|bpe|ttf|woff2?|svg))/g;
const HTML_REF = /(?:href|src|component-url|renderer-url|before-hydration-url)="\/_astro\/([^"?#]+)"/g;
const STATIC_IMPORT = /(?:from|import)\s*["']\.\/([\w.~-]+\.js)["']/g;

/**
 * The book's parts as its sidebar shows them (group label → page paths), read from a built page,
 * so a chapter joins its part here by joining the sidebar. The home page goes with the first part.
 */
export function sidebarParts(html) {
  const start = html.indexOf('class="top-level');
  const end = html.indexOf('</nav>', start);
  const parts = [];
  for (const m of html.slice(start, end < 0 ? undefined : end).matchAll(/class="large[^"]*">([^<]+)<|<a href="(\/[^"#?]*)"/g)) {
    if (m[1]) parts.push({ label: m[1].replace(/&amp;/g, '&').trim(), pages: [] });
    else if (m[2] && parts.length) parts.at(-1).pages.push(m[2]);
  }
  if (parts.length) parts[0].pages.unshift('/');
  return parts;
}

async function walk(dir, rel = '') {
  const out = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(dir, r)));
    else out.push(r);
  }
  return out;
}

/**
 * Writes sw.js and offline-manifest.json into a built site.
 * @param {string} outDir the build folder (absolute)
 * @param {{ modelWidgets: string[] }} book the registry slugs of the widgets that run a model
 */
export async function writeOfflineBook(outDir, { modelWidgets }) {
  const files = await walk(outDir);
  const assetNames = new Set(files.filter((f) => f.startsWith('_astro/')).map((f) => f.slice('_astro/'.length)));
  const sizes = new Map();
  await Promise.all(files.map(async (f) => sizes.set(`/${f}`, (await stat(path.join(outDir, f))).size)));
  const assetText = new Map();
  const text = async (name) => {
    if (!assetText.has(name)) assetText.set(name, /\.(js|mjs|css)$/.test(name) ? await readFile(path.join(outDir, '_astro', name), 'utf8') : '');
    return assetText.get(name);
  };

  /** The assets reachable from `roots`: by static imports only, or by any reference (lazy ones too). */
  async function closure(roots, { lazy }) {
    const seen = new Set();
    const queue = [...roots];
    while (queue.length) {
      const name = queue.pop();
      if (seen.has(name) || !assetNames.has(name)) continue;
      seen.add(name);
      const body = await text(name);
      // Fonts are fetched only for the characters a page shows: the browser asks, the cache keeps.
      if (name.endsWith('.css')) continue;
      for (const m of body.matchAll(lazy ? ASSET_REF : STATIC_IMPORT)) queue.push(m[1]);
    }
    return seen;
  }

  const pagePaths = files.filter((f) => f.endsWith('index.html')).map((f) => `/${f.slice(0, -'index.html'.length)}`);
  const pages = {};
  const staticByPage = new Map();
  for (const p of pagePaths) {
    const html = await readFile(path.join(outDir, p, 'index.html'), 'utf8');
    const roots = [...html.matchAll(HTML_REF)].map((m) => m[1]);
    const title = (/<title>([^<]*)<\/title>/.exec(html)?.[1] ?? p).replace(/ \| Attention Lab$/, '').replace(/&amp;/g, '&');
    const all = await closure(roots, { lazy: true });
    staticByPage.set(p, await closure(roots, { lazy: false }));
    const editor = [...all].some((n) => EDITOR.test(n));
    const models = modelWidgets.some((slug) => html.includes(`data-widget="${slug}"`)) || p.startsWith('/embed/') && modelWidgets.some((s) => p === `/embed/${s}/`);
    pages[p] = { title, all, editor, models };
  }

  // What every book page loads (the embed pages are not the book's shell).
  const bookPages = pagePaths.filter((p) => !p.startsWith('/embed/'));
  let shell = null;
  for (const p of bookPages) {
    const s = staticByPage.get(p);
    shell = shell === null ? new Set(s) : new Set([...shell].filter((n) => s.has(n)));
  }
  // Site search loads its interface lazily, on the first search: offline it must be here already.
  const searchUi = await closure([...(shell ?? [])].filter((n) => n.startsWith('Search.astro')), { lazy: true });
  const search = files.filter((f) => f.startsWith('pagefind/') && !SEARCH_UNUSED.test(f.slice('pagefind/'.length)));
  const manifestName = OFFLINE_MANIFEST.slice(1);
  const precache = [
    ...[...(shell ?? [])].map((n) => `_astro/${n}`),
    // The "Reading offline" page is also the answer for a page never read: it must work whole.
    ...[...(staticByPage.get(OFFLINE_PAGE) ?? [])].map((n) => `_astro/${n}`),
    ...[...searchUi].map((n) => `_astro/${n}`),
    ...search,
    `${OFFLINE_PAGE.slice(1)}index.html`,
    'manifest.webmanifest',
    'favicon.svg',
    ...files.filter((f) => f.startsWith('icons/')),
    manifestName,
  ].filter((f, i, a) => a.indexOf(f) === i && (sizes.has(`/${f}`) || f === manifestName));

  // The offline manifest: every file a page may need, by index.
  const table = [];
  const index = new Map();
  const idx = (url) => {
    if (!index.has(url)) {
      index.set(url, table.length);
      table.push([url, sizes.get(url) ?? 0]);
    }
    return index.get(url);
  };
  const parts = sidebarParts(await readFile(path.join(outDir, OFFLINE_PAGE.slice(1), 'index.html'), 'utf8'));
  const manifestPages = {};
  for (const [p, { title, all, editor, models }] of Object.entries(pages)) {
    const needed = [...all].filter((n) => !EDITOR.test(n) && !ORT.test(n) && !OPTIONAL.test(n)).sort();
    manifestPages[p] = { title, files: [idx(`${p}`), ...needed.map((n) => idx(`/_astro/${n}`))], editor, models };
  }
  // A page path stands for its HTML; its size is that of its index.html.
  for (const row of table) if (row[0].endsWith('/')) row[1] = sizes.get(`${row[0]}index.html`) ?? 0;
  const editorFiles = [...assetNames].filter((n) => EDITOR.test(n) && !OPTIONAL.test(n)).sort().map((n) => idx(`/_astro/${n}`));
  const modelFiles = [
    ...[...assetNames].filter((n) => ORT.test(n) && !OPTIONAL.test(n)).sort().map((n) => `/_astro/${n}`),
    ...files.filter((f) => f.startsWith('models/')).sort().map((f) => `/${f}`),
  ].map(idx);

  // Every other asset of this build (fonts, optional downloads): anything else under /_astro/ in
  // a reader's caches belongs to an older build and is let go after an update (offline-store.ts).
  const otherAssets = [...assetNames].map((n) => `/_astro/${n}`).filter((u) => !index.has(u)).sort();

  const precacheBytes = precache.reduce((sum, f) => sum + (sizes.get(`/${f}`) ?? 0), 0);
  const offlineManifest = {
    build: '',
    precacheBytes,
    files: table,
    assets: otherAssets,
    pages: manifestPages,
    editor: editorFiles,
    models: modelFiles,
    parts: parts.map(({ label, pages: ps }) => ({ label, pages: ps.filter((p) => manifestPages[p]) })).filter((p) => p.pages.length),
  };
  // The build id: the precache's content, so an unchanged build keeps its id and its worker.
  const hash = createHash('sha256');
  for (const f of precache.filter((f) => f !== manifestName).sort()) hash.update(f).update(await readFile(path.join(outDir, f)));
  hash.update(JSON.stringify(offlineManifest));
  offlineManifest.build = hash.digest('hex').slice(0, 16);
  await writeFile(path.join(outDir, manifestName), JSON.stringify(offlineManifest));
  const precacheTotal = precacheBytes + (await stat(path.join(outDir, manifestName))).size;

  // The routes' functions are copied into sw.js as source: they may use only their arguments and
  // the worker's globals. Other origins' requests (a remote model) are left to the browser.
  const result = await generateSW({
    globDirectory: outDir,
    globPatterns: precache,
    swDest: path.join(outDir, 'sw.js'),
    // Hashed names change with their content: no revision needed, no cache-busting query.
    dontCacheBustURLsMatching: /^_astro\//,
    // Pagefind asks for its entry file with ?ts=<time> (to skip the HTTP cache): the same file.
    ignoreURLParametersMatching: [/^utm_/, /^fbclid$/, /^ts$/],
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    // A new build waits until the reader agrees to reload (the page shows a notice), so no page
    // ever runs half on the old book and half on the new.
    skipWaiting: false,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: 'production',
    runtimeCaching: [
      {
        urlPattern: ({ request, url }) => request.mode === 'navigate' && url.origin === self.location.origin,
        handler: 'NetworkFirst',
        options: {
          cacheName: PAGES_CACHE,
          networkTimeoutSeconds: 6,
          // An embed's state is in its query: any saved copy of the page serves every state.
          matchOptions: { ignoreSearch: true },
          precacheFallback: { fallbackURL: `${OFFLINE_PAGE}index.html` },
        },
      },
      {
        urlPattern: ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/_astro/'),
        handler: 'CacheFirst',
        options: { cacheName: ASSETS_CACHE, cacheableResponse: { statuses: [200] } },
      },
      {
        // Model .onnx files are kept by the model loader in its own cache (with a checksum).
        urlPattern: ({ url }) =>
          url.origin === self.location.origin && /^\/(data|models)\//.test(url.pathname) && !url.pathname.endsWith('.onnx'),
        handler: 'NetworkFirst',
        options: { cacheName: DATA_CACHE, networkTimeoutSeconds: 6, cacheableResponse: { statuses: [200] } },
      },
      {
        urlPattern: ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/pagefind/'),
        handler: 'StaleWhileRevalidate',
        options: { cacheName: SEARCH_CACHE, cacheableResponse: { statuses: [200] } },
      },
      {
        // Not pages: a page is kept in the pages cache only. A page asked for by a script (the page
        // keeping others offline, offline-store.ts) goes to the network: answered from a cache, it
        // could be an older build's copy, and kept again as if it were new.
        urlPattern: ({ url, request }) =>
          url.origin === self.location.origin &&
          request.method === 'GET' &&
          !url.pathname.endsWith('.onnx') &&
          !url.pathname.endsWith('/') &&
          !url.pathname.endsWith('.html'),
        handler: 'StaleWhileRevalidate',
        options: { cacheName: MISC_CACHE, cacheableResponse: { statuses: [200] } },
      },
    ],
  });
  return { precache, precacheBytes: precacheTotal, count: result.count, warnings: result.warnings, manifest: offlineManifest };
}

/**
 * The Astro integration: writes the offline book after every build, and puts the service worker's
 * registration (with the "the book was updated" notice) on every page.
 * @param {{ modelWidgets: string[] }} book the registry slugs of the widgets that run a model
 */
export function offlineBook(book) {
  return {
    name: 'attention-lab-offline',
    hooks: {
      'astro:config:setup': ({ injectScript }) => {
        injectScript('page', `import '/src/components/offline/register.ts';`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const { precache, precacheBytes, warnings } = await writeOfflineBook(fileURLToPath(dir), book);
        for (const w of warnings) logger.warn(w);
        logger.info(`sw.js: ${precache.length} files precached, ${(precacheBytes / 1024).toFixed(0)} KB`);
      },
    },
  };
}
