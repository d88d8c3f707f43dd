import { GenericPE, genericPE, type PEOptions } from '../../src/index.js';

/** An item and the instance that received it. */
export type Tagged<T> = readonly [instance: number, item: T];

class TagInstance<T> extends GenericPE<{ input: T }, { output: Tagged<T> }> {
  process({ input }: Partial<{ input: T }>): Partial<{ output: Tagged<T> }> {
    return { output: [this.context.instance, input!] };
  }
}

/** A PE that emits `[its instance number, item]` for every item: shows where items went. */
export function tagInstance<T>(name: string, options: PEOptions = {}) {
  return genericPE<{ input: T }, { output: Tagged<T> }>(name, TagInstance<T>, options);
}

/** The items each instance received, by instance number. */
export function byInstance<T>(tagged: readonly Tagged<T>[], instances: number): T[][] {
  const out: T[][] = Array.from({ length: instances }, () => []);
  for (const [instance, item] of tagged) out[instance]!.push(item);
  return out;
}
