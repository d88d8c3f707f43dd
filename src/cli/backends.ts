import { UsageError } from '../errors.js';
import type { BackendEntry } from './BackendEntry.js';

/**
 * The backends the `dispel4ts` command can run on, one entry each. To add one, add an
 * entry here (its module is imported lazily by `create`); `--backend`, its mapping
 * command (`dispel4ts mpi <file>`), its flags and `--help` follow from the entry.
 */
export const backends: readonly BackendEntry[] = [
  {
    name: 'sequential',
    aliases: ['simple', 'seq'],
    mapping: 'simple',
    description: "one thread, in-process RxJS: the reference semantics (dispel4py's simple)",
    inProcess: true,
    create: async () => (await import('../../backends/sequential/index.js')).sequential(),
  },
  {
    name: 'threads',
    aliases: ['multi'],
    mapping: 'multi',
    description: "PE instances on worker threads of this machine (dispel4py's multi)",
    processes: { description: 'worker threads (default: one per core)' },
    create: async ({ processes }) =>
      (await import('../../backends/threads/index.js')).threads(
        processes !== undefined ? { workers: processes } : {},
      ),
  },
];

/** The registry entry for a `--backend` value or alias; a {@link UsageError} if none. */
export function findBackend(name: string): BackendEntry {
  const wanted = name.toLowerCase();
  const entry = backends.find((b) => b.name === wanted || b.aliases.includes(wanted));
  if (!entry) {
    throw new UsageError(
      `unknown backend "${name}"`,
      `use one of: ${backends.map((b) => b.name).join(', ')} (--backend NAME)`,
    );
  }
  return entry;
}
