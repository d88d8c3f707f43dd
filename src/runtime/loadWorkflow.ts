import { pathToFileURL } from 'node:url';
import { isWorkflow, tracedOf, type Workflow } from '../dsl/workflow.js';
import type { TracedWorkflow } from '../graph/trace.js';
import { BackendError } from '../errors.js';

/**
 * Modules already imported, by path. A pooled worker serves run after run of the same
 * workflow; asking the loader again costs a round trip through its hooks (about 1 ms with
 * tsx) for the module it already has.
 */
const imported = new Map<string, Record<string, unknown>>();

/**
 * @internal Imports the module that defines a workflow and finds the workflow in it by name:
 * how workers, ranks and nodes rebuild a workflow without any closure being shipped.
 */
export async function loadWorkflow(
  backend: string,
  module: string,
  name: string,
): Promise<TracedWorkflow> {
  let exports = imported.get(module);
  if (!exports) {
    try {
      exports = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
    } catch (error) {
      throw new BackendError(backend, `cannot import workflow module ${module}: ${(error as Error).message}`, { cause: error });
    }
    imported.set(module, exports);
  }
  const found = findWorkflow(exports, name);
  if (!found) {
    throw new BackendError(
      backend,
      `module ${module} exports no workflow named "${name}". Workers import the workflow's ` +
        `module and find it by name: export the workflow (export const wf = workflow('${name}', ...)).`,
    );
  }
  return tracedOf(found);
}

/** The exported workflow named `name`, also inside exported objects one level deep. */
export function findWorkflow(
  exports: Readonly<Record<string, unknown>>,
  name: string,
): Workflow<unknown, unknown> | undefined {
  for (const value of Object.values(exports)) {
    if (isWorkflow(value) && value.name === name) return value;
  }
  return undefined;
}

/**
 * @internal Checks that a workflow can be run by a backend whose workers import it: it knows
 * the module that defined it.
 */
export function moduleOf(backend: string, workflow: Workflow<unknown, unknown>): string {
  if (!workflow.module) {
    throw new BackendError(
      backend,
      `workflow "${workflow.name}" has no module: define it with workflow() at the top level of a module file, and export it, so workers can import it`,
    );
  }
  return workflow.module;
}
