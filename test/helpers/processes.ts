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

/** Waits (up to `ms`) until no MPI process descends from this one; returns those left. */
export async function mpiProcessesGone(ms = 10_000): Promise<ProcessInfo[]> {
  const until = Date.now() + ms;
  let left = mpiProcesses(descendants());
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    left = mpiProcesses(descendants());
  }
  return left;
}
