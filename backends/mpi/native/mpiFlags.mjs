// Prints the compiler or linker flags of the MPI library found on this machine, for
// binding.gyp: Open MPI's `mpicc --showme:compile|link`, else MPICH's `mpicc -show`.
import { execFileSync } from 'node:child_process';

const want = process.argv[2] === 'libs' ? 'libs' : 'cflags';
const mpicc = process.env.MPICC ?? 'mpicc';
const run = (args) =>
  execFileSync(mpicc, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

let flags;
try {
  flags = run([want === 'cflags' ? '--showme:compile' : '--showme:link']);
} catch {
  try {
    const words = run(['-show']).split(/\s+/).slice(1);
    flags = words
      .filter((w) => (want === 'cflags' ? /^-[ID]/.test(w) : /^(-[lL]|-Wl,)/.test(w)))
      .join(' ');
  } catch {
    console.error(
      'dispel4ts: no MPI compiler wrapper (mpicc) found. Install MPI first: ' +
        'apt-get install openmpi-bin libopenmpi-dev (or mpich libmpich-dev).',
    );
    process.exit(1);
  }
}
console.log(flags);
