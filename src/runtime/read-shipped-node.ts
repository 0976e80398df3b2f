// The Node side of `datasets` (doc-tests, scripts/run-cells.ts): the book's shipped files are read
// from public/ on disk, where the browser fetches them from the site.
import { readFile } from 'node:fs/promises';
import { shippedPath } from './cell-api.ts';

const publicDir = new URL('../../public/', import.meta.url);

export async function readShippedFromDisk(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(shippedPath(path), publicDir)));
}
