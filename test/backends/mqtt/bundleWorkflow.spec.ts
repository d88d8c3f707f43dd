/**
 * Shipping a workflow: the bundle of a module is made once and kept for the next run, and made
 * again when a file it was made from changes.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleWorkflow } from '../../../backends/mqtt/bundleWorkflow.js';

const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bundleWorkflow', () => {
  it('keeps a bundle for the next run and makes it again when a file it came from changes', async () => {
    const helper = join(dir, 'helper.ts');
    const module = join(dir, 'flow.ts');
    const earlier = new Date(Date.now() - 60_000); // whole milliseconds, to set again exactly
    writeFileSync(helper, 'export const factor = 2;\n');
    utimesSync(helper, earlier, earlier);
    writeFileSync(module, "import { factor } from './helper.js';\nexport const twice = (x: number) => x * factor;\n");
    const first = await bundleWorkflow(module);
    expect(first).toContain('factor = 2');

    // New content under the same size and mtime: the kept bundle is used, not a new one.
    writeFileSync(helper, 'export const factor = 4;\n');
    utimesSync(helper, earlier, earlier);
    expect(await bundleWorkflow(module)).toContain('factor = 2');

    // A later mtime: the file changed, and the bundle follows it.
    const later = new Date(Date.now() + 5_000);
    utimesSync(helper, later, later);
    const second = await bundleWorkflow(module);
    expect(second).toContain('factor = 4');
    expect(second).not.toContain('factor = 2');
  });
});
