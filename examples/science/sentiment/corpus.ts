/**
 * A deterministic corpus of short local-news articles, each tagged with the place it was
 * published in, in the shape of the news-articles data set dispel4py's sentiment workflow
 * reads (text plus location). Article `i` is made from a seeded generator, so every run and
 * every backend reads the same corpus without a download.
 *
 * Each place has a mood in [-1, 1]: the probability that a sentiment-bearing word in its
 * articles is positive is `0.5 + 0.35 * mood`, and one such word in ten is negated ("not
 * good"), so the lexicon scorer's negation handling matters.
 */

/** One article. */
export interface Article {
  readonly id: number;
  /** `City, Country`, as a location field gives it. */
  readonly location: string;
  readonly text: string;
}

/** The places articles come from, with their mood (for the generator only). */
export const PLACES: readonly { readonly location: string; readonly mood: number }[] = [
  { location: 'Aarhus, Denmark', mood: 0.8 },
  { location: 'Wellington, New Zealand', mood: 0.6 },
  { location: 'Edinburgh, United Kingdom', mood: 0.45 },
  { location: 'Porto, Portugal', mood: 0.3 },
  { location: 'Montreal, Canada', mood: 0.2 },
  { location: 'Kyoto, Japan', mood: 0.1 },
  { location: 'Valparaiso, Chile', mood: 0 },
  { location: 'Nairobi, Kenya', mood: -0.05 },
  { location: 'Naples, Italy', mood: -0.15 },
  { location: 'Detroit, United States', mood: -0.3 },
  { location: 'Marseille, France', mood: -0.45 },
  { location: 'Gotham, United States', mood: -0.7 },
];

/** Sentiment-bearing words of the AFINN-165 lexicon the generator uses. */
export const POSITIVE = [
  'good',
  'great',
  'happy',
  'love',
  'excellent',
  'wonderful',
  'win',
  'success',
  'hope',
  'safe',
  'improve',
  'celebrate',
  'benefit',
  'fantastic',
  'proud',
  'thrilled',
  'delighted',
  'brilliant',
  'support',
] as const;
export const NEGATIVE = [
  'bad',
  'sad',
  'hate',
  'terrible',
  'crisis',
  'fail',
  'loss',
  'angry',
  'fear',
  'poor',
  'danger',
  'worst',
  'disaster',
  'pain',
  'worried',
  'broken',
  'collapse',
  'violence',
  'protest',
  'damage',
] as const;

const SUBJECTS = [
  'Residents',
  'The council',
  'Local traders',
  'Parents',
  'Commuters',
  'The mayor',
  'Fans',
  'Farmers',
];
const TOPICS = [
  'the new tram line',
  'the harbour plan',
  'the school budget',
  'the football season',
  'the water supply',
  'the housing scheme',
  'the festival',
  'the hospital',
];
const VERBS = ['called it', 'said it was', 'described it as', 'felt it was', 'reported'];
const NEUTRAL = [
  'this week',
  'on Monday',
  'after the meeting',
  'in a statement',
  'according to officials',
  'once again',
];

/** mulberry32, seeded per article. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: () => number, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** Article `i` of the corpus. */
export function article(i: number): Article {
  const rng = random(Math.imul(i + 1, 0x9e3779b1));
  const place = pick(rng, PLACES);
  const city = place.location.split(',')[0]!;
  const word = () => {
    const w = rng() < 0.5 + 0.35 * place.mood ? pick(rng, POSITIVE) : pick(rng, NEGATIVE);
    return rng() < 0.1 ? `not ${w}` : w;
  };
  const sentences = 2 + Math.floor(rng() * 3);
  const text = Array.from({ length: sentences }, () => {
    return `${pick(rng, SUBJECTS)} in ${city} ${pick(rng, VERBS)} ${word()} ${pick(rng, NEUTRAL)}, as ${pick(rng, TOPICS)} brought ${word()} news.`;
  }).join(' ');
  return { id: i, location: place.location, text };
}
