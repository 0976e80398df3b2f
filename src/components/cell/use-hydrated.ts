// False in the server-rendered HTML and on the first client render, true once the island runs:
// buttons stay disabled until a click can actually do something (a click before hydration is lost).
import { useEffect, useState } from 'preact/hooks';

export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
