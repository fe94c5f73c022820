// Namespace counters under the names Azure Monitor uses for Event Hubs (Microsoft.EventHub/namespaces
// metrics), so charts and reconciliation read the same names from the twin and from Azure.
export const METRIC_NAMES = [
  'IncomingRequests',
  'SuccessfulRequests',
  'ThrottledRequests',
  'ServerErrors',
  'UserErrors',
  'IncomingMessages',
  'IncomingBytes',
  'OutgoingMessages',
  'OutgoingBytes',
  'ActiveConnections',
  'ConnectionsOpened',
  'ConnectionsClosed',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];
export type Metrics = Record<MetricName, number>;

export function emptyMetrics(): Metrics {
  return Object.fromEntries(METRIC_NAMES.map((n) => [n, 0])) as Metrics;
}
