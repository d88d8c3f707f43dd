import type { Backend } from '../../src/backend.js';
import { inProcessBackend } from '../../src/runtime/inProcessBackend.js';

/**
 * The sequential backend: every PE instance in this thread, in-process RxJS. It defines the
 * reference semantics every other backend matches, honours `instances` and groupings (three
 * instances of a group-by PE each see only their own keys and keep their own state), and runs
 * under RxJS's TestScheduler, so whole workflows can be tested with marble diagrams.
 *
 * @example
 * ```ts
 * import { collect } from 'dispel4ts';
 * import { sequential } from 'dispel4ts/backends/sequential';
 *
 * const { Sum } = await collect(pipeline, sequential(), { iterations: 10 });
 * ```
 */
export function sequential(): Backend {
  return inProcessBackend;
}
