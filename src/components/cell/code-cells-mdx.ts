// Code cells in MDX. Authors write a fenced block whose meta says `cell`:
//
//   ```ts cell id="softmax" timeout=30
//   const x = tensor([1, 2, 3]);
//   ```
//
// At build time the remark plugin turns each into <CodeCell>; the doc-tests find the same cells with
// `extractCells`, so what the page runs and what the tests run cannot drift apart.
import type { Code, Root } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkMath from 'remark-math';
import { visit } from 'unist-util-visit';

export interface CellSpec {
  id: string;
  code: string;
  /** Seconds a run may take before the reader is told and the run is stopped. */
  timeout: number;
  /** 1-based line of the fence in the source file, for error messages. */
  line: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 10;

/** `cell id="x" timeout=30` → { id: 'x', timeout: '30' }, or null when the fence is not a cell. */
export function parseCellMeta(lang: string | null | undefined, meta: string | null | undefined): Record<string, string> | null {
  if (!lang || !['ts', 'typescript'].includes(lang) || !meta) return null;
  const words = meta.trim().split(/\s+/);
  if (words[0] !== 'cell') return null;
  const attrs: Record<string, string> = {};
  for (const m of meta.matchAll(/(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))/g)) attrs[m[1]!] = m[2] ?? m[3] ?? m[4] ?? '';
  return attrs;
}

function toSpec(node: Code, attrs: Record<string, string>, file: string): CellSpec {
  const line = node.position?.start.line ?? 0;
  if (!attrs.id || !/^[a-z0-9][a-z0-9-]*$/.test(attrs.id)) {
    throw new Error(`${file}:${line}: a code cell needs an id of lowercase letters, digits and dashes (\`\`\`ts cell id="my-cell"); saved edits are keyed by it`);
  }
  const timeout = attrs.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(attrs.timeout);
  if (!(timeout > 0)) throw new Error(`${file}:${line}: cell "${attrs.id}" has timeout=${attrs.timeout}; give seconds, e.g. timeout=30`);
  return { id: attrs.id, code: node.value, timeout, line };
}

function collect(tree: Root, file: string): Array<{ node: Code; spec: CellSpec }> {
  const found: Array<{ node: Code; spec: CellSpec }> = [];
  const ids = new Set<string>();
  visit(tree, 'code', (node: Code) => {
    const attrs = parseCellMeta(node.lang, node.meta);
    if (!attrs) return;
    const spec = toSpec(node, attrs, file);
    if (ids.has(spec.id)) throw new Error(`${file}:${spec.line}: two cells on this page have the id "${spec.id}"`);
    ids.add(spec.id);
    found.push({ node, spec });
  });
  return found;
}

/** The cells of one MDX source, in page order (parsed like the site parses it: MDX + math). */
export function extractCells(mdx: string, file = 'page.mdx'): CellSpec[] {
  const tree = unified().use(remarkParse).use(remarkMdx).use(remarkMath).parse(mdx) as Root;
  return collect(tree, file).map((c) => c.spec);
}

/** Remark plugin: replaces each cell fence with <CodeCell …> and imports the component once. */
export function remarkCodeCells(opts: { component: string }) {
  return (tree: Root, vfile: { path?: string }) => {
    const file = vfile.path ?? 'page.mdx';
    if (!file.endsWith('.mdx')) return;
    const cells = collect(tree, file);
    if (cells.length === 0) return;
    cells.forEach(({ node, spec }, index) => {
      const attr = (name: string, value: string | number) =>
        typeof value === 'string'
          ? { type: 'mdxJsxAttribute', name, value }
          : {
              type: 'mdxJsxAttribute',
              name,
              value: {
                type: 'mdxJsxAttributeValueExpression',
                value: String(value),
                data: { estree: program([{ type: 'ExpressionStatement', expression: { type: 'Literal', value, raw: String(value) } }]) },
              },
            };
      Object.assign(node, {
        type: 'mdxJsxFlowElement',
        name: '__CodeCell',
        attributes: [attr('id', spec.id), attr('code', spec.code), attr('timeout', spec.timeout), attr('index', index)],
        children: [],
      });
    });
    tree.children.unshift({
      type: 'mdxjsEsm',
      value: `import __CodeCell from ${JSON.stringify(opts.component)}`,
      data: {
        estree: program([
          {
            type: 'ImportDeclaration',
            specifiers: [{ type: 'ImportDefaultSpecifier', local: { type: 'Identifier', name: '__CodeCell' } }],
            source: { type: 'Literal', value: opts.component, raw: JSON.stringify(opts.component) },
          },
        ]),
      },
    } as unknown as Root['children'][number]);
  };
}

function program(body: unknown[]) {
  return { type: 'Program', sourceType: 'module', body, comments: [] };
}
