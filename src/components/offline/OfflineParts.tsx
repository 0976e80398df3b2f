// "Reading offline": every part of the book with what of it this browser holds, and a button per
// part that keeps the whole part for reading without a network — its size shown first, then the
// download's progress. Reads the build's offline manifest; stores into the service worker's caches.
import { useEffect, useState } from 'preact/hooks';
import type { OfflineManifest } from './cache-names.ts';
import { filesFor, isStored, missing, offlineManifest, pageKey, store, type FileRow, type StoreProgress } from './offline-store.ts';
import './offline.css';

type Support = 'checking' | 'ready' | 'unsupported' | 'failed';

interface PartState {
  /** Pages of the part already readable offline. */
  stored: Set<string>;
  /** What "Keep offline" would still download: pages and assets; and the editor and models too. */
  rows: FileRow[];
  extras: FileRow[];
  phase: 'idle' | 'downloading' | 'done' | 'error';
  progress?: StoreProgress;
  error?: string;
}

const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const total = (rows: FileRow[]) => rows.reduce((s, [, b]) => s + b, 0);

async function survey(m: OfflineManifest, pages: string[]): Promise<Pick<PartState, 'stored' | 'rows' | 'extras'>> {
  const stored = new Set<string>();
  for (const p of pages) {
    const rows = filesFor(m, [p]);
    if ((await missing(rows)).length === 0 && (await isStored(pageKey(p)))) stored.add(p);
  }
  const rows = await missing(filesFor(m, pages));
  const all = await missing(filesFor(m, pages, { editor: true, models: true }));
  const base = new Set(rows.map(([u]) => u));
  return { stored, rows, extras: all.filter(([u]) => !base.has(u)) };
}

export default function OfflineParts() {
  const [support, setSupport] = useState<Support>('checking');
  const [manifest, setManifest] = useState<OfflineManifest | null>(null);
  const [parts, setParts] = useState<PartState[]>([]);
  const [withExtras, setWithExtras] = useState(true);

  useEffect(() => {
    if (!('serviceWorker' in navigator) || typeof caches === 'undefined') {
      setSupport('unsupported');
      return;
    }
    let cancelled = false;
    (async () => {
      const registration = await Promise.race([
        navigator.serviceWorker.ready,
        new Promise<null>((r) => setTimeout(() => r(null), 8000)),
      ]);
      if (!registration) return setSupport('unsupported');
      const m = await offlineManifest();
      const surveyed = await Promise.all(m.parts.map((p) => survey(m, p.pages)));
      if (cancelled) return;
      setManifest(m);
      setParts(surveyed.map((s) => ({ ...s, phase: 'idle' })));
      setSupport('ready');
    })().catch(() => !cancelled && setSupport('failed'));
    return () => {
      cancelled = true;
    };
  }, []);

  const update = (i: number, change: Partial<PartState>) => setParts((ps) => ps.map((p, j) => (j === i ? { ...p, ...change } : p)));

  const keep = async (i: number) => {
    if (!manifest) return;
    const part = parts[i]!;
    const rows = withExtras ? [...part.rows, ...part.extras] : part.rows;
    update(i, { phase: 'downloading', progress: undefined, error: undefined });
    try {
      await store(rows, (progress) => update(i, { progress }));
      update(i, { phase: 'done', ...(await survey(manifest, manifest.parts[i]!.pages)) });
    } catch (e) {
      update(i, { phase: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  };

  if (support === 'checking') return <p class="offline-note">Looking at what this browser holds…</p>;
  if (support === 'unsupported')
    return (
      <p class="offline-note" role="status">
        This browser does not let the book keep pages for offline reading (service workers are off, for example in some private
        windows). The book still works online.
      </p>
    );
  if (support === 'failed' || !manifest)
    return (
      <p class="offline-note" role="status">
        The list of what can be kept offline could not be read. Reload the page to try again.
      </p>
    );

  return (
    <div class="offline-parts">
      <p class="offline-note">
        Kept when the book was first opened: the pages' shared styles and scripts, site search and this page ({mb(manifest.precacheBytes)}).
      </p>
      <label class="offline-extras">
        <input type="checkbox" checked={withExtras} onChange={(e) => setWithExtras(e.currentTarget.checked)} /> Also keep the code
        editor and, where a part has model widgets, onnxruntime and the models
      </label>
      {manifest.parts.map((part, i) => {
        const state = parts[i]!;
        const rows = withExtras ? [...state.rows, ...state.extras] : state.rows;
        const size = total(rows);
        const percent = state.progress && state.progress.totalBytes > 0 ? Math.round((100 * state.progress.doneBytes) / state.progress.totalBytes) : 0;
        return (
          <section class="offline-part" key={part.label} aria-labelledby={`offline-part-${i}`} data-part={part.label}>
            <h2 id={`offline-part-${i}`}>{part.label}</h2>
            <ul>
              {part.pages.map((p) => (
                <li key={p} data-offline={state.stored.has(p) ? 'yes' : 'no'}>
                  <a href={p}>{manifest.pages[p]?.title ?? p}</a>{' '}
                  <span class="offline-badge">{state.stored.has(p) ? 'available offline' : 'online only'}</span>
                </li>
              ))}
            </ul>
            <div class="offline-action">
              {rows.length === 0 ? (
                <p class="offline-ready">Everything in this part is available offline.</p>
              ) : (
                <button type="button" onClick={() => keep(i)} disabled={state.phase === 'downloading'}>
                  Make this part available offline ({mb(size)})
                </button>
              )}
              {state.phase === 'downloading' && state.progress && (
                <>
                  <progress max={100} value={percent} aria-label={`Downloading ${part.label}`} />
                  <span role="status">
                    {mb(state.progress.doneBytes)} of {mb(state.progress.totalBytes)} ({state.progress.doneFiles} of {state.progress.totalFiles} files)
                  </span>
                </>
              )}
              {state.phase === 'done' && <span role="status">Done: this part is available offline.</span>}
              {state.phase === 'error' && (
                <span role="alert">The download stopped ({state.error}); what was downloaded is kept. Press the button to go on.</span>
              )}
            </div>
          </section>
        );
      })}
    </div>
  );
}
