import { describe, expect, it } from 'vitest';
import { firstValueFrom, take } from 'rxjs';
import {
  collect,
  GenericPE,
  genericPE,
  producer,
  run,
  WorkflowBuilder,
} from '../../../src/index.js';

/** dispel4py's TestProducer(2): a root PE writing a counter on two ports per call. */
class TwoPortCounter extends GenericPE<
  Record<string, never>,
  { output0: number; output1: number }
> {
  counter = 0;
  process() {
    this.counter += 1;
    return { output0: this.counter, output1: this.counter };
  }
}

/** The sieve's stage: the first number is a prime, the rest pass when not divisible by it. */
type DivideOut = { prime: number; output: number };
class Divide extends GenericPE<{ input: number }, DivideOut> {
  divisor: number | undefined;
  process({ input }: Partial<{ input: number }>): Partial<DivideOut> | undefined {
    if (this.divisor === undefined) {
      this.divisor = input!;
      return { prime: input! };
    }
    return input! % this.divisor !== 0 ? { output: input! } : undefined;
  }
}

describe('genericPE', () => {
  it('stops calling a root PE once every reader has unsubscribed', async () => {
    const calls = { n: 0 };
    class Counting extends GenericPE<Record<string, never>, { output: number }> {
      process() {
        calls.n += 1;
        return { output: calls.n };
      }
    }
    const Root = genericPE('Counting', Counting, { inputs: [], outputs: ['output'] });
    const wf = new WorkflowBuilder('stoppable').add(Root).build();
    const first = await firstValueFrom(run(wf, undefined, { iterations: 1_000_000 }).pipe(take(1)));
    expect(first.value).toBe(1);
    expect(calls.n).toBeLessThan(10);
  });

  it('calls process({}) of a root PE (no inputs) once per iteration, as dispel4py does', async () => {
    const Producer = genericPE('TestProducer', TwoPortCounter, {
      inputs: [],
      outputs: ['output0', 'output1'],
    });
    const wf = new WorkflowBuilder('root').add(Producer).build();
    expect(await collect(wf, undefined, { iterations: 3 })).toEqual({
      'TestProducer.output0': [1, 2, 3],
      'TestProducer.output1': [1, 2, 3],
    });
  });

  it('gives a root PE its input data items as inputs when run with data', async () => {
    const Producer = genericPE('TestProducer', TwoPortCounter, {
      inputs: [],
      outputs: ['output0', 'output1'],
    });
    const wf = new WorkflowBuilder('root').add(Producer).build();
    const results = await collect(wf, undefined, { data: { TestProducer: [{}, {}] } });
    expect(results['TestProducer.output0']).toEqual([1, 2]);
  });

  it('loses nothing on a second output port when fed synchronously through a fused connection', async () => {
    const Numbers = producer('Numbers', (i) => i + 2);
    const Stage = genericPE('Divide', Divide, { inputs: ['input'], outputs: ['prime', 'output'] });
    const wf = new WorkflowBuilder('fused').connect(Numbers, 'output', Stage, 'input').build();
    expect(await collect(wf, undefined, { iterations: 10 })).toEqual({
      'Divide.prime': [2],
      Divide: [3, 5, 7, 9, 11],
    });
  });
});
