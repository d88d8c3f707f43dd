/**
 * Streaming sentiment analysis in the style of dispel4py's article-sentiment workflow: which
 * places publish the happiest and the saddest news?
 *
 * `Articles` emits article `i` of a deterministic corpus (`corpus.ts`) for each iteration
 * (`-i N` = N articles); `Tokenise` splits its text into words; `ScoreAFINN` scores them with
 * the AFINN-165 lexicon; `FindPlace` keys the score by the article's place (the city of its
 * `City, Country` location); `HappyPlace`, grouped by place, keeps each place's running
 * total and emits the place's running mean score after every article; `TopPlaces`,
 * all-to-one, keeps the latest mean of every place and, when the stream ends, emits the
 * {@link TOP_K} happiest and saddest places.
 *
 * The answer is a plain loop over the same corpus ({@link expected}); the running means are
 * exact (integer totals over integer counts), so every backend gives it exactly.
 */
import { map, Observable } from 'rxjs';
import { pe, producer, workflow } from '../../../src/index.js';
import { allToOne, groupByKey, shuffle } from '../../../operators/index.js';
import { score, tokenise } from './afinn.js';
import { article, type Article } from './corpus.js';

/** How many happiest and saddest places the workflow reports. */
export const TOP_K = 3;

/** An article's words. */
export interface Tokens {
  readonly location: string;
  readonly tokens: string[];
}

/** An article's AFINN score. */
export interface Scored {
  readonly location: string;
  readonly score: number;
}

/** A place and a score: `[place, score]`. */
export type PlaceScore = readonly [place: string, score: number];

/** A place's running mean: `[place, mean score, articles so far]`. */
export type RunningMean = readonly [place: string, mean: number, articles: number];

/** What `TopPlaces` emits. */
export interface Ranking {
  /** The happiest places, happiest first, as `[place, mean score, articles]`. */
  readonly happiest: RunningMean[];
  /** The saddest places, saddest first. */
  readonly saddest: RunningMean[];
}

const Articles = producer('Articles', article);

const Tokenise = pe(
  'Tokenise',
  map(({ location, text }: Article): Tokens => ({ location, tokens: tokenise(text) })),
  { instances: 2 },
);

const ScoreAFINN = pe(
  'ScoreAFINN',
  map(({ location, tokens }: Tokens): Scored => ({ location, score: score(tokens) })),
  { instances: 2 },
);

const FindPlace = pe(
  'FindPlace',
  map(({ location, score }: Scored): PlaceScore => [location.split(',')[0]!.trim(), score]),
);

// Per-instance state: the running total and count of every place this instance owns.
const HappyPlace = pe(
  'HappyPlace',
  (scores: Observable<PlaceScore>) => {
    const totals = new Map<string, { total: number; count: number }>();
    return scores.pipe(
      map(([place, score]): RunningMean => {
        const t = totals.get(place) ?? { total: 0, count: 0 };
        t.total += score;
        t.count++;
        totals.set(place, t);
        return [place, t.total / t.count, t.count];
      }),
    );
  },
  { instances: 3 },
);

/** Orders running means happiest first; ties by place name. */
export function happiestFirst(a: RunningMean, b: RunningMean): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** The top-k happiest and saddest of the latest means. */
export function rank(latest: Iterable<RunningMean>, k: number = TOP_K): Ranking {
  const sorted = [...latest].sort(happiestFirst);
  return { happiest: sorted.slice(0, k), saddest: sorted.reverse().slice(0, k) };
}

// Per-instance state: the latest running mean of every place. A place's means come from
// the one HappyPlace instance that owns it, in order, so the last one seen is its final mean.
const TopPlaces = pe(
  'TopPlaces',
  (means: Observable<RunningMean>) =>
    new Observable<Ranking>((subscriber) => {
      const latest = new Map<string, RunningMean>();
      return means.subscribe({
        next: (mean) => latest.set(mean[0], mean),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.next(rank(latest.values()));
          subscriber.complete();
        },
      });
    }),
);

/**
 * The workflow: `Articles -> Tokenise (x2) -> ScoreAFINN (x2) -> FindPlace -> HappyPlace
 * (x3, by place) -> TopPlaces (all-to-one)`.
 */
export const sentiment = workflow('sentiment', () =>
  Articles().pipe(
    shuffle(),
    Tokenise,
    ScoreAFINN,
    FindPlace,
    groupByKey(0),
    HappyPlace,
    allToOne(),
    TopPlaces,
  ),
);

/** The answer for N = `iterations` articles, by a plain loop over the same corpus. */
export function expected(iterations: number): { TopPlaces: Ranking[] } {
  const totals = new Map<string, { total: number; count: number }>();
  for (let i = 0; i < iterations; i++) {
    const { location, text } = article(i);
    const place = location.split(',')[0]!.trim();
    const t = totals.get(place) ?? { total: 0, count: 0 };
    t.total += score(tokenise(text));
    t.count++;
    totals.set(place, t);
  }
  const means = [...totals].map(([place, { total, count }]): RunningMean => [
    place,
    total / count,
    count,
  ]);
  return { TopPlaces: [rank(means)] };
}
