import { availableParallelism } from 'node:os';

/**
 * @internal The V8 flags a rank launched by `mpi({ ranks })` starts with, before the caller's
 * `nodeArgs` (which can undo them: `--no-single-threaded-gc`, a later
 * `--initial-old-space-size`).
 *
 * - `--initial-old-space-size=64`: a rank's heap is small (8–9 MB), and V8 starts a full
 *   collection whenever the old space's room left falls below the young generation's capacity
 *   (16 MB): W5's ranks ran about 7 full collections a run each, marking the whole heap every
 *   time, for 0.5 MB freed. The limit only moves the first collection; memory is not reserved.
 *   (128 MB took a few fewer collections, but let a rank's garbage reach 128 MB before the
 *   first: the flow-control test's long run then held 79 MB more than its short one, not 26.)
 * - `--single-threaded-gc` when the ranks are at least the cores: V8's concurrent marking and
 *   sweeping threads then take cores from the other ranks rather than idle ones.
 *
 * Measured on W5 with 2 ranks on 2 cores, the runs of two jobs interleaved (medians of 14–20):
 * 305 → 434 MB/s with the first flag (at 128 MB), 454 → 530 MB/s with the second.
 */
export function rankV8Flags(ranks: number): string[] {
  const flags = ['--initial-old-space-size=64'];
  if (ranks >= availableParallelism()) flags.push('--single-threaded-gc');
  return flags;
}
