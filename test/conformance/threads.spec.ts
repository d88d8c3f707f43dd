import { threads } from '../../backends/threads/index.js';
import { describeBackend } from './suite.js';

// One backend per worker count, shared by the tests: its warm workers serve run after run.
for (const workers of [1, 2, 4]) {
  const backend = threads({ workers });
  describeBackend(`threads (${workers} workers)`, () => backend);
}
