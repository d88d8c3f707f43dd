import { count, filter, firstValueFrom, map, range } from 'rxjs';
import { candidate, isPrime } from '../../examples/workloads/isprime.js';
import type { BenchWorkload } from '../BenchWorkload.js';

/** W3 `isprime`: CPU-bound scaling (`IsPrime` has `k` instances). */
export const isprime: BenchWorkload = {
  id: 'W3',
  name: 'isprime',
  defaultN: 40_000,
  quickN: 4_000,
  parallel: ['IsPrime'],
  load: async () => {
    const m = await import('../../examples/workloads/isprime.js');
    return { workflow: m.isprime, expected: m.expected };
  },
  loop: (n) => {
    let primes = 0;
    for (let i = 0; i < n; i++) if (isPrime(candidate(i))) primes++;
    return { CountPrimes: [primes] };
  },
  rxjs: async (n) => ({
    CountPrimes: [await firstValueFrom(range(0, n).pipe(map(candidate), filter(isPrime), count()))],
  }),
};
