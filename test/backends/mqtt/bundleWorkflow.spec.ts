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
    writeFileSync(helper, 'export const factor = 2;\n');
    writeFileSync(module, "import { factor } from './helper.js';\nexport const twice = (x: number) => x * factor;\n");
    const first = await bundleWorkflow(module);
    expect(first).toContain('factor = 2');
    expect(await bundleWorkflow(module)).toBe(first); // the same string: not bundled again

    // An imported file changes (same size, a later mtime): the bundle follows it.
    writeFileSync(helper, 'export const factor = 3;\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(helper, later, later);
    const second = await bundleWorkflow(module);
    expect(second).toContain('factor = 3');
    expect(second).not.toContain('factor = 2');
  });
});
