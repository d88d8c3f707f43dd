import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** This package's modules: its sources, and their compiled copies (dist/, the CLI's). */
const own = [`${root}src/`, `${root}dist/src/`];

/**
 * @internal The file of the module that called into dispel4ts: the first stack frame outside
 * this package's `src/` (or its compiled copy in `dist/src/`). Workers, ranks and nodes import
 * that file to rebuild a workflow.
 */
export function callerModule(): string | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+\.[cm]?[jt]sx?):\d+:\d+\)?$/.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (!own.some((dir) => file.startsWith(dir))) return file;
  }
  return undefined;
}
