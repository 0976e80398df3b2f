// The grades as a CSV that Canvas and Moodle gradebooks import: RFC 4180 (comma separator, double
// quotes around fields that need them, CRLF line ends), UTF-8 without a byte-order mark, one header
// row, one row per student, numbers with a dot and at most two decimals, an empty cell for
// "no grade". A text cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a
// leading apostrophe.
import type { StudentRow } from './grade-batch.ts';

export interface GradeColumn {
  /** Exercise or quiz id: the key into a row's scores. */
  id: string;
  /** The column header, e.g. "attention-pooling/gaussian-weights (2 pts)". */
  header: string;
}

export const STUDENT_COLUMN = 'Student';
export const ID_COLUMN = 'SIS User ID';

function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const number = (x: number | undefined | null) => (x === undefined || x === null ? '' : String(Math.round(x * 100) / 100));

export function gradesCsv(rows: StudentRow[], columns: GradeColumn[]): string {
  const header = [STUDENT_COLUMN, ID_COLUMN, ...columns.map((c) => c.header), 'Total', 'Notes'];
  const lines = [header.map(field).join(',')];
  for (const r of rows) {
    const name = r.name || (r.scores || r.id ? r.name : `(unreadable: ${r.file})`);
    lines.push([field(name), field(r.id), ...columns.map((c) => number(r.scores?.[c.id])), number(r.total), field(r.notes.join(' | '))].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
