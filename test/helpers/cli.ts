import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's root, where the tests run the command from. */
export const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/dispel4ts.mjs', import.meta.url));

/** What a finished `dispel4ts` process gave. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON lines. */
  readonly lines: () => { output: string; value: unknown }[];
}

/** Options of {@link dispel4ts}. */
export interface CliOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Called once the process is spawned (to send it signals). */
  readonly onSpawn?: (child: ChildProcess, output: { stdout: () => string }) => void;
  readonly timeoutMs?: number;
}

/** Spawns the real `dispel4ts` command (the package's bin) and waits for it to exit. */
export function dispel4ts(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `dispel4ts ${args.join(' ')} did not exit within ${options.timeoutMs ?? 60_000} ms; stderr: ${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout,
        stderr,
        lines: () =>
          stdout
            .split('\n')
            .filter((line) => line.length > 0)
            .map((line) => JSON.parse(line) as { output: string; value: unknown }),
      });
    });
    options.onSpawn?.(child, { stdout: () => stdout });
  });
}
