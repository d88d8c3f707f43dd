/**
 * Every error dispel4ts raises, as classes with fields, so callers and tests match on the
 * class and its fields rather than on message text.
 */

/** Where in a workflow something went wrong. */
export interface ErrorSite {
  readonly workflow?: string;
  readonly pe?: string;
  readonly instance?: number;
  readonly port?: string;
}

/** A processing element threw, or its stream errored, while handling an item. */
export class PEError extends Error {
  override readonly name = 'PEError';
  readonly workflow: string;
  readonly pe: string;
  readonly instance: number;
  /** The last item the instance received before it failed (absent for producers). */
  readonly item: unknown;
  readonly hasItem: boolean;

  constructor(
    site: { workflow: string; pe: string; instance: number },
    cause: unknown,
    item?: { value: unknown },
  ) {
    const what = item ? ` on item ${describeValue(item.value)}` : '';
    super(
      `PE "${site.pe}" instance ${site.instance} of workflow "${site.workflow}" failed${what}: ${messageOf(cause)}`,
      { cause },
    );
    this.workflow = site.workflow;
    this.pe = site.pe;
    this.instance = site.instance;
    this.hasItem = item !== undefined;
    this.item = item?.value;
  }
}

/** One problem found in a workflow graph, with the fix. */
export interface GraphProblem {
  readonly code:
    | 'duplicate-name'
    | 'unknown-port'
    | 'unconnected-input'
    | 'bad-instances'
    | 'cycle'
    | 'no-outputs'
    | 'bad-connection';
  readonly message: string;
  readonly pe?: string;
  readonly port?: string;
}

/** A workflow graph is invalid; `problems` lists every problem found, each with its fix. */
export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly workflow: string;
  readonly problems: readonly GraphProblem[];

  constructor(workflow: string, problems: readonly GraphProblem[]) {
    super(
      `Workflow "${workflow}" is invalid:\n` + problems.map((p) => `  - ${p.message}`).join('\n'),
    );
    this.workflow = workflow;
    this.problems = problems;
  }
}

/** A value that cannot cross a process boundary (not a structured-clone value). */
export class UncloneableValueError extends Error {
  override readonly name = 'UncloneableValueError';
  readonly workflow: string;
  readonly pe: string;
  readonly port: string;
  /** Path to the offending part of the value, e.g. `value.items[2].fn`. */
  readonly path: string;

  constructor(site: { workflow: string; pe: string; port: string }, path: string, reason: string) {
    super(
      `PE "${site.pe}" of workflow "${site.workflow}" wrote a value on port "${site.port}" that cannot ` +
        `cross a process boundary: ${path} is ${reason}. Emit plain data (numbers, strings, arrays, ` +
        `plain objects, Map, Set, Date, BigInt, typed arrays) instead.`,
    );
    this.workflow = site.workflow;
    this.pe = site.pe;
    this.port = site.port;
    this.path = path;
  }
}

/** A backend could not enact a workflow (bad options, missing dependency, unsupported graph). */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  readonly backend: string;

  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(`${backend} backend: ${message}`, options);
    this.backend = backend;
  }
}

/** A worker, rank or node running PE instances died or stopped answering. */
export class WorkerLostError extends Error {
  override readonly name = 'WorkerLostError';
  readonly backend: string;
  readonly worker: string;
  /** The PE instances that were running there, as `PE[instance]`. */
  readonly instances: readonly string[];

  constructor(backend: string, worker: string, instances: readonly string[], reason: string) {
    super(
      `${backend} backend: ${worker} running ${instances.join(', ') || 'no instances'} was lost: ${reason}`,
    );
    this.backend = backend;
    this.worker = worker;
    this.instances = instances;
  }
}

/**
 * Bad input to the `dispel4ts` command (a missing file, invalid JSON, an unknown backend):
 * printed as one line, what is wrong then how to fix it, with exit code `exitCode`.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** How to fix it, one sentence. */
  readonly hint: string;
  readonly exitCode: number;

  constructor(message: string, hint: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options);
    this.hint = hint;
    this.exitCode = options?.exitCode ?? 2;
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** A short, safe rendering of an item for error messages. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === 'bigint'
        ? `${value}n`
        : ArrayBuffer.isView(value)
          ? `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`
          : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
