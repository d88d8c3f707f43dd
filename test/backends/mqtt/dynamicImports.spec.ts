/**
 * A shipped bundle's dynamic `import()` calls go through the node's `importModule`, so tsx
 * leaves the bundle alone; the word `import(` in a comment or a string is not a call.
 */
import { describe, expect, it } from 'vitest';
import { routeDynamicImports } from '../../../backends/mqtt/dynamicImports.js';

const HELPER = '/lib/backends/mqtt/importModule.ts';

describe('routeDynamicImports', () => {
  it('points every dynamic import at the helper, and nothing else', async () => {
    const code = [
      "import { a } from 'static';",
      "const c = await import('canvas');",
      '// import("in-a-comment")',
      'const s = "import(\'in-a-string\')";',
      'const d = import(name, { with: { type: "json" } });',
    ].join('\n');
    const out = await routeDynamicImports(code, HELPER);
    expect(out.split('\n')[0]).toBe(
      `import { importModule as __d4tsImport } from ${JSON.stringify(HELPER)};`,
    );
    expect(out).toContain("await __d4tsImport('canvas')");
    expect(out).toContain('__d4tsImport(name, { with: { type: "json" } })');
    expect(out).toContain('// import("in-a-comment")');
    expect(out).toContain('"import(\'in-a-string\')"');
    expect(out).toContain("import { a } from 'static';");
  });

  it('leaves a bundle without dynamic imports as it was, and keeps a hashbang first', async () => {
    const plain = "import { a } from 'static';\nexport const b = a;\n";
    expect(await routeDynamicImports(plain, HELPER)).toBe(plain);
    const out = await routeDynamicImports("#!/usr/bin/env node\nawait import('x');\n", HELPER);
    expect(out.startsWith('#!/usr/bin/env node\nimport { importModule as __d4tsImport }')).toBe(
      true,
    );
    expect(out).toContain("await __d4tsImport('x');");
  });

  it('returns code it cannot lex unchanged', async () => {
    const broken = "const x = import('a'; {{{ ";
    expect(await routeDynamicImports(broken, HELPER)).toBe(broken);
  });
});
