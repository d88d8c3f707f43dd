import { COORDINATOR } from '../../src/runtime/protocol.js';

/**
 * @internal Every MQTT topic the backend uses, built here and nowhere else. Under a prefix
 * (default `dispel4ts`), so several clusters can share a broker:
 *
 * - `<p>/presence/<node>`: a node's presence (a heartbeat every second, `gone` as its last
 *   will and when it leaves). Never retained: a node's presence cannot outlive it.
 * - `<p>/discover`: a coordinator asks every node to announce itself now.
 * - `<p>/nudge`: empty QoS 0 messages that acknowledge a broker's packets at once (nobody
 *   subscribes; see `MqttLink`).
 * - `<p>/node/<node>/job`: signed jobs (bundle + assignment) for one node.
 * - `<p>/run/<run>/<endpoint>`: protocol messages for one endpoint of one run (`c` is the
 *   coordinator); data and end of stream go one level down, per receiving PE instance:
 *   `<p>/run/<run>/<endpoint>/in/<pe>/<instance>`. An endpoint subscribes to
 *   `<p>/run/<run>/<endpoint>/#` for the run and unsubscribes when its part ends.
 *
 * Names are URI-encoded, so `/`, `+` and `#` in a PE or node name cannot break a topic.
 */
export interface Topics {
  readonly presence: (node: string) => string;
  readonly presenceAll: string;
  readonly discover: string;
  readonly nudge: string;
  readonly job: (node: string) => string;
  readonly endpoint: (run: string, endpoint: number) => string;
  readonly input: (run: string, endpoint: number, pe: string, instance: number) => string;
  readonly endpointAll: (run: string, endpoint: number) => string;
  readonly runAll: (run: string) => string;
  /** The node id a presence topic names, or undefined. */
  readonly nodeOfPresence: (topic: string) => string | undefined;
}

/** @internal The topics under `prefix`. */
export function topics(prefix = 'dispel4ts'): Topics {
  const p = prefix.replace(/\/+$/, '');
  if (p.length === 0 || /[+#]/.test(p)) {
    throw new RangeError(
      `mqtt() options.topicPrefix must be a non-empty topic without + or #, got ${prefix}`,
    );
  }
  const e = encodeURIComponent;
  const ep = (endpoint: number): string => (endpoint === COORDINATOR ? 'c' : String(endpoint));
  const presencePrefix = `${p}/presence/`;
  return {
    presence: (node) => `${presencePrefix}${e(node)}`,
    presenceAll: `${presencePrefix}+`,
    discover: `${p}/discover`,
    nudge: `${p}/nudge`,
    job: (node) => `${p}/node/${e(node)}/job`,
    endpoint: (run, endpoint) => `${p}/run/${e(run)}/${ep(endpoint)}`,
    input: (run, endpoint, pe, instance) =>
      `${p}/run/${e(run)}/${ep(endpoint)}/in/${e(pe)}/${instance}`,
    endpointAll: (run, endpoint) => `${p}/run/${e(run)}/${ep(endpoint)}/#`,
    runAll: (run) => `${p}/run/${e(run)}/#`,
    nodeOfPresence: (topic) =>
      topic.startsWith(presencePrefix)
        ? decodeURIComponent(topic.slice(presencePrefix.length))
        : undefined,
  };
}
