import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { treeRssMb } from '../../bench/treeRss.js';

describe('treeRssMb', () => {
  it("sums a process tree's resident memory, descendants included", async () => {
    const own = process.memoryUsage().rss / 2 ** 20;
    // A child that holds 200 MiB resident, started from a shell: a grandchild of this process.
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        `exec "${process.execPath}" -e "const b = Buffer.alloc(200 * 2 ** 20, 1); setInterval(() => b[0]++, 1000); console.log('up')"`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      const tree = await treeRssMb(process.pid);
      expect(tree).toBeGreaterThan(own * 0.8 + 200);
      expect(await treeRssMb(child.pid!)).toBeGreaterThan(200);
      expect(await treeRssMb(child.pid!)).toBeLessThan(tree);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('gives 0 for a process that is gone', async () => {
    const child = spawn('/bin/true');
    await new Promise((resolve) => child.once('close', resolve));
    expect(await treeRssMb(child.pid!)).toBe(0);
  });
});
