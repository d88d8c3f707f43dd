import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Why MPI tests cannot run here (no mpirun, addon not built), or undefined if they can. Where
 * `DISPEL4TS_REQUIRE_MPI` is set (`.ci/run` sets it, having installed MPI and built the
 * addon), it throws instead: there the MPI suites must run, not skip.
 */
export function mpiUnavailable(): string | undefined {
  const reason = whyUnavailable();
  if (reason && process.env['DISPEL4TS_REQUIRE_MPI']) {
    throw new Error(`the MPI tests cannot run: ${reason} (DISPEL4TS_REQUIRE_MPI is set)`);
  }
  return reason;
}

function whyUnavailable(): string | undefined {
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
