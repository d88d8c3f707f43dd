import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, GraphError, pe, producer, validate, WorkflowBuilder, workflow } from '../../../src/index.js';
import type { WorkflowGraph } from '../../../src/index.js';

const Numbers = producer('Numbers', (i) => i);
const Double = pe('Double', map((x: number) => 2 * x));

describe('validate()', () => {
  it('finds nothing wrong with a good graph', () => {
    expect(validate(workflow('ok', () => Numbers().pipe(Double)).graph)).toEqual([]);
  });

  it('reports every problem at once, each with its fix', () => {
    const graph: WorkflowGraph = {
      name: 'bad',
      nodes: [
        { name: 'A', kind: 'producer', inputs: [], outputs: ['output'], instances: 1 },
        { name: 'B', kind: 'pe', inputs: ['input', 'extra'], outputs: ['output'], instances: 0 },
        { name: 'B', kind: 'pe', inputs: ['input'], outputs: ['output'], instances: 1 },
        { name: 'C', kind: 'pe', inputs: ['input'], outputs: ['output'], instances: 1 },
        { name: 'D', kind: 'pe', inputs: ['input'], outputs: ['output'], instances: 1 },
      ],
      connections: [
        { id: 0, from: { pe: 'A', port: 'output' }, to: { pe: 'B', port: 'input' }, grouping: { kind: 'shuffle' }, fused: 0 },
        { id: 1, from: { pe: 'A', port: 'nope' }, to: { pe: 'X', port: 'input' }, grouping: { kind: 'shuffle' }, fused: 0 },
        { id: 2, from: { pe: 'C', port: 'output' }, to: { pe: 'D', port: 'input' }, grouping: { kind: 'shuffle' }, fused: 0 },
        { id: 3, from: { pe: 'D', port: 'output' }, to: { pe: 'C', port: 'input' }, grouping: { kind: 'shuffle' }, fused: 0 },
      ],
      outputs: [],
    };
    const problems = validate(graph);
    expect(problems.map((p) => [p.code, p.pe, p.port])).toEqual([
      ['bad-instances', 'B', undefined],
      ['duplicate-name', 'B', undefined],
      ['unknown-port', 'A', 'nope'],
      ['bad-connection', 'X', 'input'],
      ['unconnected-input', 'B', 'extra'],
      ['cycle', 'C', undefined],
    ]);
    expect(problems.find((p) => p.code === 'duplicate-name')!.message).toMatch(/Give one of them a distinct name/);
    expect(problems.find((p) => p.code === 'cycle')!.message).toContain('C -> D -> C');
    expect(problems.find((p) => p.code === 'unknown-port')!.message).toContain('its outputs: "output"');
  });

  it('reports two different PEs sharing a name, from the DSL', () => {
    const other = pe('Double', map((x: number) => x));
    const wf = workflow('dup', () => Numbers().pipe(Double, other));
    expect(validate(wf.graph).map((p) => p.code)).toEqual(['duplicate-name']);
  });

  it('makes run() reject a bad graph before anything runs', async () => {
    let ran = false;
    const Spy = pe('Spy', map((x: number) => ((ran = true), x)));
    const g = new WorkflowBuilder('unconnected');
    g.add(Numbers).connect(Numbers, 'output', Spy, 'input');
    g.add(pe('Lonely', map((x: number) => x)));
    const error = await collect(g.build(), undefined, { iterations: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).problems.map((p) => [p.code, p.pe, p.port])).toEqual([
      ['unconnected-input', 'Lonely', 'input'],
    ]);
    expect(ran).toBe(false);
  });
});
