import type { BenchBackend } from './BenchBackend.js';

/**
 * Every backend the harness knows, in report order. Each says whether it can run here; the
 * harness runs the available ones a run selects and reports why the others were skipped.
 */
export const backends: readonly BenchBackend[] = [
  {
    name: 'sequential',
    available: () => Promise.resolve(undefined),
    workers: () => 0,
    make: async () => (await import('../backends/sequential/index.js')).sequential(),
  },
  {
    name: 'threads',
    available: async () => {
      try {
        await import('../backends/threads/index.js');
        return undefined;
      } catch (error) {
        return `backends/threads does not load: ${(error as Error).message}`;
      }
    },
    // One worker thread per instance of the parallel PE; the other PEs are dealt over them.
    workers: (k) => k,
    // Workers stay warm between the runs of a process (they never keep it alive), however
    // long the runs in between take on a loaded machine.
    make: async (k) =>
      (await import('../backends/threads/index.js')).threads({ workers: k, idleMs: 600_000 }),
  },
];
