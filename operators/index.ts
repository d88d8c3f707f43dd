/* Groupings: mark a PE boundary and how items cross it */
export { groupByKey } from './groupByKey.js';
export { allToOne } from './allToOne.js';
export { broadcast } from './broadcast.js';
export { shuffle } from './shuffle.js';

/* Topology */
export { partition, type PartitionOptions } from './partition.js';
export { merge } from './merge.js';
