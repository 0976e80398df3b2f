// The page half of bench/browser-harness.mjs: run a benchmark page's main() and publish what it
// returns as window.__benchResult (or the error as __benchError), which the harness waits for.
// The #status line only tells someone watching the page.
const published = window as unknown as { __benchResult?: unknown; __benchError?: string };

export function publishBenchResult(main: () => Promise<unknown>): void {
  const status = document.getElementById('status');
  main().then(
    (result) => {
      published.__benchResult = result;
      if (status) status.textContent = 'done';
    },
    (err: unknown) => {
      published.__benchError = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
      if (status) status.textContent = 'failed';
    },
  );
}
