import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Why MPI tests cannot run here (no mpirun, addon not built), or undefined if they can. */
export function mpiUnavailable(): string | undefined {
  try {
    execFileSync('mpirun', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'mpirun not found (apt-get install openmpi-bin libopenmpi-dev)';
  }
  if (
    !existsSync(
      new URL('../../backends/mpi/native/build/Release/dispel4ts_mpi.node', import.meta.url),
    )
  ) {
    return 'the MPI addon is not built (npm run build:mpi)';
  }
  return undefined;
}
