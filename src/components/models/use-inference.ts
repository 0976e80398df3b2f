// What a model widget computes from its model and inputs: run whenever either changes, timed,
// with the error in words; a result that arrives after newer inputs is dropped, and nothing is
// shown while the model is (re)loading.
import { useEffect, useState } from 'preact/hooks';

export interface Inference<T> {
  result: T | null;
  error: string | null;
  /** How long the last computation took. */
  ms: number | null;
}

export function useInference<R, T>(runner: R | undefined, compute: (runner: R) => Promise<T>, inputs: unknown[]): Inference<T> {
  const [state, setState] = useState<Inference<T>>({ result: null, error: null, ms: null });
  useEffect(() => {
    if (!runner) {
      setState((s) => (s.result === null && s.error === null ? s : { ...s, result: null, error: null }));
      return;
    }
    let live = true;
    const t0 = performance.now();
    compute(runner).then(
      (result) => live && setState({ result, error: null, ms: performance.now() - t0 }),
      (err: unknown) => live && setState((s) => ({ ...s, result: null, error: (err as Error).message })),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `compute` is a fresh closure each render; `inputs` names what it reads
  }, [runner, ...inputs]);
  return state;
}
