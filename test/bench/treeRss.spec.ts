import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { treeRssMb } from '../../bench/treeRss.js';

describe('treeRssMb', () => {
  it("sums a process tree's resident memory, descendants included", async () => {
    const own = process.memoryUsage().rss / 2 ** 20;
    // A shell whose child holds 200 MiB resident: the memory is a grandchild's of this process.
    // (`; :` keeps the shell from exec-ing node in its place.)
    const shell = spawn(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" -e "const b = Buffer.alloc(200 * 2 ** 20, 1); setInterval(() => b[0]++, 1000); console.log('up')"; :`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    try {
      await new Promise((resolve) => shell.stdout.once('data', resolve));
      const tree = await treeRssMb(process.pid);
      const shellTree = await treeRssMb(shell.pid!);
      expect(tree).toBeGreaterThan(own * 0.8 + 200);
      expect(shellTree).toBeGreaterThan(200);
      expect(shellTree).toBeLessThan(tree);
    } finally {
      process.kill(-shell.pid!, 'SIGKILL'); // the shell and its node
    }
  });

  it('gives 0 for a process that is gone', async () => {
    const child = spawn('/bin/true');
    await new Promise((resolve) => child.once('close', resolve));
    expect(await treeRssMb(child.pid!)).toBe(0);
  });
});
