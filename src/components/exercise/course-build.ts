// The course build: `ATTENTION_LAB_COURSE=1 astro build` (`npm run build:course`) makes a site for
// a graded course: no reference solutions, and only each exercise's visible tests, while the
// hidden tests stay with the instructor's regrader. Unset, the build is the self-study book with
// solutions and every test. Read at build time only (Astro components, never the browser).
const raw = (process.env.ATTENTION_LAB_COURSE ?? '').trim();
if (!['', '0', '1'].includes(raw)) {
  throw new Error(`ATTENTION_LAB_COURSE must be 1 (course build: no solutions, visible tests only) or unset/0 (self-study build), got "${raw}"`);
}

export const COURSE_BUILD = raw === '1';
