// How the `dispel4ts` command loads dispel4ts itself: compiled to JavaScript in dist/
// (scripts/compile.mjs), natively, before tsx's loader is registered. Node 20's loader hooks
// run on a separate thread and every module they see costs a round trip; compiled and
// loaded first, dispel4ts and rxjs cost none (a 10-item run: 0.32–0.41 s instead of
// 0.51–0.62 s).
import { open, rm, stat } from 'node:fs/promises';

const root = new URL('..', import.meta.url);
/** A compile started this long ago and not finished is taken as abandoned. */
const STALE_LOCK_MS = 30_000;

/**
 * The compiled CLI's `main`, with what a run needs already loaded; dist/ is compiled first
 * when a source is newer than it. `undefined` — run from source — when DISPEL4TS_FROM_SOURCE
 * is set, when dist/ cannot be written, or while another process compiles it.
 */
export async function compiledMain() {
  if (process.env.DISPEL4TS_FROM_SOURCE) return undefined;
  try {
    const stamp = await stat(new URL('dist/.compiled', root)).then((s) => s.mtimeMs, () => 0);
    const { compile, newestSource } = await import('../scripts/compile.mjs');
    if (stamp < (await newestSource()) && !(await compileLocked(compile))) return undefined;
    const dist = (path) => import(new URL(`dist/${path}`, root).href);
    const [cli] = await Promise.all([
      dist('src/cli/main.js'),
      dist('src/index.js'),
      dist('operators/index.js'),
      dist('src/cli/runWorkflowFile.js'),
      dist('backends/sequential/index.js'),
    ]);
    return cli.main;
  } catch {
    return undefined;
  }
}

/** Compiles under a lock file; false when another process holds it (several MPI ranks). */
async function compileLocked(compile) {
  const lock = new URL('dist.lock', root);
  const handle = await open(lock, 'wx').catch(async () => {
    // Held: by a compile under way, or by one that died (then take it over, once).
    const abandoned = await stat(lock).then((s) => Date.now() - s.mtimeMs >= STALE_LOCK_MS, () => true);
    if (!abandoned) return undefined;
    await rm(lock, { force: true });
    return open(lock, 'wx').catch(() => undefined);
  });
  if (!handle) return false;
  try {
    await compile();
    return true;
  } finally {
    await handle.close();
    await rm(lock, { force: true });
  }
}
