import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError } from '../../src/errors.js';
import type { Message } from '../../src/runtime/protocol.js';
import { FrameReader, writeFrame } from './frames.js';
import { decodeMessage, encodeMessage } from './wire.js';

/** Frame tags between the parent and rank 0 (besides a worker number, 0 .. size-1). */
export const FRAME_MESSAGE = 0;
export const FRAME_HELLO = 1;
export const FRAME_QUIT = -2;

/** What rank 0 says once every rank is up. */
export interface Hello {
  readonly size: number;
  readonly pids: readonly number[];
}

/** How to launch a job. */
export interface JobOptions {
  readonly ranks: number;
  /** The launcher: `mpirun` (default) or `mpiexec`, or a path. */
  readonly mpirun: string;
  /** Extra launcher arguments, before the program (`['--mca', 'btl', 'tcp,self']`). */
  readonly mpirunArgs: readonly string[];
  /** Extra Node.js arguments for every rank (`['--max-old-space-size=8192']`). */
  readonly nodeArgs: readonly string[];
  /** How long ranks may take to start. */
  readonly startupTimeoutMs: number;
}

const rankEntry = new URL('./rank.mjs', import.meta.url).pathname;

let openMpi: boolean | undefined;

/** Whether the launcher is Open MPI's (which needs --oversubscribe, and --allow-run-as-root as root). */
function isOpenMpi(mpirun: string): boolean {
  if (openMpi === undefined) {
    try {
      openMpi = /Open MPI|OpenRTE/i.test(
        execFileSync(mpirun, ['--version'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
    } catch {
      openMpi = false;
    }
  }
  return openMpi;
}

/**
 * @internal A running MPI job started by `mpirun` from this process, its ranks serving run after
 * run. Rank 0 connects back over a Unix socket and relays every message between the coordinator
 * here and the ranks. The job ends with {@link MpiJob.terminate} (ranks finalize and leave;
 * signals if they do not), or when any rank dies — mpirun then kills the rest, and the job
 * reports which rank, from mpirun's own account.
 */
export class MpiJob {
  private handler: (message: Message) => void = () => undefined;
  private lostHandler: (rank: number, reason: string) => void = () => undefined;
  private stderr = '';
  private terminating = false;
  private exited = false;
  private readonly exit: Promise<void>;
  alive = true;
  pids: readonly number[] = [];

  private constructor(
    readonly ranks: number,
    private readonly child: ChildProcess,
    private readonly server: Server,
    private readonly path: string,
    private socket: Socket | undefined = undefined,
  ) {
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-8192);
    });
  }

  /** Launches `ranks` ranks and resolves once every one is up. */
  static launch(options: JobOptions): Promise<MpiJob> {
    const path = join(
      tmpdir(),
      `dispel4ts-mpi-${process.pid}-${randomBytes(4).toString('hex')}.sock`,
    );
    const server = createServer();
    const args: string[] = [];
    if (isOpenMpi(options.mpirun)) {
      if (process.getuid?.() === 0) args.push('--allow-run-as-root');
      args.push('--oversubscribe');
      // Open MPI binds each of up to 2 ranks to one core: a rank's progress thread and V8's
      // own threads (GC, compiler) then wait for that core while the others idle. Unbound
      // unless the caller chooses.
      if (!options.mpirunArgs.some((a) => /^--?bind-to$|^--?bind-to=/.test(a))) {
        args.push('--bind-to', 'none');
      }
    }
    args.push(
      ...options.mpirunArgs,
      '-n',
      String(options.ranks),
      process.execPath,
      ...options.nodeArgs,
      rankEntry,
      '--parent',
      path,
    );
    return new Promise<MpiJob>((resolve, reject) => {
      server.listen(path, () => {
        let child: ChildProcess;
        try {
          child = spawn(options.mpirun, args, {
            stdio: ['ignore', 'inherit', 'pipe'],
            detached: true,
          });
        } catch (error) {
          server.close();
          reject(
            new BackendError('mpi', `cannot start ${options.mpirun}: ${(error as Error).message}`),
          );
          return;
        }
        const job = new MpiJob(options.ranks, child, server, path);
        let settled = false;
        const timer = setTimeout(() => {
          fail(`the ranks did not start within ${options.startupTimeoutMs} ms`);
        }, options.startupTimeoutMs);
        const fail = (why: string): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          void job.terminate();
          reject(
            new BackendError(
              'mpi',
              `${options.mpirun} ${args.join(' ')}: ${why}${job.stderrTail()}`,
            ),
          );
        };
        child.once('error', (error) =>
          fail(
            (error as NodeJS.ErrnoException).code === 'ENOENT'
              ? `${options.mpirun} not found: install MPI (apt-get install openmpi-bin libopenmpi-dev)`
              : error.message,
          ),
        );
        child.once('exit', (code, signal) => {
          job.exited = true;
          if (settled) {
            if (!job.terminating) job.lose(`mpirun exited with ${signal ?? `code ${code}`}`);
          } else {
            fail(`exited with ${signal ?? `code ${code}`} before every rank was up`);
          }
        });
        server.once('connection', (socket) => {
          // One connection is all there is: no socket file is left behind, whatever happens.
          server.close();
          rmSync(path, { force: true });
          job.attach(socket, (hello) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            job.pids = hello.pids;
            resolve(job);
          });
        });
      });
      server.once('error', (error) =>
        reject(new BackendError('mpi', `cannot listen on ${path}: ${error.message}`)),
      );
    });
  }

  private attach(socket: Socket, onHello: (hello: Hello) => void): void {
    this.socket = socket;
    socket.setNoDelay(true);
    const frames = new FrameReader((tag, payload) => {
      if (tag === FRAME_HELLO) onHello(decodeMessage(payload) as unknown as Hello);
      else this.handler(decodeMessage(payload));
    });
    socket.on('data', (chunk) => frames.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.terminating || !this.alive) return;
      // mpirun tells which rank died; give it a moment to say so and exit.
      const timer = setTimeout(() => this.lose('rank 0 closed its connection'), 3000);
      void this.exit.then(() => clearTimeout(timer));
    });
  }

  private lose(fallback: string): void {
    if (!this.alive) return;
    this.alive = false;
    // "mpirun noticed that process rank 1 with PID 123 on node x exited on signal 9 (Killed)."
    const noticed =
      /process rank (\d+) with PID \d+ on node \S+ (exited on signal \d+(?: \([^)]*\))?|exited with status \d+)/.exec(
        this.stderr.replace(/\s+/g, ' '),
      );
    // "... Process name: [[9467,1],2]  Exit code: 3"
    const exitedWith = /Process name: \[\[\d+,\d+\],(\d+)\] Exit code: (\d+)/.exec(
      this.stderr.replace(/\s+/g, ' '),
    );
    const rank = noticed ? Number(noticed[1]) : exitedWith ? Number(exitedWith[1]) : 0;
    let reason = noticed
      ? noticed[2]!
      : exitedWith
        ? `exited with code ${exitedWith[2]}`
        : fallback;
    // A rank that died of an uncaught error printed it: name it.
    const uncaught = /^(?:Uncaught )?([A-Z]\w*(?:Error|Exception)\b.*)$/m.exec(this.stderr);
    if (uncaught) reason += ` (${uncaught[1]!.trim().slice(0, 300)})`;
    this.lostHandler(rank, reason);
    void this.terminate();
  }

  private stderrTail(): string {
    const text = this.stderr.trim();
    return text ? `\n${text.split('\n').slice(-12).join('\n')}` : '';
  }

  /** Sends a protocol message to the worker on rank `to`. */
  send(to: number, message: Message, transfer?: readonly ArrayBuffer[]): void {
    if (!this.socket || !this.alive) throw new Error('the MPI job is not running');
    writeFrame(this.socket, to, encodeMessage(message, transfer));
  }

  onMessage(handler: (message: Message) => void): void {
    this.handler = handler;
  }

  onLost(handler: (rank: number, reason: string) => void): void {
    this.lostHandler = handler;
  }

  /** Whether an idle job keeps this process alive. */
  ref(on: boolean): void {
    if (on) {
      this.child.ref();
      this.socket?.ref();
    } else {
      this.child.unref();
      this.socket?.unref();
    }
  }

  /**
   * Ends the job: ranks are asked to finalize and leave; mpirun is sent SIGTERM if they have not
   * within 2 s, and everything still there SIGKILL 2 s later.
   */
  async terminate(): Promise<void> {
    if (this.terminating) return this.exit;
    this.terminating = true;
    this.alive = false;
    // An idle job does not keep this process alive; one that is ending does, until it is gone:
    // `await backend.close()` would otherwise leave the event loop empty and end the process
    // (exit code 13, an unsettled top-level await) before mpirun exits.
    this.ref(true);
    this.handler = () => undefined;
    this.lostHandler = () => undefined;
    if (this.socket && !this.socket.destroyed) {
      try {
        writeFrame(this.socket, FRAME_QUIT, []);
      } catch {
        // rank 0 is gone
      }
    }
    const waited = (ms: number): Promise<boolean> =>
      Promise.race([
        this.exit.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
      ]);
    if (!this.exited && !(await waited(2000))) {
      this.signal('SIGTERM');
      if (!(await waited(2000))) {
        this.signal('SIGKILL');
        for (const pid of this.pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    }
    this.socket?.destroy();
    this.server.close();
    rmSync(this.path, { force: true });
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      // The job runs in its own process group (detached): signal all of it.
      process.kill(-this.child.pid!, signal);
    } catch {
      this.child.kill(signal);
    }
  }
}
