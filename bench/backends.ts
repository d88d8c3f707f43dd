import { spawnSync } from 'node:child_process';
import type { Backend } from '../src/index.js';
import type { BenchBackend } from './BenchBackend.js';
import { brokerUnreachable, startBenchNodes } from './mqttNodes.js';

/**
 * Imports a backend's barrel that may not be on this branch yet (mpi, mqtt land on their
 * own): the specifier is a variable so the type check does not need the file, and a missing
 * file is a reason to skip, not an error.
 */
async function lazy<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}

/** Why a lazy backend cannot be used: its barrel does not load, or lacks its factory. */
async function missing(specifier: string, factory: string): Promise<string | undefined> {
  try {
    const module = await lazy<Record<string, unknown>>(specifier);
    return typeof module[factory] === 'function' ? undefined : `${specifier} has no ${factory}()`;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes(specifier.replace('../', '/'))) {
      return `${specifier.replace('../', '')} is not on this branch`;
    }
    return `${specifier} does not load: ${message.split('\n')[0]}`;
  }
}

const MPI = '../backends/mpi/index.js';
const MQTT = '../backends/mqtt/index.js';
const MPI_ADDON = '../backends/mpi/addon.js';

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
  {
    name: 'mpi',
    available: async () => {
      const launcher = process.env['DISPEL4TS_MPIRUN'] ?? 'mpirun';
      if (spawnSync(launcher, ['--version'], { stdio: 'ignore' }).status !== 0) {
        return `no MPI launcher (${launcher} --version fails)`;
      }
      const reason = await missing(MPI, 'mpi');
      if (reason) return reason;
      try {
        // The backend needs its native addon (`npm run build:mpi`): say so before any run.
        (await lazy<{ loadAddon(): unknown }>(MPI_ADDON)).loadAddon();
        return undefined;
      } catch (error) {
        return (error as Error).message.split('\n')[0];
      }
    },
    // k ranks, launched by the backend itself (mpirun under the measuring child).
    workers: (k) => k,
    processes: true,
    make: async (k) =>
      (await lazy<{ mpi(options: { ranks: number; idleMs: number }): Backend }>(MPI)).mpi({
        ranks: k,
        idleMs: 600_000,
      }),
  },
  {
    name: 'mqtt',
    available: () => missing(MQTT, 'mqtt'),
    // k nodes of the embedded cluster (an aedes broker on a loopback port).
    workers: (k) => k,
    processes: true,
    make: async (k) =>
      (await lazy<{ mqtt(options: { nodes: number; idleMs: number }): Backend }>(MQTT)).mqtt({
        nodes: k,
        idleMs: 600_000,
      }),
  },
  {
    name: 'mqtt-mosquitto',
    // k node processes joined through the machine's Mosquitto (or DISPEL4TS_BENCH_BROKER):
    // how the MQTT floors are set, and how remote nodes run.
    available: async () => (await missing(MQTT, 'mqtt')) ?? brokerUnreachable(benchBroker()),
    workers: (k) => k,
    processes: true,
    make: async (k) => {
      const broker = benchBroker();
      const nodes = await startBenchNodes(broker, k);
      type Options = { broker: string; secret: string; topicPrefix: string; nodes: number };
      type Closable = Backend & { close(): Promise<void> };
      const backend = (await lazy<{ mqtt(options: Options): Closable }>(MQTT)).mqtt({
        broker,
        secret: nodes.secret,
        topicPrefix: nodes.topicPrefix,
        nodes: k,
      });
      return {
        ...backend,
        close: async () => {
          await backend.close();
          await nodes.stop();
        },
      };
    },
  },
];

/** The broker of the `mqtt-mosquitto` entry. */
function benchBroker(): string {
  return process.env['DISPEL4TS_BENCH_BROKER'] ?? 'mqtt://127.0.0.1:1883';
}
