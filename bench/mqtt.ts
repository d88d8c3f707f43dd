/**
 * MQTT backend figures: W1 (pipeline) through a broker with 2 node processes, and W3
 * (isprime) on 2 nodes against 1 node. Node processes are started here (backends/mqtt/node.mjs)
 * and stopped at the end. Run it under the bench lock:
 *
 *   flock /tmp/dispel4ts-bench.lock npx tsx bench/mqtt.ts [broker] [W1 N] [W3 N] [repeats]
 *
 * Default broker: the machine's Mosquitto, mqtt://127.0.0.1:1883.
 */
import { collect } from '../src/dsl/run.js';
import { mqtt } from '../backends/mqtt/index.js';
import * as w1 from '../examples/workloads/pipeline.js';
import * as w3 from '../examples/workloads/isprime.js';
import { startBenchNodes } from './mqttNodes.js';

const broker = process.argv[2] ?? 'mqtt://127.0.0.1:1883';
const n1 = Number(process.argv[3] ?? 4_000_000);
const n3 = Number(process.argv[4] ?? 150_000);
const repeats = Number(process.argv[5] ?? 3);

async function best(label: string, run: () => Promise<unknown>, items: number): Promise<number> {
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    const seconds = (performance.now() - start) / 1000;
    rates.push(items / seconds);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${label}: median ${Math.round(median).toLocaleString('en')} items/s (runs: ${rates.map((r) => Math.round(r).toLocaleString('en')).join(', ')})`,
  );
  return median;
}

const { secret, topicPrefix, stop } = await startBenchNodes(broker, 2);
try {
  const two = mqtt({ broker, secret, topicPrefix, nodes: 2 });
  const one = mqtt({ broker, secret, topicPrefix, nodes: 1 });
  // Warm-up (bundling, JIT on the nodes).
  await collect(w1.pipeline, two, { iterations: 100_000 });
  await collect(w3.isprime, two, { iterations: 5_000 });
  const answer1 = w1.expected(n1);
  await best(
    `W1 pipeline N=${n1.toLocaleString('en')}, 2 nodes, ${broker}`,
    async () => {
      const r = await collect(w1.pipeline, two, { iterations: n1 });
      if (JSON.stringify(r) !== JSON.stringify(answer1))
        throw new Error(`W1 wrong answer ${JSON.stringify(r)}`);
    },
    n1,
  );
  const answer3 = w3.expected(n3);
  const check3 = (r: unknown): void => {
    if (JSON.stringify(r) !== JSON.stringify(answer3))
      throw new Error(`W3 wrong answer ${JSON.stringify(r)}`);
  };
  const r1 = await best(
    `W3 isprime N=${n3.toLocaleString('en')}, 1 node`,
    async () => check3(await collect(w3.isprime, one, { iterations: n3 })),
    n3,
  );
  const r2 = await best(
    `W3 isprime N=${n3.toLocaleString('en')}, 2 nodes`,
    async () => check3(await collect(w3.isprime, two, { iterations: n3 })),
    n3,
  );
  console.log(`W3 scaling, 2 nodes / 1 node: ${(r2 / r1).toFixed(2)}x`);
} finally {
  await stop();
}
