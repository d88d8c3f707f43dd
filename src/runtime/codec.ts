import { UncloneableValueError } from '../errors.js';

/** @internal Where a value is being written: named in the error if it cannot cross. */
export interface WriteSite {
  readonly workflow: string;
  readonly pe: string;
  readonly port: string;
}

/**
 * @internal Throws {@link UncloneableValueError} unless `value` is a structured-clone value
 * that means the same on the other side: primitives (not symbols), arrays, plain objects,
 * Map, Set, Date, RegExp, BigInt, ArrayBuffer and typed arrays, nested freely. Functions,
 * symbols and instances of classes (whose methods would be lost) are refused, so a workflow
 * that passes on the sequential backend passes on every backend.
 */
export function assertCloneable(value: unknown, site: WriteSite): void {
  const t = typeof value;
  // The hot path: most items are primitives.
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint' || value == null) {
    return;
  }
  const problem = findProblem(value, 'value', new Set());
  if (problem) throw new UncloneableValueError(site, problem.path, problem.reason);
}

interface Problem {
  readonly path: string;
  readonly reason: string;
}

function findProblem(value: unknown, path: string, seen: Set<object>): Problem | undefined {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return undefined;
    case 'function':
      return { path, reason: `a function (${value.name || 'anonymous'})` };
    case 'symbol':
      return { path, reason: `a symbol (${value.toString()})` };
  }
  if (value === null) return undefined;
  const object = value as object;
  if (seen.has(object)) return undefined;
  seen.add(object);
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return undefined;
  if (object instanceof Date || object instanceof RegExp) return undefined;
  if (typeof SharedArrayBuffer !== 'undefined' && object instanceof SharedArrayBuffer) {
    return undefined;
  }
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length; i++) {
      const problem = findProblem(object[i], `${path}[${i}]`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  if (object instanceof Map) {
    for (const [k, v] of object) {
      const problem =
        findProblem(k, `${path}.<key>`, seen) ?? findProblem(v, `${path}.get(${String(k)})`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  if (object instanceof Set) {
    for (const v of object) {
      const problem = findProblem(v, `${path}.<member>`, seen);
      if (problem) return problem;
    }
    return undefined;
  }
  const proto: unknown = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    return { path, reason: `an instance of class ${name} (its methods and prototype would be lost)` };
  }
  for (const key of Object.keys(object)) {
    const problem = findProblem((object as Record<string, unknown>)[key], `${path}.${key}`, seen);
    if (problem) return problem;
  }
  for (const symbol of Object.getOwnPropertySymbols(object)) {
    return { path: `${path}[${symbol.toString()}]`, reason: 'a symbol-keyed property' };
  }
  return undefined;
}

/**
 * @internal A copy of `value` for one more receiver, so that a PE that mutates an item it
 * received never affects a sibling (tees, broadcast). Primitives are returned as they are.
 */
export function copyForReceiver<T>(value: T): T {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
