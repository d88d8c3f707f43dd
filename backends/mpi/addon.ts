import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BackendError } from '../../src/errors.js';

/** What the native addon (`native/dispel4ts_mpi.c`) gives JavaScript. */
export interface MpiAddon {
  /**
   * MPI_Init_thread(MPI_THREAD_MULTIPLE); `onMessage` receives every message, on the event
   * loop, with a handle for {@link MpiAddon.release}.
   */
  init(
    onMessage: (source: number, tag: number, bytes: Buffer, handle: number | undefined) => void,
  ): {
    readonly rank: number;
    readonly size: number;
    readonly threadLevel: number;
  };
  /**
   * Sends one message gathered from `parts`, which must not change until it is sent — or, with
   * `copy`, which are copied now and may change at once.
   */
  send(dest: number, tag: number, parts: readonly ArrayBufferView[], copy?: boolean): void;
  /** Sends what is queued, stops receiving, MPI_Finalize. */
  finalize(): void;
  /**
   * Gives a received message's memory back at once (to be reused for the next messages)
   * instead of when its Buffer is collected: only once nothing reads the Buffer any more.
   */
  release(handle: number | undefined): void;
  /** MPI_Abort on every rank of the job; never returns. */
  abort(code: number): never;
  /** Whether waiting for messages keeps the event loop alive (default true). */
  ref(on: boolean): void;
  /** MPI_Get_library_version. */
  libraryVersion(): string;
}

const built = process.env.DISPEL4TS_MPI_ADDON
  ? new URL(`file://${process.env.DISPEL4TS_MPI_ADDON}`)
  : new URL('./native/build/Release/dispel4ts_mpi.node', import.meta.url);

let loaded: MpiAddon | undefined;

/**
 * @internal Loads the addon, or throws one line saying what to install or run. Loaded
 * lazily, so importing dispel4ts works on a machine without MPI.
 */
export function loadAddon(): MpiAddon {
  if (loaded) return loaded;
  if (!existsSync(built)) {
    throw new BackendError(
      'mpi',
      'the MPI addon is not built: install MPI (apt-get install openmpi-bin libopenmpi-dev) and run `npm run build:mpi`',
    );
  }
  try {
    loaded = createRequire(import.meta.url)(built.pathname) as MpiAddon;
  } catch (error) {
    throw new BackendError(
      'mpi',
      `the MPI addon does not load (${(error as Error).message.split('\n')[0]}): install MPI (apt-get install openmpi-bin libopenmpi-dev) and rebuild it with \`npm run build:mpi\``,
      { cause: error },
    );
  }
  return loaded;
}
