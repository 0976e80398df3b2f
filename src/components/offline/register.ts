// On every page (the offline integration in scripts/offline-sw.mjs injects it): registers the
// book's service worker, keeps what this page needs for reading it offline, and says when a new
// build of the book is ready ("The book was updated — Reload"). Saved edits and progress live in
// IndexedDB and localStorage, which neither the worker nor a reload touches.
import { Workbox } from 'workbox-window';
import { SERVICE_WORKER } from './cache-names.ts';
import { keepPageOffline, refreshKeptPages } from './offline-store.ts';

const NOTICE_ID = 'attention-lab-update';

function showUpdateNotice(onReload: () => void): void {
  if (document.getElementById(NOTICE_ID)) return;
  const notice = document.createElement('div');
  notice.id = NOTICE_ID;
  notice.setAttribute('role', 'status');
  notice.className = 'al-update-notice';
  const text = document.createElement('span');
  text.textContent = 'The book was updated.';
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = 'Reload';
  button.title = 'Load the new version of the book (your saved edits and progress are kept)';
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Reloading…';
    onReload();
  });
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'al-update-later';
  close.textContent = 'Later';
  close.addEventListener('click', () => notice.remove());
  notice.append(text, button, close);
  const style = document.createElement('style');
  style.textContent = `
.al-update-notice { position: fixed; z-index: 1000; inset-inline-end: 1rem; inset-block-end: 1rem; display: flex; gap: 0.75rem;
  align-items: center; max-width: calc(100vw - 2rem); box-sizing: border-box; padding: 0.6rem 0.9rem; border-radius: 0.5rem;
  background: #18181b; color: #fafafa; font: 0.95rem/1.3 system-ui, sans-serif; box-shadow: 0 4px 18px rgba(0,0,0,0.3); }
.al-update-notice button { font: inherit; font-weight: 600; padding: 0.25rem 0.8rem; border-radius: 0.35rem; cursor: pointer;
  border: 1px solid #a5b4fc; background: #a5b4fc; color: #18181b; }
.al-update-notice button.al-update-later { background: transparent; color: #fafafa; border-color: #71717a; font-weight: 400; }
.al-update-notice button:focus-visible { outline: 3px solid #fde047; outline-offset: 2px; }`;
  document.head.append(style);
  document.body.append(notice);
}

async function register(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  if (import.meta.env.DEV) {
    // The dev server is never served from a worker: drop one left by a build served here earlier.
    const registrations = await navigator.serviceWorker.getRegistrations();
    await Promise.all(registrations.map((r) => r.unregister()));
    return;
  }
  const wb = new Workbox(SERVICE_WORKER);
  let reloading = false;
  wb.addEventListener('waiting', () => {
    showUpdateNotice(() => {
      reloading = true;
      wb.messageSkipWaiting();
    });
  });
  // The new worker took over because the reader asked: load the page from the new build.
  wb.addEventListener('controlling', () => {
    if (reloading) location.reload();
  });
  await wb.register();
  await navigator.serviceWorker.ready;
  // Look for a new build now and then while the page stays open (a lecture, a long read).
  setInterval(() => void wb.update().catch(() => undefined), 30 * 60 * 1000);
  // Once the page has loaded and gone quiet: keep what this page needs; then, if this build is new
  // to the reader, bring the pages kept under an older build up to it. One failing does not stop
  // the other; the second records its build only on success, so it is tried again on the next load.
  const idle = (cb: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(cb, { timeout: 5000 }) : setTimeout(cb, 2000));
  idle(() => {
    void keepPageOffline(location.pathname)
      .catch(() => undefined)
      .then(() => refreshKeptPages())
      .catch(() => undefined);
  });
}

// A browser that refuses service workers (private modes, test harnesses, file://) simply reads online.
register().catch(() => undefined);
