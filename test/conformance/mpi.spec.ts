import { afterAll, describe, it } from 'vitest';
import { mpi, type MpiBackend } from '../../backends/mpi/index.js';
import { mpiUnavailable } from '../helpers/mpiUnavailable.js';
import { describeBackend } from './suite.js';

const missing = mpiUnavailable();
if (missing) {
  console.warn(`mpi conformance skipped: ${missing}`);
  describe.skip(`conformance: mpi (${missing})`, () => it('needs MPI', () => undefined));
} else {
  // One backend per rank count, shared by the tests: its job's ranks serve run after run.
  const backends: MpiBackend[] = [];
  for (const ranks of [1, 2, 4]) {
    const backend = mpi({ ranks, idleMs: 30_000 });
    backends.push(backend);
    describeBackend(`mpi (${ranks} ranks)`, () => backend, { timeout: 90_000 });
  }
  // The way ranks on different hosts talk: Open MPI's TCP transport, shared memory off.
  const tcp = mpi({ ranks: 2, idleMs: 30_000, mpirunArgs: ['--mca', 'btl', 'tcp,self'] });
  backends.push(tcp);
  describeBackend('mpi (2 ranks, --mca btl tcp,self)', () => tcp, { timeout: 90_000 });
  afterAll(() => Promise.all(backends.map((backend) => backend.close())));
}
