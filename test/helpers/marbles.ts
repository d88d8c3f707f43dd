import { expect } from 'vitest';
import type { TestScheduler } from 'rxjs/testing';
import { testScheduler } from '../../src/testing/index.js';

/** A TestScheduler asserting with vitest's `expect` (its diffs), from `dispel4ts/testing`. */
export function marbles(): TestScheduler {
  return testScheduler((actual, expected) => expect(actual).toEqual(expected));
}
