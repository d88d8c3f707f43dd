/**
 * W3 `isprime` (shared/bench/WORKLOADS.md): CPU-bound scaling.
 *
 * `Candidates` emits N odd candidates (N = iterations) in a scrambled order, so round-robin
 * placement does not line up with divisibility (see {@link candidate}). `IsPrime`, with `k`
 * instances (default 2; set it per run with `run(..., { instances: { IsPrime: k } })`) fed
 * round robin (`shuffle()`), tests each by trial division by odd numbers up to its square
 * root and passes primes on. `CountPrimes`, fed all-to-one, emits how many arrived.
 */
import { count, filter } from 'rxjs';
import { pe, producer, workflow } from '../../src/index.js';
import { allToOne, shuffle } from '../../operators/index.js';

/**
 * Candidate `i`, with 32-bit unsigned arithmetic:
 * `x = i * 2654435761; x ^= x >>> 16; x = x * 0x45d9f3b; x ^= x >>> 16`, then
 * `1_000_000_001 + 2 * (x % 50_000_000)`.
 */
export function candidate(i: number): number {
  let x = Math.imul(i, 2654435761) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return 1_000_000_001 + 2 * (x % 50_000_000);
}

/** Trial division by odd numbers from 3 up to `floor(sqrt(n))`. */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  const limit = Math.floor(Math.sqrt(n));
  if (n <= 0x7fffffff) {
    // Every W3 candidate fits in an int32. Saying so (`| 0`) keeps V8's `%` an integer
    // division: with a plain number, code re-optimised after the first run of a process fell
    // back to floating-point modulus and ran W3 3-4x slower from the second run on.
    const m = n | 0;
    for (let d = 3; d <= limit; d += 2) if (m % d === 0) return false;
    return true;
  }
  for (let d = 3; d <= limit; d += 2) if (n % d === 0) return false;
  return true;
}

const Candidates = producer('Candidates', candidate);
const IsPrime = pe('IsPrime', filter(isPrime), { instances: 2 });
const CountPrimes = pe('CountPrimes', count<number>());

/** The workflow: `Candidates -> IsPrime (xk, shuffle) -> CountPrimes (all-to-one)`. */
export const isprime = workflow('isprime', () =>
  Candidates().pipe(shuffle(), IsPrime, allToOne(), CountPrimes),
);

/** The answer for N = `iterations`: the number of primes among the candidates, by a plain loop. */
export function expected(iterations: number): { CountPrimes: number[] } {
  let primes = 0;
  for (let i = 0; i < iterations; i++) if (isPrime(candidate(i))) primes++;
  return { CountPrimes: [primes] };
}
