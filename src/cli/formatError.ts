import { GraphError, PEError, UsageError } from '../errors.js';

/**
 * The one line `dispel4ts` prints for a failure: what went wrong, then how to fix it; with
 * `verbose`, the stack (and its causes) follow.
 */
export function formatError(error: unknown, verbose: boolean): string {
  let line: string;
  if (error instanceof UsageError) {
    line = `${error.message}. ${capitalize(error.hint)}.`;
  } else if (error instanceof GraphError) {
    line = `workflow "${error.workflow}" is invalid: ${error.problems.map((p) => p.message.replace(/\.$/, '')).join('; ')}.`;
  } else if (error instanceof PEError) {
    line = `${oneLine(error.message)}. Fix the PE${verbose ? '' : '; --verbose shows the stack'}.`;
  } else if (error instanceof Error) {
    const known = ['BackendError', 'WorkerLostError', 'UncloneableValueError'].includes(error.name);
    line = `${known ? '' : `${error.name}: `}${oneLine(error.message)}${verbose ? '' : ' (--verbose shows the stack)'}`;
  } else {
    line = oneLine(String(error));
  }
  let text = `dispel4ts: error: ${line}\n`;
  if (verbose) {
    let cause: unknown = error;
    for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
      text += `${depth > 0 ? 'caused by: ' : ''}${cause.stack ?? cause.message}\n`;
      cause = cause.cause;
    }
  }
  return text;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
