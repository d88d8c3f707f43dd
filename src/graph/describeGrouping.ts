import type { Grouping } from './WorkflowGraph.js';

/**
 * A grouping as drawn on a connection: `shuffle`, `groupByKey [0]`, `groupByKey (fn)`,
 * `allToOne`, `broadcast`.
 */
export function describeGrouping(grouping: Grouping): string {
  if (grouping.kind !== 'groupByKey') return grouping.kind;
  return grouping.key === 'function'
    ? 'groupByKey (fn)'
    : `groupByKey ${JSON.stringify(grouping.key)}`;
}
