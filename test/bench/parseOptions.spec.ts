import { describe, expect, it } from 'vitest';
import { parseOptions } from '../../bench/parseOptions.js';

describe('parseOptions', () => {
  it('reads every documented option', () => {
    expect(
      parseOptions(
        '--workload W1,W3 --backend sequential,threads --k 1,2,4 --n 1_000 --repeat 3 --processes 3 --json r.json'.split(
          ' ',
        ),
      ),
    ).toMatchObject({
      workloads: ['W1', 'W3'],
      backends: ['sequential', 'threads'],
      ks: [1, 2, 4],
      n: 1000,
      repeat: 3,
      processes: 3,
      json: 'r.json',
      quick: false,
      out: 'bench/results',
    });
  });

  it('defaults to k = 1,2, five runs, each workload its own size', () => {
    expect(parseOptions([])).toMatchObject({
      ks: [1, 2],
      repeat: 5,
      processes: 1,
      n: undefined,
      workloads: undefined,
    });
  });

  it('makes --quick one run, written apart from the committed report', () => {
    expect(parseOptions(['--quick', '--processes', '3'])).toMatchObject({
      quick: true,
      repeat: 1,
      processes: 1,
      out: 'bench/results/quick',
    });
  });
});
