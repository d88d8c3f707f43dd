import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { RunAssignment } from '../../src/runtime/protocol.js';

/**
 * @internal What a coordinator sends a node for one endpoint of a run: the assignment (graph,
 * plan, ...) and the workflow's bundle, signed together with the cluster's shared secret.
 */
export interface Job {
  readonly version: 1;
  readonly issuedAt: number;
  /** The run's topic id. */
  readonly run: string;
  /** The node the job is for. */
  readonly node: string;
  readonly endpoint: number;
  readonly workers: number;
  readonly heartbeatTimeoutMs: number;
  readonly gapTimeoutMs: number;
  readonly maxMessageBytes: number;
  readonly assignment: RunAssignment;
  readonly bundle: string;
  readonly bundleHash: string;
}

/** The job message as sent: the signed payload, and where a refusal goes (unsigned). */
interface Sealed {
  readonly reply: string;
  readonly run: string;
  readonly endpoint: number;
  readonly sig: Uint8Array;
  readonly payload: Uint8Array;
}

/** @internal The SHA-256 of a bundle's code, hex. */
export function hashBundle(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** @internal Seals a job: v8-serialised, with an HMAC-SHA256 over it under `secret`. */
export function sealJob(secret: string, job: Job, reply: string): Buffer {
  const payload = serialize(job);
  const sig = createHmac('sha256', secret).update(payload).digest();
  return serialize({ reply, run: job.run, endpoint: job.endpoint, sig, payload } satisfies Sealed);
}

/** What {@link openJob} found: the job, or why it was refused and where to say so. */
export type Opened =
  | { readonly job: Job }
  | {
      readonly refused: string;
      readonly reply?: string;
      readonly run?: string;
      readonly endpoint?: number;
    };

/**
 * @internal Opens a sealed job: refuses it unless its signature verifies under `secret`
 * (before anything of the payload is read) and it is well formed, for `node`, and fresh.
 */
export function openJob(secret: string, message: Buffer, node: string, maxAgeMs: number): Opened {
  let sealed: Partial<Sealed>;
  try {
    sealed = deserialize(message) as Partial<Sealed>;
  } catch {
    return { refused: 'not a sealed job' };
  }
  if (typeof sealed !== 'object' || sealed === null) return { refused: 'not a sealed job' };
  const where = {
    ...(typeof sealed.reply === 'string' ? { reply: sealed.reply } : {}),
    ...(typeof sealed.run === 'string' ? { run: sealed.run } : {}),
    ...(typeof sealed.endpoint === 'number' ? { endpoint: sealed.endpoint } : {}),
  };
  if (!(sealed.sig instanceof Uint8Array) || !(sealed.payload instanceof Uint8Array)) {
    return { refused: 'the job is not signed', ...where };
  }
  const expected = createHmac('sha256', secret).update(sealed.payload).digest();
  if (sealed.sig.length !== expected.length || !timingSafeEqual(sealed.sig, expected)) {
    return {
      refused:
        "the job's signature does not verify with this node's secret (coordinator and node need the same cluster secret)",
      ...where,
    };
  }
  let job: Job;
  try {
    job = deserialize(sealed.payload) as Job;
  } catch {
    return { refused: 'the signed payload does not decode', ...where };
  }
  if (job.version !== 1)
    return {
      refused: `job version ${String(job.version)} is not supported (update dispel4ts)`,
      ...where,
    };
  if (job.node !== node) return { refused: `the job is for node ${job.node}`, ...where };
  if (job.run !== sealed.run || job.endpoint !== sealed.endpoint)
    return { refused: 'the envelope does not match the job', ...where };
  if (Math.abs(Date.now() - job.issuedAt) > maxAgeMs)
    return { refused: 'the job is stale (replayed, or clocks disagree)', ...where };
  if (hashBundle(job.bundle) !== job.bundleHash)
    return { refused: 'the bundle does not match its hash', ...where };
  return { job };
}
