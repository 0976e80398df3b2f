// Embed URLs, the <iframe> snippet, the registry and the attention-pooling URL state.
import { describe, expect, test } from 'vitest';
import { embedSnippet, embedUrl } from '../../src/components/embed/embed-code.ts';
import { EMBEDS, embedEntry } from '../../src/components/embed/registry.ts';
import { DEFAULT_STATE, parseState, serializeState } from '../../src/components/widgets/attention-pooling/state.ts';

const q = (s: string) => new URLSearchParams(s);

describe('attention-pooling URL state', () => {
  test('reads kernel and sigma, and writes them back the same way', () => {
    const state = parseState(q('kernel=boxcar&sigma=0.3'));
    expect(state).toEqual({ kernel: 'boxcar', sigma: 0.3 });
    expect(serializeState(state).toString()).toBe('kernel=boxcar&sigma=0.30');
  });

  test('missing or bad values fall back to the defaults; sigma is clamped to the slider', () => {
    expect(parseState(q(''))).toEqual(DEFAULT_STATE);
    expect(parseState(q('kernel=triangle&sigma=abc'))).toEqual(DEFAULT_STATE);
    expect(parseState(q('sigma=0')).sigma).toBe(0.05);
    expect(parseState(q('sigma=-3')).sigma).toBe(0.05);
    expect(parseState(q('sigma=99')).sigma).toBe(2);
    expect(parseState(q('sigma=0.123')).sigma).toBe(0.12);
  });
});

describe('embed code', () => {
  const params = q('kernel=gaussian&sigma=0.50');

  test('the URL is absolute, under the site base, with the state in the query', () => {
    expect(embedUrl({ origin: 'https://book.example', base: '/', slug: 'attention-pooling', params })).toBe(
      'https://book.example/embed/attention-pooling/?kernel=gaussian&sigma=0.50',
    );
    expect(embedUrl({ origin: 'https://x.example/', base: '/lab', slug: 'w', params, theme: 'dark' })).toBe(
      'https://x.example/lab/embed/w/?kernel=gaussian&sigma=0.50&theme=dark',
    );
  });

  test('the snippet is one lazy <iframe> with a title, a slide size and & escaped in src', () => {
    const html = embedSnippet({ origin: 'https://book.example', base: '/', slug: 'attention-pooling', params, title: 'Attention pooling' });
    expect(html).toBe(
      '<iframe src="https://book.example/embed/attention-pooling/?kernel=gaussian&amp;sigma=0.50" title="Attention pooling (Attention Lab)" width="960" height="540" style="border: 0; max-width: 100%; aspect-ratio: 960 / 540; height: auto;" loading="lazy" allow="fullscreen"></iframe>',
    );
    const fourThree = embedSnippet({ origin: 'https://b.example', base: '/', slug: 's', params, title: 'T "quoted"', aspect: '4:3' });
    expect(fourThree).toContain('width="800" height="600"');
    expect(fourThree).toContain('title="T &quot;quoted&quot; (Attention Lab)"');
    // A browser reads the attribute back to the real URL.
    const src = /src="([^"]*)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    expect(new URL(src).searchParams.get('sigma')).toBe('0.50');
  });
});

describe('registry', () => {
  test('every entry is keyed by its slug, names its chapter, and round-trips its defaults', () => {
    for (const [slug, e] of Object.entries(EMBEDS)) {
      expect(e.slug).toBe(slug);
      expect(slug).toMatch(/^[a-z0-9-]+$/);
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.chapter.length).toBeGreaterThan(0);
      expect(e.parse(e.serialize(e.defaults as never))).toEqual(e.defaults);
    }
  });

  test('an unknown name fails with the list of known widgets', () => {
    expect(() => embedEntry('no-such-widget')).toThrow(/No embeddable widget "no-such-widget"\. Known widgets: attention-pooling/);
  });

  test('each entry loads a component', async () => {
    for (const e of Object.values(EMBEDS)) expect(typeof (await e.load())).toBe('function');
  });
});
