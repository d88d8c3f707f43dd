/**
 * The one wire protocol of the distributed backends (threads, MPI, MQTT): every message
 * between a coordinator and its workers, and between workers, discriminated on `kind`.
 * Transports move these objects (structured clone, or bytes where a transport needs them);
 * they never look inside except to route by `to`.
 */
import type { RunSpec } from '../backend.js';
import type { ExecutionPlan } from '../plan/plan.js';

/** The coordinator's endpoint number; workers are 0, 1, 2, ... */
export const COORDINATOR = -1;

/** Items of one connection for one receiving instance, as sent in one batch. */
export interface DataPart {
  /** Connection id in the graph. */
  readonly connection: number;
  /** Receiving instance of the connection's target PE. */
  readonly to: number;
  /** The items: an array, or a Float64Array when every item of the batch is a number. */
  readonly items: readonly unknown[] | Float64Array;
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
  /** Batch size in items (flush threshold) and credit window in messages per link. */
  readonly batchSize: number;
  readonly window: number;
  /** Collect per-PE timing (the CLI's --timing). */
  readonly timing?: boolean;
}

export type Message =
  /** coordinator → worker: the run to take part in. */
  | { readonly kind: 'assign'; readonly assignment: RunAssignment }
  /** worker → coordinator: the workflow is loaded and every local instance is listening. */
  | { readonly kind: 'ready'; readonly from: number }
  /** coordinator → worker: start the producers. */
  | { readonly kind: 'start' }
  /** worker → worker (or coordinator → worker for the workflow input): a batch of items. */
  | { readonly kind: 'data'; readonly from: number; readonly parts: readonly DataPart[] }
  /** A sending instance has finished a connection (after all its data on the same link). */
  | {
      readonly kind: 'eos';
      readonly from: number;
      readonly connection: number;
      readonly sender: number;
      readonly to: number;
    }
  /** receiver → sender: `messages` more data messages may be sent on this link. */
  | { readonly kind: 'credit'; readonly from: number; readonly messages: number }
  /** worker → coordinator: values written to a workflow output. */
  | { readonly kind: 'result'; readonly from: number; readonly output: string; readonly values: readonly unknown[] }
  /** worker → coordinator: every local instance has finished. */
  | { readonly kind: 'done'; readonly from: number; readonly stats?: readonly InstanceStats[] }
  /** worker → coordinator: the run failed here. */
  | { readonly kind: 'error'; readonly from: number; readonly error: SerializedError }
  /** coordinator → worker: stop the run now (failure elsewhere, or the caller unsubscribed). */
  | { readonly kind: 'stop' };

/** Per-instance counters, when timing is on. */
export interface InstanceStats {
  readonly pe: string;
  readonly instance: number;
  readonly itemsIn: number;
  readonly itemsOut: number;
  readonly busyMs: number;
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
