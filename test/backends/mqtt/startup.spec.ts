/**
 * A node may be silent while it loads the workflow (a module's top-level code can hold the
 * event loop for longer than a heartbeat); once it is ready, silence past the heartbeat
 * timeout is a lost node again (failures.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/index.js';
import { mqtt } from '../../../backends/mqtt/index.js';
import { slowImport } from '../../fixtures/slowImport.js';

describe('mqtt: loading the workflow', () => {
  it('a node that loads for longer than the heartbeat timeout is not declared lost', async () => {
    const backend = mqtt({ nodes: 2, heartbeatTimeoutMs: 2500, idleMs: 0 });
    await expect(collect(slowImport, backend, { iterations: 100 })).resolves.toEqual({
      Count: [100],
    });
  }, 30_000);
});
