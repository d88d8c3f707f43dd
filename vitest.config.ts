import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/**/*.spec.ts'],
          exclude: ['test/cli/**'],
          typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'] },
          sequence: { groupOrder: 0 },
        },
      },
      {
        // The CLI's end-to-end specs spawn many processes: they run after the others, so
        // they do not load the machine under the backends' timing assertions.
        extends: true,
        test: {
          name: 'cli',
          include: ['test/cli/**/*.spec.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
