import { readFileSync } from 'node:fs';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { UsageError } from '../errors.js';

/** What `-d` / `-f` give a run. */
export interface InputData {
  /** Input data per PE name (an object of arrays), as dispel4py's `-d`. */
  readonly data?: Readonly<Record<string, readonly unknown[]>>;
  /** The workflow's input stream (a top-level array). */
  readonly input?: readonly unknown[];
}

/**
 * Reads `-d JSON` or `-f FILE` (not both). An object maps PE names to the arrays of items
 * they are given (dispel4py's `-d '{"Numbers": [1, 2, 3]}'`); an array is the workflow's
 * input stream. Invalid JSON is a {@link UsageError} naming the line, column and what was
 * expected there.
 */
export function parseInputData(inline: string | undefined, file: string | undefined): InputData {
  if (inline !== undefined && file !== undefined) {
    throw new UsageError('-d and -f both give input data', 'give one of them');
  }
  if (inline === undefined && file === undefined) return {};
  let text: string;
  let where: string;
  if (file !== undefined) {
    where = file;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        code === 'ENOENT'
          ? `cannot find input data file "${file}"`
          : `cannot read input data file "${file}" (${code ?? 'error'})`,
        'check the path of -f (a JSON file)',
        { cause: error },
      );
    }
  } else {
    where = '-d';
    text = inline!;
  }
  const value = parseJson(text, where);
  if (Array.isArray(value)) return { input: value };
  if (typeof value !== 'object' || value === null) {
    throw new UsageError(
      `${where} must be a JSON object or array, got ${JSON.stringify(value)}`,
      `map PE names to items ('{"Numbers": [1, 2, 3]}') or give the input stream as an array ('[1, 2, 3]')`,
    );
  }
  const data: Record<string, readonly unknown[]> = {};
  for (const [pe, items] of Object.entries(value as Record<string, unknown>)) {
    if (!Array.isArray(items)) {
      throw new UsageError(
        `${where}: the input data of PE "${pe}" is not an array`,
        `give an array of items, e.g. '{"${pe}": [${JSON.stringify(items)}]}'`,
      );
    }
    data[pe] = items;
  }
  return { data };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // JSON.parse does not always say where; jsonc-parser (strict options) does.
    const errors: ParseError[] = [];
    parse(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    const first = errors[0];
    const at = first ? first.offset : text.length;
    const { line, column } = position(text, at);
    const what = first ? describeCode(printParseErrorCode(first.error)) : (error as Error).message;
    throw new UsageError(
      `invalid JSON in ${where} at line ${line}, column ${column} (position ${at}): ${what}` +
        ` near ${JSON.stringify(text.slice(Math.max(0, at - 10), at + 10))}`,
      where === '-d' ? 'quote it for the shell: -d \'{"PE": [1, 2]}\'' : 'fix the JSON in the file',
      { cause: error },
    );
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** `CloseBracketExpected` → `close bracket expected`. */
function describeCode(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
