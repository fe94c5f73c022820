// The Event Hubs emulator's public surface: the namespace model and its in-process API (for the
// pipeline on any clock), the front doors (for live runs, the CLI and the tests), and helpers.
export { EventHubsNamespace, type Checkpoint, type HubProperties, type PartitionProperties, type PublishResult, type PublishRoute } from './model/namespace.js';
export { defaultNamespaceConfig, loadNamespaceConfig, parseNamespaceConfig, maxMessageBytes, DEVELOPMENT_POLICY, type NamespaceConfig, type HubConfig, type Tier } from './model/config.js';
export { METRIC_NAMES, type MetricName, type Metrics } from './model/metrics.js';
export { ThroughputGate, INGRESS_BYTES_PER_TU, INGRESS_EVENTS_PER_TU, EGRESS_BYTES_PER_TU, EGRESS_EVENTS_PER_TU } from './model/throughput.js';
export { mapPartitionKeyToId } from './model/partition-key.js';
export { createSasToken, validateSasToken, type AccessPolicy } from './model/sas.js';
export { InProcessPublisher, InProcessSubscriber } from './in-process.js';
export { startEventHubsEmulator, connectionStringFor, type EmulatorOptions, type RunningEmulator } from './emulator.js';
