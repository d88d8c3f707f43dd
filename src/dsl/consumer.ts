import { ignoreElements, tap } from 'rxjs';
import { DRAIN, type PEOptions } from './definition.js';
import { checkedInstances, singlePortPE, type PE } from './pe.js';

/**
 * A PE with an input and no outputs (dispel4py's ConsumerPE): `consume(item)` is called for
 * every item; the PE emits nothing.
 *
 * @example
 * ```ts
 * const Print = consumer('Print', (line: string) => console.log(line));
 * ```
 */
export function consumer<T>(
  name: string,
  consume: (item: T) => void,
  options: PEOptions = {},
): PE<T, never> {
  return singlePortPE<T, never>({
    name,
    kind: 'pe',
    inputs: ['input'],
    outputs: [],
    instances: checkedInstances(name, options),
    body: ({ input }) => ({ [DRAIN]: input!.pipe(tap((item) => consume(item as T)), ignoreElements()) }),
  });
}
