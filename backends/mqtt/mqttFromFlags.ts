import { BackendError } from '../../src/errors.js';
import { mqtt, type MqttBackend } from './mqtt.js';
import { brokerFlags, secretFrom, type NodeFlags } from './runNode.js';

/**
 * The backend `dispel4ts run --backend mqtt` makes from its flags: `--broker URL` (none: the
 * embedded broker and local nodes), `-n` nodes to wait for, the cluster secret from
 * `--secret-file` or `DISPEL4TS_SECRET`, and the broker login / TLS flags of
 * `dispel4ts node`. A command runs once, so the embedded cluster and the coordinator's broker
 * connection end with the run.
 */
export function mqttFromFlags(
  flags: NodeFlags,
  nodes?: number,
  env: NodeJS.ProcessEnv = process.env,
): MqttBackend {
  const secret = secretFrom(flags, env);
  if (flags.broker && !secret) {
    throw new BackendError(
      'mqtt',
      'no cluster secret: set DISPEL4TS_SECRET or pass --secret-file FILE (the nodes need the same secret)',
    );
  }
  return mqtt({
    ...(flags.broker ? { broker: flags.broker } : {}),
    ...(flags.broker && secret ? { secret } : {}),
    ...brokerFlags(flags),
    ...(nodes !== undefined ? { nodes } : {}),
    ...(flags.topicPrefix !== undefined ? { topicPrefix: flags.topicPrefix } : {}),
    idleMs: 0,
    lingerMs: 0,
  });
}
