// Notices when a cell changes the engine or JavaScript's built-ins (`Tensor.prototype.reshape = …`).
// The change is kept — a session is a session — but later failures can then say which cell made it
// and that Restart clears it, instead of leaving the reader with "value.shape is undefined".

type Snapshot = Map<string, Map<PropertyKey, unknown>>;

/** The objects whose own properties are watched, with the names a reader knows them by. */
function watched(engine: Record<string, unknown>): Array<[string, object]> {
  const list: Array<[string, object]> = [];
  const add = (label: string, v: unknown) => {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return;
    list.push([label, v]);
    const proto = (v as { prototype?: unknown }).prototype;
    if (typeof v === 'function' && proto && typeof proto === 'object') list.push([`${label}.prototype`, proto]);
  };
  for (const [name, v] of Object.entries(engine)) {
    add(name, v);
    // Namespaces such as nn and optim: their classes too.
    const proto = v && typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
    if (proto === Object.prototype || proto === null) {
      for (const [inner, w] of Object.entries(v as object)) if (typeof w === 'function') add(`${name}.${inner}`, w);
    }
  }
  const typedArray = Object.getPrototypeOf(Float32Array.prototype) as object;
  const builtins: Array<[string, object]> = [
    ['Object.prototype', Object.prototype],
    ['Array.prototype', Array.prototype],
    ['Function.prototype', Function.prototype],
    ['Promise.prototype', Promise.prototype],
    ['Promise', Promise],
    ['Number.prototype', Number.prototype],
    ['String.prototype', String.prototype],
    ['Map.prototype', Map.prototype],
    ['Set.prototype', Set.prototype],
    ['TypedArray.prototype', typedArray],
    ['Float32Array.prototype', Float32Array.prototype],
    ['Math', Math],
    ['JSON', JSON],
    ['Object', Object],
    ['Array', Array],
  ];
  return [...list, ...builtins];
}

function take(objects: Array<[string, object]>): Snapshot {
  const snap: Snapshot = new Map();
  for (const [label, o] of objects) {
    const props = new Map<PropertyKey, unknown>();
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d) props.set(key, 'value' in d ? d.value : [d.get, d.set]);
    }
    snap.set(label, props);
  }
  return snap;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a[0] === b[0] && a[1] === b[1];
  // Plain values (numbers, strings) that a library updates in place are not changes by a reader.
  return a === b || (typeof a !== 'object' && typeof a !== 'function' && typeof b !== 'object' && typeof b !== 'function');
}

/** The first few names, and how many more. */
export function listed(names: string[]): string {
  let text = '';
  for (let i = 0; i < names.length && i < 3; i++) text += (i ? ', ' : '') + names[i];
  return names.length > 3 ? `${text}, and ${names.length - 3} more` : text;
}

export interface EngineChange {
  cellId: string;
  /** What changed, e.g. "Tensor.prototype.reshape". */
  names: string[];
}

/** Watches the engine's classes and the common built-ins; `check` after each cell says what that cell changed. */
export function watchEngine(engine: Record<string, unknown>) {
  const objects = watched(engine);
  let before = take(objects);
  const changes: EngineChange[] = [];
  return {
    /** Compares with the state before the cell; records and returns what it changed. */
    check(cellId: string): string[] {
      const after = take(objects);
      const names: string[] = [];
      for (const [label, props] of after) {
        const old = before.get(label)!;
        for (const [key, v] of props) if (!old.has(key) || !same(old.get(key), v)) names.push(`${label}.${String(key)}`);
        for (const key of old.keys()) if (!props.has(key)) names.push(`${label}.${String(key)}`);
      }
      before = after;
      if (names.length) changes.push({ cellId, names });
      return names;
    },
    /** A hint for a failure in `cellId` when an earlier cell changed the engine, else undefined. */
    hintFor(cellId: string): string | undefined {
      // Plain loops: the change may have broken Array.prototype's methods.
      for (let i = changes.length - 1; i >= 0; i--) {
        const c = changes[i]!;
        if (c.cellId === cellId) continue;
        return `An earlier cell ("${c.cellId}") changed the engine or JavaScript's built-ins (${listed(c.names)}), and such a change stays for the rest of the session; it may be why this failed. "Restart session" clears it.`;
      }
      return undefined;
    },
  };
}
