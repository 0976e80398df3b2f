// The names the offline book shares between its service worker (generated at build time by
// scripts/offline-sw.mjs with Workbox) and the pages that fill its caches ahead of time. Bump a
// name's version when the shape of what it stores changes; old caches are then deleted.

/** Pages (HTML) as they were read: network first, so an online reader always gets the newest. */
export const PAGES_CACHE = 'attention-lab-pages-v1';
/** Hashed build assets under /_astro/ (scripts, styles, fonts, wasm): immutable, cache first. */
export const ASSETS_CACHE = 'attention-lab-assets-v1';
/** Data sets and the small model files (config, tokenizer) under /data/ and /models/. */
export const DATA_CACHE = 'attention-lab-data-v1';
/** Pagefind's files that are not precached. */
export const SEARCH_CACHE = 'attention-lab-search-v1';
/** Anything else of this site (icons, the manifest). */
export const MISC_CACHE = 'attention-lab-misc-v1';

/** What the build writes for the "Reading offline" page: every page's files and the book's parts. */
export const OFFLINE_MANIFEST = '/offline-manifest.json';
/** The page shown for a page that was never read, when there is no network. */
export const OFFLINE_PAGE = '/offline/';
export const SERVICE_WORKER = '/sw.js';

export interface OfflineManifest {
  /** Changes with every build whose precache changes. */
  build: string;
  /** Bytes the service worker stores when it installs (the precache). */
  precacheBytes: number;
  /** [url, bytes] for every file a page may need. */
  files: [string, number][];
  /**
   * The build's other files under /_astro/ (fonts, the optional downloads): with `files`, every
   * asset of this build, so that after an update the page can let go of older builds' assets.
   */
  assets: string[];
  pages: Record<string, { title: string; files: number[]; editor: boolean; models: boolean }>;
  /** The editor (Monaco and its TypeScript worker): stored when a reader first opens it. */
  editor: number[];
  /** onnxruntime (wasm provider) and the shipped models. */
  models: number[];
  parts: { label: string; pages: string[] }[];
}
