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
  {
    name: 'mpi',
    aliases: [],
    mapping: 'mpi',
    description:
      "PE instances on MPI ranks (dispel4py's mpi): `mpiexec -n N dispel4ts mpi FILE`, or `-n N` to launch mpirun",
    processes: {
      description:
        'MPI ranks to launch with mpirun (under mpiexec the job has its size: give it there)',
    },
    options: [
      {
        flags: '--mpirun-args <args>',
        description: 'extra mpirun arguments when dispel4ts launches it, e.g. "--mca btl tcp,self"',
      },
    ],
    create: async ({ processes, options }) =>
      (await import('../../backends/mpi/index.js')).mpi({
        ...(processes !== undefined ? { ranks: processes } : {}),
        ...(typeof options.mpirunArgs === 'string'
          ? { mpirunArgs: options.mpirunArgs.split(/\s+/).filter(Boolean) }
          : {}),
        // The command runs once: end the job with the run rather than keep it warm.
        idleMs: 0,
      }),
    // Ranks 1 .. N-1 under mpiexec serve their PE instances; rank 0 runs the workflow.
    worker: () => {
      const rank =
        process.env.OMPI_COMM_WORLD_RANK ?? process.env.PMI_RANK ?? process.env.PMIX_RANK;
      if (rank === undefined || rank === '0') return undefined;
      return import('../../backends/mpi/index.js').then(({ serveRank }) => serveRank() ?? 0);
    },
  },
  {
    name: 'mqtt',
    aliases: [],
    description:
      'PE instances on worker nodes joined through an MQTT broker (`dispel4ts node --broker URL` on each); without --broker, an embedded broker and local nodes',
    processes: {
      description: 'nodes to run on (waits for that many; without --broker: local nodes to start)',
    },
    options: [
      {
        flags: '--broker <url>',
        description: 'the MQTT broker of the nodes, e.g. mqtt://10.0.0.5:1883 (default: embedded)',
      },
      {
        flags: '--secret-file <file>',
        description: 'file holding the cluster secret (default: $DISPEL4TS_SECRET)',
      },
      { flags: '--username <user>', description: 'broker login' },
      { flags: '--password <password>', description: 'broker password' },
      { flags: '--ca <file>', description: 'TLS: CA certificate (PEM) to trust for mqtts://' },
      { flags: '--cert <file>', description: 'TLS: client certificate (PEM)' },
      { flags: '--key <file>', description: 'TLS: client key (PEM)' },
      {
        flags: '--topic-prefix <prefix>',
        description: 'topic prefix of the cluster (default dispel4ts)',
      },
    ],
    create: async ({ processes, options }) =>
      (await import('../../backends/mqtt/mqttFromFlags.js')).mqttFromFlags(options, processes),
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
