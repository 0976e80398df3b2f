import { describe, expect, test } from 'vitest';
import { marpSnippet } from '../../src/components/embed/embed-code.ts';

describe('Marp embed code', () => {
  const params = new URLSearchParams('kernel=gaussian&sigma=0.50');
  test('is one <iframe> line sized for a slide under its title, not lazy, with its state in the address', () => {
    const md = marpSnippet({ origin: 'https://book.example', base: '/', slug: 'attention-pooling', params, title: 'Attention pooling', aspect: '4:3' });
    expect(md).toBe(
      '<iframe src="https://book.example/embed/attention-pooling/?kernel=gaussian&amp;sigma=0.50" title="Attention pooling (Attention Lab)" width="800" height="440" style="border: 0; display: block; margin: 0 auto;" allow="fullscreen"></iframe>',
    );
    expect(md).not.toContain('\n');
    expect(md).not.toContain('loading=');
  });
  test('16:9 is wider; a frame can be given; the theme travels in the address', () => {
    const wide = marpSnippet({ origin: 'https://b.example', base: '/', slug: 's', params, title: 'T', theme: 'dark' });
    expect(wide).toContain('width="1120" height="440"');
    expect(wide).toContain('theme=dark');
    const small = marpSnippet({ origin: 'https://b.example', base: '/', slug: 's', params, title: 'T', frame: { width: 720, height: 300 } });
    expect(small).toContain('width="720" height="300"');
  });
});
