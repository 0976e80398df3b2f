// The page side of the offline book after an update: refreshKeptPages brings the pages kept under
// an older build up to the new one and lets go of what older builds left, and records the build
// only when that succeeded (so a failure is tried again on the next page load). The browser's
// caches, fetch and localStorage are small fakes here; the e2e (tests/e2e/offline.spec.ts) runs
// the same code against the real worker.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ASSETS_CACHE, MISC_CACHE, PAGES_CACHE, type OfflineManifest } from '../../src/components/offline/cache-names.ts';
import { BUILD_KEY, refreshKeptPages } from '../../src/components/offline/offline-store.ts';

const ORIGIN = 'https://book.example';

/** A CacheStorage in memory, keyed by full URL (what the code under test needs of it). */
class FakeCache {
  entries = new Map<string, string>();
  async put(req: RequestInfo | URL, res: Response) {
    this.entries.set(new URL(String(req instanceof Request ? req.url : req), ORIGIN).href, await res.text());
  }
  async match(req: RequestInfo | URL, opts?: { ignoreSearch?: boolean }) {
    const url = new URL(String(req instanceof Request ? req.url : req), ORIGIN);
    for (const [k, body] of this.entries) {
      const u = new URL(k);
      if (u.href === url.href || (opts?.ignoreSearch && u.origin + u.pathname === url.origin + url.pathname)) return new Response(body);
    }
    return undefined;
  }
  async keys() {
    return [...this.entries.keys()].map((k) => new Request(k));
  }
  async delete(req: Request) {
    return this.entries.delete(req.url);
  }
}

class FakeCacheStorage {
  named = new Map<string, FakeCache>();
  async open(name: string) {
    if (!this.named.has(name)) this.named.set(name, new FakeCache());
    return this.named.get(name)!;
  }
  async has(name: string) {
    return this.named.has(name);
  }
  async match(req: RequestInfo | URL, opts?: { ignoreSearch?: boolean }) {
    for (const c of this.named.values()) {
      const r = await c.match(req, opts);
      if (r) return r;
    }
    return undefined;
  }
  /** The paths a cache holds (with their query), sorted. */
  paths(name: string) {
    return [...(this.named.get(name)?.entries.keys() ?? [])].map((k) => new URL(k).pathname + new URL(k).search).sort();
  }
}

/** A build: its manifest and what its server answers. */
function build(id: string, css: string, pageJs: string): { manifest: OfflineManifest; site: Map<string, string> } {
  const manifest: OfflineManifest = {
    build: id,
    precacheBytes: 0,
    files: [
      ['/rnn/', 10],
      ['/lstm/', 10],
      [css, 10],
      [pageJs, 10],
    ],
    assets: ['/_astro/KaTeX_Main.woff2'],
    pages: {
      '/rnn/': { title: 'RNN', files: [0, 2, 3], editor: false, models: false },
      '/lstm/': { title: 'LSTM', files: [1, 2], editor: false, models: false },
    },
    editor: [],
    models: [],
    parts: [],
  };
  const site = new Map<string, string>([
    ['/offline-manifest.json', JSON.stringify(manifest)],
    ['/rnn/', `<link href="${css}"><script src="${pageJs}"></script> ${id}`],
    ['/lstm/', `<link href="${css}"> ${id}`],
    [css, 'css'],
    [pageJs, 'js'],
    ['/_astro/KaTeX_Main.woff2', 'font'],
  ]);
  return { manifest, site };
}

let storage: FakeCacheStorage;
let site: Map<string, string>;
let fetched: string[];
let failing: Set<string>;
let local: Map<string, string>;

beforeEach(() => {
  storage = new FakeCacheStorage();
  fetched = [];
  failing = new Set();
  local = new Map();
  vi.stubGlobal('caches', storage);
  vi.stubGlobal('location', new URL(`${ORIGIN}/lstm/`));
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => local.get(k) ?? null,
    setItem: (k: string, v: string) => void local.set(k, v),
  });
  vi.stubGlobal('fetch', async (input: string) => {
    const path = new URL(input, ORIGIN).pathname;
    fetched.push(path);
    if (failing.has(path)) throw new TypeError('Failed to fetch');
    const body = site.get(path);
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A reader who kept /rnn/ under build 1 (its page, its script, the fonts), then build 2 came. */
async function keptUnderFirstBuild() {
  const first = build('b1', '/_astro/shared.1.css', '/_astro/Rnn.1.js');
  site = first.site;
  local.set(BUILD_KEY, 'b1');
  const pages = await storage.open(PAGES_CACHE);
  await pages.put('/rnn/', new Response(first.site.get('/rnn/')));
  // The same page under another address, and a page the new build no longer has.
  await pages.put('/rnn/?from=deck', new Response(first.site.get('/rnn/')));
  await pages.put('/gone/', new Response('old page'));
  const assets = await storage.open(ASSETS_CACHE);
  await assets.put('/_astro/Rnn.1.js', new Response('js'));
  await assets.put('/_astro/KaTeX_Main.woff2', new Response('font'));
  // An older worker kept a copy of the page in its misc cache too.
  await (await storage.open(MISC_CACHE)).put('/rnn/', new Response(first.site.get('/rnn/')));
  // The new build (its shared stylesheet would be in the new worker's precache; here: missing).
  site = build('b2', '/_astro/shared.2.css', '/_astro/Rnn.2.js').site;
}

describe('refreshKeptPages', () => {
  it('on a first visit records the build (nothing kept yet, nothing fetched but the manifest)', async () => {
    site = build('b1', '/_astro/shared.1.css', '/_astro/Rnn.1.js').site;
    await refreshKeptPages();
    expect(local.get(BUILD_KEY)).toBe('b1');
    expect(fetched).toEqual(['/offline-manifest.json']);
  });

  it('with the build already recorded does nothing', async () => {
    site = build('b1', '/_astro/shared.1.css', '/_astro/Rnn.1.js').site;
    local.set(BUILD_KEY, 'b1');
    await (await storage.open(PAGES_CACHE)).put('/rnn/', new Response('page'));
    await refreshKeptPages();
    expect(fetched).toEqual(['/offline-manifest.json']);
  });

  it('after an update keeps the kept pages again with the new files and lets go of the old build', async () => {
    await keptUnderFirstBuild();
    await refreshKeptPages();
    // The page is fetched again although a copy is cached; the new files it needs are kept.
    expect(await (await storage.match('/rnn/'))!.text()).toContain('/_astro/shared.2.css');
    expect(storage.paths(PAGES_CACHE)).toEqual(['/rnn/']);
    expect(storage.paths(ASSETS_CACHE)).toEqual(['/_astro/KaTeX_Main.woff2', '/_astro/Rnn.2.js', '/_astro/shared.2.css']);
    expect(storage.paths(MISC_CACHE)).toEqual([]);
    expect(local.get(BUILD_KEY)).toBe('b2');
    // A page never kept is not fetched.
    expect(fetched).not.toContain('/lstm/');
  });

  it('records nothing when a fetch fails, and succeeds on the next page load', async () => {
    await keptUnderFirstBuild();
    failing.add('/_astro/Rnn.2.js');
    await expect(refreshKeptPages()).rejects.toThrow();
    expect(local.get(BUILD_KEY)).toBe('b1');
    // Nothing of the old build was let go: the reader is no worse off.
    expect(storage.paths(ASSETS_CACHE)).toContain('/_astro/Rnn.1.js');

    failing.clear();
    fetched = [];
    await refreshKeptPages();
    expect(local.get(BUILD_KEY)).toBe('b2');
    expect(fetched).toContain('/rnn/');
    expect(storage.paths(ASSETS_CACHE)).toEqual(['/_astro/KaTeX_Main.woff2', '/_astro/Rnn.2.js', '/_astro/shared.2.css']);
  });

  it('asks for the manifest again each time (a new worker may have taken over since the last)', async () => {
    site = build('b1', '/_astro/shared.1.css', '/_astro/Rnn.1.js').site;
    await refreshKeptPages();
    site = build('b2', '/_astro/shared.2.css', '/_astro/Rnn.2.js').site;
    await refreshKeptPages();
    expect(local.get(BUILD_KEY)).toBe('b2');
  });
});
