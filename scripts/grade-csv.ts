// The grades as a CSV that Canvas and Moodle gradebooks import: RFC 4180 (comma separator, double
// quotes around fields that need them, CRLF line ends), UTF-8 without a byte-order mark, one header
// row, one row per student, numbers with a dot and at most two decimals, an empty cell for
// "no grade". Every text cell is capped (MAX_FIELD, MAX_NOTES), and one that a spreadsheet could
// run as a formula gets a leading apostrophe (see `neutralise`).
import type { StudentRow } from './grade-batch.ts';

export interface GradeColumn {
  /** Exercise or quiz id: the key into a row's scores. */
  id: string;
  /** The column header, e.g. "attention-pooling/gaussian-weights (2 pts)". */
  header: string;
}

export const STUDENT_COLUMN = 'Student';
export const ID_COLUMN = 'SIS User ID';

/** The longest text cell, in characters (a name or a note of 10 MB would make the file unusable). */
export const MAX_FIELD = 500;
/** The Notes cell holds a note per exercise, each at most MAX_FIELD long; this caps the whole. */
export const MAX_NOTES = 2000;

/**
 * Spreadsheets run a cell as a formula when it starts with = + - @ (or a tab or CR), and some skip
 * leading spaces and control characters first or read full-width ＝ ＋ － ＠ as their ASCII forms. So
 * any text whose first character after such padding is one of those gets a leading apostrophe.
 */
const FORMULA_START = /^[\s\u0000-\u001f\u007f-\u009f\u00a0\u200b-\u200f\u2028\u2029\u2060\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]/;

export function neutralise(value: string): string {
  return FORMULA_START.test(value) || /^[\t\r]/.test(value) ? `'${value}` : value;
}

/** Clips to MAX_FIELD characters (not splitting a surrogate pair), with an ellipsis. */
export function clip(value: string, max = MAX_FIELD): string {
  if (value.length <= max) return value;
  let cut = max - 1;
  if (/[\ud800-\udbff]/.test(value[cut - 1]!)) cut--;
  return `${value.slice(0, cut)}…`;
}

function field(value: string, max = MAX_FIELD): string {
  const safe = neutralise(clip(value, max));
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const number = (x: number | undefined | null) => (x === undefined || x === null ? '' : String(Math.round(x * 100) / 100));

export function gradesCsv(rows: StudentRow[], columns: GradeColumn[]): string {
  const header = [STUDENT_COLUMN, ID_COLUMN, ...columns.map((c) => c.header), 'Total', 'Notes'];
  const lines = [header.map((h) => field(h)).join(',')];
  for (const r of rows) {
    const name = r.name || (r.scores || r.id ? r.name : `(unreadable: ${r.file})`);
    lines.push([field(name), field(r.id), ...columns.map((c) => number(r.scores?.[c.id])), number(r.total), field(r.notes.map((n) => clip(n)).join(' | '), MAX_NOTES)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
