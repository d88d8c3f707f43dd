import { assertOption, isPositiveInteger } from '../dsl/options.js';

/** The batching, flow-control and liveness options every distributed backend takes. */
export interface FlowOptions {
  /**
   * Items per batch between endpoints (at most: fewer when they carry ~1 MiB of typed arrays, or
   * when the receiver's items are costly).
   */
  readonly batchSize?: number;
  /** Batches in flight per channel before the sender waits (flow control). */
  readonly window?: number;
  /** An endpoint silent (no heartbeat) this long is declared lost, in ms. */
  readonly heartbeatTimeoutMs?: number;
}

/**
 * @internal A backend's {@link FlowOptions} with its defaults filled in, each checked at the
 * facade with an error naming the option (`threads() options.window must be ...`).
 */
export function flowOptions(
  backend: string,
  options: FlowOptions,
  defaults: Required<FlowOptions>,
): Required<FlowOptions> {
  const resolved = {
    batchSize: options.batchSize ?? defaults.batchSize,
    window: options.window ?? defaults.window,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? defaults.heartbeatTimeoutMs,
  };
  const integer = 'a positive integer';
  assertOption(`${backend}() options.batchSize`, resolved.batchSize, isPositiveInteger, integer);
  assertOption(`${backend}() options.window`, resolved.window, isPositiveInteger, integer);
  assertOption(
    `${backend}() options.heartbeatTimeoutMs`,
    resolved.heartbeatTimeoutMs,
    isPositiveInteger,
    `${integer} (ms)`,
  );
  return resolved;
}
