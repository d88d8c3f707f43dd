/**
 * The one wire protocol of the distributed backends (threads, MPI, MQTT): every message
 * between a coordinator and its workers, and between workers, discriminated on `kind`.
 * Transports move these objects (structured clone, or bytes where a transport needs them);
 * they never look inside except to route by `to`.
 */
import type { RunSpec } from '../backend.js';
import {
  BackendError,
  GraphError,
  PEError,
  UncloneableValueError,
  WorkerLostError,
} from '../errors.js';
import type { ExecutionPlan } from '../plan/plan.js';

/** The coordinator's endpoint number; workers are 0, 1, 2, ... */
export const COORDINATOR = -1;

/**
 * A channel: one connection, from one sending instance to one receiving instance. Items,
 * end of stream and credits travel per channel, so flow control follows the graph (a DAG)
 * and cannot deadlock however instances are placed on workers.
 */
export interface ChannelRef {
  /** Connection id in the graph. */
  readonly connection: number;
  /** Sending instance of the connection's source PE. */
  readonly sender: number;
  /** Receiving instance of the connection's target PE. */
  readonly to: number;
}

/** An error as it crosses a boundary: rebuilt as the same class on the other side. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What a worker needs to run its part of a run (sent once, at the start). */
export interface RunAssignment {
  readonly runId: string;
  /** The module that defines the workflow, imported by the worker. */
  readonly module: string;
  /** The workflow's name, to find its export in the module. */
  readonly workflow: string;
  readonly spec: Omit<RunSpec, 'input'>;
  readonly plan: ExecutionPlan;
  /** Batch size in items (flush threshold) and credit window in messages per channel. */
  readonly batchSize: number;
  readonly window: number;
  /**
   * Time PE instances (the CLI's `--timing`): busy time and sampled per-item times, sent
   * with `done`. Implies counting.
   */
  readonly timing?: boolean;
  /**
   * Count items per PE instance, and send the counts on every heartbeat while the run goes
   * (the CLI's progress display) and with `done`.
   */
  readonly counts?: boolean;
}

export type Message =
  /** coordinator → worker: the run to take part in. */
  | { readonly kind: 'assign'; readonly assignment: RunAssignment }
  /** worker → coordinator: the workflow is loaded and every local instance is listening. */
  | { readonly kind: 'ready'; readonly run: string; readonly from: number }
  /** coordinator → worker: start the producers. */
  | { readonly kind: 'start' }
  /**
   * A batch of items on a channel: an array, or a Float64Array when every item of the batch
   * is a number.
   */
  | (ChannelRef & {
      readonly kind: 'data';
      readonly run: string;
      readonly from: number;
      readonly items: readonly unknown[] | Float64Array;
    })
  /** The sending instance has finished the channel (sent after all its data). */
  | (ChannelRef & { readonly kind: 'eos'; readonly run: string; readonly from: number })
  /**
   * receiver → sender: `messages` more data messages may be sent on the channel; `itemNs`:
   * what an item of the batch just processed cost the receiver (ns), by which the sender's
   * load-aware shuffle weighs the work each receiver has ahead.
   */
  | (ChannelRef & {
      readonly kind: 'credit';
      readonly run: string;
      readonly from: number;
      readonly messages: number;
      readonly itemNs?: number;
      /** The processed all-number batch's buffer, moved back for the sender to refill. */
      readonly buffer?: ArrayBuffer;
    })
  /** worker → coordinator: values written to a workflow output. */
  | {
      readonly kind: 'result';
      readonly run: string;
      readonly from: number;
      readonly output: string;
      readonly values: readonly unknown[];
    }
  /** worker → coordinator: every local instance has finished. */
  | {
      readonly kind: 'done';
      readonly run: string;
      readonly from: number;
      readonly stats?: readonly InstanceStats[];
    }
  /** worker → coordinator: the run failed here (`run`, when the sender knows which). */
  | {
      readonly kind: 'error';
      readonly run?: string;
      readonly from: number;
      readonly error: SerializedError;
    }
  /** coordinator → worker: stop the run now (failure elsewhere, or the caller unsubscribed). */
  | { readonly kind: 'stop' }
  /**
   * worker → coordinator, every second: this worker's event loop is alive; with counting on,
   * its instances' counters so far.
   */
  | {
      readonly kind: 'heartbeat';
      readonly from: number;
      readonly stats?: readonly InstanceStats[];
    };

/** Per-instance counters, when counting or timing is on. */
export interface InstanceStats {
  readonly pe: string;
  readonly instance: number;
  readonly itemsIn: number;
  readonly itemsOut: number;
  /** Busy time, ms, estimated from sampled items (0 without timing). */
  readonly busyMs: number;
  /** Sampled per-item times, ms (timing only, final report only): for percentiles. */
  readonly sampleMs?: readonly number[];
}

/** Serialises an error with its class name and public fields (PE, instance, port, ...). */
export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause') continue;
    try {
      fields[key] = structuredClone(value);
    } catch {
      fields[key] = String(value);
    }
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

const errorClasses: Readonly<Record<string, new (...args: never[]) => Error>> = {
  PEError,
  GraphError,
  UncloneableValueError,
  BackendError,
  WorkerLostError,
};

/** Rebuilds a serialised error as its own class (PEError, ...) with its fields. */
export function deserializeError(serialized: SerializedError): Error {
  const Class = errorClasses[serialized.name] ?? Error;
  const error = Object.create(Class.prototype) as Error;
  Object.assign(error, serialized.fields);
  Object.defineProperty(error, 'message', { value: serialized.message, writable: true, configurable: true });
  Object.defineProperty(error, 'stack', { value: serialized.stack, writable: true, configurable: true });
  if (!(serialized.name in errorClasses)) {
    Object.defineProperty(error, 'name', { value: serialized.name, writable: true, configurable: true });
  }
  return error;
}
