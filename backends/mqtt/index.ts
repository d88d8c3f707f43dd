/* Backend */
export { mqtt, type MqttOptions, type MqttBackend, type MqttPlan } from './mqtt.js';
/* Nodes */
export { startNode, type NodeOptions, type MqttNode } from './startNode.js';
/* Broker */
export { startBroker, type BrokerServerOptions, type EmbeddedBroker } from './startBroker.js';
export type { BrokerOptions } from './MqttLink.js';
