import { describe, expect, it } from 'vitest';
import { threads } from '../../../backends/threads/index.js';
import { flowOptions } from '../../../src/runtime/flowOptions.js';

const defaults = { batchSize: 4096, window: 16, heartbeatTimeoutMs: 30_000 };

describe('flowOptions', () => {
  it('fills in the backend’s defaults and keeps what was given', () => {
    expect(flowOptions('threads', { window: 4 }, defaults)).toEqual({ ...defaults, window: 4 });
  });

  it('refuses a bad value with a RangeError naming backend and option', () => {
    expect(() => flowOptions('mqtt', { batchSize: 0 }, defaults)).toThrow(
      /^mqtt\(\) options\.batchSize must be a positive integer, got 0$/,
    );
    expect(() => flowOptions('mpi', { heartbeatTimeoutMs: 1.5 }, defaults)).toThrow(
      /mpi\(\) options\.heartbeatTimeoutMs must be a positive integer \(ms\)/,
    );
    expect(() => threads({ window: -1 })).toThrow(RangeError);
  });
});
