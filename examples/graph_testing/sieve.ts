/**
 * dispel4py 1.x's `graph_testing/sieveoferatosthenes.py`: the sieve of Eratosthenes as a
 * chain of PEs. `NumberProducer` writes `2 .. 999`; each of 198 stages (`Divide2` ..
 * `Divide199`, dispel4py's `MyFirstPE`) takes the first number it receives as its prime
 * (port `prime`) and passes on (port `output`) only the numbers its prime does not divide;
 * every stage's `prime` goes to `PrimeCollector`. A generated graph, written dispel4py's way
 * with `WorkflowBuilder.connect` in a loop.
 *
 * dispel4py: `PrimeCollector` outputs the 168 primes below 1000 (order across stages is not
 * defined: compare as a multiset); the last stage's output is empty. The recursive form (a
 * stage feeding itself) is a cycle, which `validate()` rejects: the chain is that loop unrolled.
 * Every iteration writes `2 .. 999` again and the answer does not change (a prime arriving a
 * second time is divisible by the stage that kept it).
 */
import { genericPE, GenericPE, WorkflowBuilder } from '../../src/index.js';
import { TestOneInOneOut } from './testingPEs.js';

/** Numbers are `2 .. LIMIT - 1`. */
export const LIMIT = 1000;
/** Number of sieve stages (dispel4py's `range(2, 200)`). */
export const STAGES = 198;

/** dispel4py's sieve `NumberProducer(limit)`: writes `2 .. limit - 1` on each call. */
class NumberProducer extends GenericPE<Record<string, never>, { output: number }> {
  process(): void {
    for (let i = 2; i < LIMIT; i++) this.write('output', i);
  }
}

type DivideOut = { prime: number; output: number };

/** dispel4py's `MyFirstPE`: the first number is this stage's prime; passes the rest it does not divide. */
class Divide extends GenericPE<{ input: number }, DivideOut> {
  private divisor: number | undefined;

  process({ input }: Partial<{ input: number }>): Partial<DivideOut> | undefined {
    const number = input!;
    if (this.divisor === undefined) {
      this.divisor = number;
      return { prime: number };
    }
    return number % this.divisor !== 0 ? { output: number } : undefined;
  }
}

const graph = new WorkflowBuilder('sieve');
const producer = genericPE('NumberProducer', NumberProducer, { inputs: [], outputs: ['output'] });
const primes = genericPE('PrimeCollector', TestOneInOneOut<number>);
let previous: object = producer;
for (let i = 2; i < 2 + STAGES; i++) {
  const divide = genericPE(`Divide${i}`, Divide, {
    inputs: ['input'],
    outputs: ['prime', 'output'],
  });
  graph.connect(previous, 'output', divide, 'input');
  graph.connect(divide, 'prime', primes, 'input');
  previous = divide;
}
graph.output('primes', primes);

/** The workflow: `NumberProducer -> Divide2 -> .. -> Divide199`, every `prime` into `PrimeCollector`. */
export const sieve = graph.build<never, { primes: number; Divide199: number }>();

/** dispel4py's answer: the primes below 1000 (a multiset) for any number of iterations ≥ 1. */
export function expected(iterations: number): { primes: number[]; Divide199: number[] } {
  if (iterations === 0) return { primes: [], Divide199: [] };
  const primes: number[] = [];
  for (let n = 2; n < LIMIT; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) if (n % d === 0) prime = false;
    if (prime) primes.push(n);
  }
  return { primes, Divide199: [] };
}
