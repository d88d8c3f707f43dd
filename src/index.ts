/* DSL */
export { pe, type PE, type MultiPE, type PortsOptions } from './dsl/pe.js';
export { producer, source, type Producer } from './dsl/producer.js';
export { consumer } from './dsl/consumer.js';
export { GenericPE, genericPE, type GenericPEOptions } from './dsl/genericPE.js';
export { composite, iterativeChain, type Composite, type ChainStep } from './dsl/composite.js';
export { workflow, type Workflow, type Result, type OutputsOf } from './dsl/workflow.js';
export type { Streams, InstanceContext, PEOptions } from './dsl/definition.js';

/* Running */
export { run, collect, asOperator, type RunOptions } from './dsl/run.js';
export type { Backend, RunSpec } from './backend.js';
export { RunStats } from './runtime/RunStats.js';
export type { InstanceStats } from './runtime/protocol.js';

/* Graph */
export { validate } from './graph/validate.js';
export { toMermaid } from './graph/toMermaid.js';
export { toDot } from './graph/toDot.js';
export { WorkflowBuilder, type GroupingSpec } from './graph/WorkflowBuilder.js';
export type {
  WorkflowGraph,
  PENode,
  Connection,
  WorkflowOutput,
  PortRef,
  Grouping,
  GroupKey,
  NodeKind,
} from './graph/WorkflowGraph.js';
export { hashKey } from './plan/hashKey.js';
export { planInstances, formatPlan, type ExecutionPlan, type ProducerPlacement } from './plan/plan.js';

/* Errors */
export {
  PEError,
  GraphError,
  UncloneableValueError,
  BackendError,
  WorkerLostError,
  UsageError,
  type GraphProblem,
  type ErrorSite,
} from './errors.js';
