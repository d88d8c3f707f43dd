import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dispel4ts } from '../helpers/cli.js';

describe('dispel4ts --help and --version', { timeout: 120_000 }, () => {
  it('--version prints the package version', async () => {
    const run = await dispel4ts(['--version']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('--help lists every command, with examples', async () => {
    const run = await dispel4ts(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['run', 'simple', 'multi', 'graph'])
      expect(run.stdout).toMatch(new RegExp(`\\n  ${command} `));
    expect(run.stdout).toContain('Examples:');
  });

  it.each([
    [
      'run',
      /-i, --iterations <n>[\s\S]*-d, --data <json>[\s\S]*-f, --file <path>[\s\S]*-n, --processes <n>[\s\S]*-a, --attr <export>[\s\S]*-o, --output <file>[\s\S]*--timing[\s\S]*Backends:[\s\S]*Examples:/,
    ],
    ['simple', /dispel4py's "simple"[\s\S]*Examples:\n  \$ dispel4ts simple /],
    ['multi', /dispel4py's "multi"[\s\S]*Examples:\n  \$ dispel4ts multi -n 4 /],
    ['graph', /--format <format>[\s\S]*mermaid[\s\S]*Examples:\n  \$ dispel4ts graph /],
  ])('%s --help shows its options and examples', async (command, pattern) => {
    const run = await dispel4ts([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(pattern);
  });
});
