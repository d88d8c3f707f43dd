import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispel4ts } from '../helpers/cli.js';

describe('dispel4ts graph', { timeout: 120_000 }, () => {
  it('prints a Mermaid flowchart by default, with groupings and instance counts', async () => {
    const run = await dispel4ts(['graph', 'examples/quickstart.ts']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^flowchart LR\n/);
    expect(run.stdout).toContain('n1["Square<br/><i>×2</i>"]');
    expect(run.stdout).toContain('-- "groupByKey [0]" -->');
    expect(run.stdout).toContain('o0(["SumByParity"])');
  });

  it('prints DOT with ports on multi-port connections', async () => {
    const run = await dispel4ts([
      'graph',
      'examples/graph_testing/split_merge.ts',
      '--format',
      'dot',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^digraph "split_merge" \{/);
    expect(run.stdout).toContain(String.raw`n0 -> n1 [label="output0 → input\nshuffle"];`);
  });

  it('renders SVG in-process (WebAssembly Graphviz) into -o FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-graph-'));
    const out = join(dir, 'graph.svg');
    const run = await dispel4ts([
      'graph',
      'examples/workloads/pipeline.ts',
      '-F',
      'svg',
      '-o',
      out,
    ]);
    expect(run.code).toBe(0);
    const svg = readFileSync(out, 'utf8');
    expect(svg).toContain('<svg');
    expect(svg).toContain('AddOne');
    expect(svg).toContain('allToOne');
  });

  it('prints the graph as JSON', async () => {
    const run = await dispel4ts(['graph', 'examples/workloads/pipeline.ts', '--format', 'json']);
    const graph = JSON.parse(run.stdout) as {
      name: string;
      nodes: { name: string }[];
      connections: unknown[];
    };
    expect(graph.name).toBe('pipeline');
    expect(graph.nodes.map((n) => n.name)).toEqual([
      'Numbers',
      'AddOne',
      'AddOne_2',
      'AddOne_3',
      'Sum',
    ]);
    expect(graph.connections).toHaveLength(4);
  });

  it('refuses an unknown format', async () => {
    const run = await dispel4ts(['graph', 'examples/workloads/pipeline.ts', '--format', 'png']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^dispel4ts: error: .*'png' is invalid\. Allowed choices are mermaid, dot, svg, json/,
    );
  });
});
