import { accessSync, constants, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isWorkflow, type Workflow } from '../dsl/workflow.js';
import { UsageError } from '../errors.js';

/** The extensions `dispel4ts` loads directly, with no build step. */
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/** A workflow found in a file, with the name it is exported under. */
export interface LoadedWorkflow {
  readonly file: string;
  readonly exportName: string;
  readonly workflow: Workflow<unknown, Record<string, unknown>>;
}

/**
 * Imports a workflow file (`.ts`, `.mts`, `.js` or `.mjs`: TypeScript through tsx, which the
 * `dispel4ts` bin registers) and picks its workflow: the only one it exports, or the one
 * `-a` names (by export name or workflow name). Every bad case is a {@link UsageError}
 * that says how to fix it: a missing or unreadable file, a file that fails to load, no
 * workflow export, several without `-a`, an `-a` that names none of them.
 */
export async function loadWorkflowFile(
  file: string,
  exportName: string | undefined,
): Promise<LoadedWorkflow> {
  const path = resolve(file);
  const shown = relative(process.cwd(), path) || file;
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UsageError(
      `cannot find workflow file "${file}"`,
      `check the path (it is read relative to ${process.cwd()})`,
    );
  }
  if (!isFile) {
    throw new UsageError(
      `"${file}" is not a file`,
      'give the path of a workflow module (.ts, .mts, .js or .mjs)',
    );
  }
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new UsageError(
      `cannot read workflow file "${file}"`,
      'check its permissions (chmod +r)',
      { cause: error },
    );
  }
  if (!EXTENSIONS.includes(extname(path))) {
    throw new UsageError(
      `"${file}" is not a JavaScript or TypeScript module`,
      'give a .ts, .mts, .js or .mjs file that exports a workflow',
    );
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `cannot load ${shown}: ${firstLine(error)}`,
      'fix the error in the file (--verbose shows the stack)',
      { cause: error },
    );
  }
  const found = new Map<Workflow<unknown, Record<string, unknown>>, string>();
  for (const [name, value] of Object.entries(exports)) {
    if (!isWorkflow(value)) continue;
    const wf = value as Workflow<unknown, Record<string, unknown>>;
    if (!found.has(wf) || found.get(wf) === 'default') found.set(wf, name);
  }
  const all = [...found].map(([workflow, name]) => ({ file: path, exportName: name, workflow }));
  const listing = all.map((w) => describe(w)).join(', ');
  if (exportName !== undefined) {
    const chosen =
      all.find((w) => w.exportName === exportName) ??
      all.find((w) => w.workflow.name === exportName);
    if (chosen) return chosen;
    throw new UsageError(
      `${shown} has no workflow export "${exportName}"` +
        (all.length > 0 ? ` (it exports ${listing})` : ''),
      all.length > 0
        ? `pick one with -a ${all[0]!.exportName}`
        : `export one: export const wf = workflow('name', () => ...)`,
    );
  }
  if (all.length === 0) {
    throw new UsageError(
      `${shown} exports no workflow`,
      `export one from it: export const wf = workflow('name', () => ...)`,
    );
  }
  if (all.length > 1) {
    throw new UsageError(
      `${shown} exports ${all.length} workflows: ${listing}`,
      `pick one with -a, e.g. -a ${all[0]!.exportName}`,
    );
  }
  return all[0]!;
}

function describe(w: { exportName: string; workflow: { name: string } }): string {
  return w.exportName === w.workflow.name ? w.exportName : `${w.exportName} ("${w.workflow.name}")`;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!;
}
