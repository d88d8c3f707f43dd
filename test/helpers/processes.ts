import { execFileSync } from 'node:child_process';

/** A process on this machine. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly args: string;
}

/** Every process descending from `root` (children, grandchildren, ...), from `ps`. */
export function descendants(root: number = process.pid): ProcessInfo[] {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
      return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }] : [];
    });
  const found: ProcessInfo[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const p of all) {
      if (p.ppid === parent && p.args !== '' && !p.args.startsWith('ps ')) {
        found.push(p);
        frontier.push(p.pid);
      }
    }
  }
  return found;
}

/** Processes of MPI jobs (mpirun, orted, ranks) among `processes`. */
export function mpiProcesses(processes: readonly ProcessInfo[]): ProcessInfo[] {
  return processes.filter((p) => /mpirun|mpiexec|orted|rank\.mjs|mpiJobMain/.test(p.args));
}

/** The pids of the MPI processes descending from this one now (jobs a test should leave alone). */
export function mpiSnapshot(): ReadonlySet<number> {
  return new Set(mpiProcesses(descendants()).map((p) => p.pid));
}

/**
 * Waits (up to `ms`) until no MPI process descends from this one, other than those in
 * `existing` (a {@link mpiSnapshot} taken before); returns those left.
 */
export async function mpiProcessesGone(
  ms = 15_000,
  existing: ReadonlySet<number> = new Set(),
): Promise<ProcessInfo[]> {
  const until = Date.now() + ms;
  const left = (): ProcessInfo[] => mpiProcesses(descendants()).filter((p) => !existing.has(p.pid));
  let now = left();
  while (now.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    now = left();
  }
  return now;
}
