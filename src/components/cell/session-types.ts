// The cell runtime hands what earlier cells `export` to later cells of the same page as plain
// names (runtime/execute.ts, "session"). For the type checker to agree, every page gets one
// declarations file that declares those names as globals, typed from the exporting cell's model.
// Pure text in, text out (no Monaco), so it is unit-tested in Node.

export interface PageCell {
  /** The cell's model URI, e.g. `file:///cells/<page-slug>/<cell-id>.ts`. */
  modelUri: string;
  code: string;
}

export interface ExportedNames {
  /** Names that exist at run time (const, function, class, enum, re-exported values). */
  values: string[];
  /** Names that exist only for the type checker (type, interface, and classes/enums again). */
  types: string[];
}

const IDENT = '[A-Za-z_$][\\w$]*';

/** What a cell exports, read from its text (the same declarations the runtime collects). */
export function exportedNames(code: string): ExportedNames {
  const values = new Set<string>();
  const types = new Set<string>();
  const text = stripComments(code);
  const declaration = new RegExp(
    `(?:^|[;\\n])\\s*export\\s+(?:declare\\s+)?(?:(async\\s+function\\*?|function\\*?|const|let|var)|(class|abstract\\s+class|enum|const\\s+enum)|(type|interface))\\s+(${IDENT})`,
    'g',
  );
  for (const m of text.matchAll(declaration)) {
    const name = m[4]!;
    if (m[1]) values.add(name);
    if (m[2]) {
      values.add(name);
      types.add(name);
    }
    if (m[3]) types.add(name);
  }
  // `export { a, b as c, type T }` (a local list, or a re-export from 'attention-lab').
  for (const m of text.matchAll(/(?:^|[;\n])\s*export\s+(type\s+)?\{([^}]*)\}/g)) {
    const allTypes = Boolean(m[1]);
    for (const part of m[2]!.split(',')) {
      const spec = part.trim();
      if (!spec) continue;
      const isType = allTypes || /^type\s/.test(spec);
      const name = spec.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (!new RegExp(`^${IDENT}$`).test(name) || name === 'default') continue;
      (isType ? types : values).add(name);
    }
  }
  return { values: [...values], types: [...types] };
}

/**
 * The declarations file for one page: `declare global { const x: typeof import('./a.ts').x }`.
 * Later cells win when two cells export the same name, as in the runtime's session.
 */
export function sessionDeclarations(cells: PageCell[]): string {
  const valueFrom = new Map<string, string>();
  const typeFrom = new Map<string, string>();
  for (const cell of cells) {
    const file = './' + cell.modelUri.slice(cell.modelUri.lastIndexOf('/') + 1);
    const { values, types } = exportedNames(cell.code);
    for (const v of values) valueFrom.set(v, file);
    for (const t of types) typeFrom.set(t, file);
  }
  const lines = ['// Names earlier cells of this page export (the run session). Generated.', 'export {};', 'declare global {'];
  for (const [name, file] of valueFrom) lines.push(`  const ${name}: typeof import(${JSON.stringify(file)}).${name};`);
  for (const [name, file] of typeFrom) lines.push(`  type ${name} = import(${JSON.stringify(file)}).${name};`);
  lines.push('}', '');
  return lines.join('\n');
}

/** Comments may mention `export const`; strings rarely do, and a false name costs nothing. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
}
