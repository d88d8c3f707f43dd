import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import { pe, producer, toDot, toMermaid, WorkflowBuilder } from '../../../src/index.js';
import { groupByKey } from '../../../operators/index.js';

const Words = producer('Words', (i) => ({ word: `w${i % 3}` }));
const Count = pe(
  'Count',
  map((x: { word: string }) => x.word),
);
import { quickstart } from '../../../examples/quickstart.js';
import { pipelineComposite } from '../../../examples/graph_testing/pipeline_composite.js';
import { splitMerge } from '../../../examples/graph_testing/split_merge.js';

describe('toMermaid', () => {
  it('draws PEs with kind and instances, connections with grouping, outputs', () => {
    expect(toMermaid(quickstart.graph)).toBe(
      [
        'flowchart LR',
        '  %% workflow quickstart',
        '  n0["Numbers<br/><i>producer</i>"]',
        '  n1["Square<br/><i>×2</i>"]',
        '  n2["Tag"]',
        '  n3["SumByParity<br/><i>×2</i>"]',
        '  n0 -- "shuffle" --> n1',
        '  n1 -- "shuffle" --> n2',
        '  n2 -- "groupByKey [0]" --> n3',
        '  o0(["SumByParity"])',
        '  n3 -.-> o0',
        '',
      ].join('\n'),
    );
  });

  it('escapes the quotes of a group-by key named by a field, so Mermaid can parse the label', () => {
    const keyed = new WorkflowBuilder('keyed')
      .connect(Words, 'output', Count, 'input', groupByKey('word'))
      .build();
    const edge = toMermaid(keyed.graph)
      .split('\n')
      .find((line) => line.includes('-->'))!;
    expect(edge).toContain('#quot;word#quot;');
    expect(edge.match(/"/g)).toHaveLength(2);
  });

  it('names the ports of multi-port connections', () => {
    expect(toMermaid(splitMerge.graph)).toContain('-- "output0 → input<br/>shuffle" -->');
  });
});

describe('toDot', () => {
  it('draws composites as clusters and escapes labels', () => {
    const dot = toDot(pipelineComposite.graph);
    expect(dot).toMatch(/^digraph "pipeline_composite" \{/);
    expect(dot).toContain('subgraph cluster_0 {');
    expect(dot).toContain('label="chain"');
    expect(dot).toContain('n1 [label="addTwo"];');
  });

  it('labels ports and groupings on edges', () => {
    expect(toDot(splitMerge.graph)).toContain('n0 -> n1 [label="output0 → input\\nshuffle"];');
    expect(toDot(quickstart.graph)).toContain('n2 -> n3 [label="groupByKey [0]"];');
  });
});
