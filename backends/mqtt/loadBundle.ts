import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendError } from '../../src/errors.js';
import { EXT, LIB, packageRoot } from './bundleWorkflow.js';

const libraryDirs = ['src', 'operators', 'backends'].map((d) => join(packageRoot, d) + sep);

/**
 * @internal Where a node keeps the bundles it runs: one file per bundle hash, written once,
 * imported by path (so a bundle run twice is the same module). The imports of dispel4ts and
 * of its dependencies are pointed at this node's own installation.
 */
export class BundleCache {
  private readonly dir: string;

  constructor(name: string) {
    this.dir = join(tmpdir(), `dispel4ts-bundles-${process.pid}-${name.replace(/[^\w.-]/g, '_')}`);
    sweepDeadNodes();
  }

  /** The path of the module for `code` (hash `hash`), written if new. */
  file(code: string, hash: string): string {
    const file = join(this.dir, `${hash}.mjs`);
    if (existsSync(file)) return file;
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(file, link(code));
    return file;
  }

  /** Removes every bundle written. */
  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function link(code: string): string {
  return code.replace(
    /(["'])(d4ts-lib:|d4ts-ext:)([^"'\n]+)\1/g,
    (_all, _quote, mark: string, spec: string) => {
      if (mark === LIB) {
        const file = normalize(join(packageRoot, spec));
        if (!libraryDirs.some((dir) => file.startsWith(dir))) {
          throw new BackendError(
            'mqtt',
            `the bundle imports ${spec}, which is not part of dispel4ts`,
          );
        }
        return JSON.stringify(pathToFileURL(file).href);
      }
      if (mark !== EXT)
        throw new BackendError('mqtt', `the bundle has an unknown import ${mark}${spec}`);
      try {
        return JSON.stringify(import.meta.resolve(spec));
      } catch (error) {
        throw new BackendError(
          'mqtt',
          `the bundle imports ${spec}, which this node does not have: npm install ${spec}`,
          { cause: error },
        );
      }
    },
  );
}

/** Removes the bundle folders of node processes that died without cleaning up (SIGKILL). */
function sweepDeadNodes(): void {
  try {
    for (const entry of readdirSync(tmpdir())) {
      const pid = /^dispel4ts-bundles-(\d+)-/.exec(entry)?.[1];
      if (!pid || Number(pid) === process.pid) continue;
      try {
        process.kill(Number(pid), 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ESRCH')
          rmSync(join(tmpdir(), entry), { recursive: true, force: true });
      }
    }
  } catch {
    // best effort
  }
}
