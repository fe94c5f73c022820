// The metrics the recorder keeps, with the Azure Monitor names where Azure has one, their unit and how
// a minute is made of its seconds (Azure's grain is one minute). Counters add up; gauges report the
// worst second of the minute, which is what an operator looking at Azure's "Max" aggregation sees.

import type { MetricDefinition } from '../ports/pipeline.js';

export type { MetricDefinition };
type Aggregation = MetricDefinition['aggregation'];

const def = (name: string, group: MetricDefinition['group'], unit: MetricDefinition['unit'], aggregation: Aggregation, help: string): MetricDefinition => ({
  name,
  group,
  unit,
  aggregation,
  help,
});

export const METRICS = [
  // What the generator tried to send, and what became of each attempt (a retried event counts per attempt).
  def('OfferedEvents', 'sender', 'count', 'sum', 'events in publish attempts (retries count again)'),
  def('OfferedBytes', 'sender', 'bytes', 'sum', 'bytes in publish attempts'),
  def('AcceptedEvents', 'sender', 'count', 'sum', 'events the hub accepted'),
  def('AcceptedBytes', 'sender', 'bytes', 'sum', 'bytes the hub accepted'),
  def('ThrottledEvents', 'sender', 'count', 'sum', 'events in requests refused with ServerBusy'),
  def('ThrottledBytes', 'sender', 'bytes', 'sum', 'bytes in requests refused with ServerBusy'),
  def('DroppedEvents', 'sender', 'count', 'sum', 'events given up for good (see reconciliation.droppedByReason)'),
  // Event Hubs namespace metrics (Azure names).
  def('IncomingRequests', 'eventHubs', 'count', 'sum', 'send requests received'),
  def('SuccessfulRequests', 'eventHubs', 'count', 'sum', 'send requests that succeeded'),
  def('ThrottledRequests', 'eventHubs', 'count', 'sum', 'send requests throttled (TU limit)'),
  def('ServerErrors', 'eventHubs', 'count', 'sum', 'send requests that failed on the service side'),
  def('UserErrors', 'eventHubs', 'count', 'sum', 'send requests refused as the client\'s fault (e.g. oversize)'),
  def('IncomingMessages', 'eventHubs', 'count', 'sum', 'events accepted into the hub'),
  def('IncomingBytes', 'eventHubs', 'bytes', 'sum', 'bytes accepted into the hub'),
  def('OutgoingMessages', 'eventHubs', 'count', 'sum', 'events read from the hub by the stream job'),
  def('OutgoingBytes', 'eventHubs', 'bytes', 'sum', 'bytes read from the hub by the stream job'),
  // Stream Analytics job metrics (Azure names).
  def('InputEvents', 'streamAnalytics', 'count', 'sum', 'events the job read'),
  def('InputEventBytes', 'streamAnalytics', 'bytes', 'sum', 'bytes the job read'),
  def('OutputEvents', 'streamAnalytics', 'count', 'sum', 'rows the job wrote'),
  def('InputDeserializationErrors', 'streamAnalytics', 'count', 'sum', 'input events that could not be parsed'),
  def('LateInputEvents', 'streamAnalytics', 'count', 'sum', 'events later than the late-arrival tolerance'),
  def('EarlyInputEvents', 'streamAnalytics', 'count', 'sum', 'events with event time ahead of arrival time'),
  def('OutOfOrderEvents', 'streamAnalytics', 'count', 'sum', 'events out of order beyond the tolerance'),
  def('RuntimeErrors', 'streamAnalytics', 'count', 'sum', 'errors while processing'),
  def('BackloggedInputEvents', 'streamAnalytics', 'count', 'max', 'events in the hub the job has not read yet'),
  def('WatermarkDelay', 'streamAnalytics', 'ms', 'max', 'event-time watermark lag behind wall (clock) time'),
  def('ResourceUtilization', 'streamAnalytics', 'percent', 'max', 'SU % utilization'),
  // Data Factory / warehouse.
  def('ProfilesWritten', 'slices', 'count', 'sum', 'enriched profiles written to the warehouse'),
  def('SlicesInProgress', 'slices', 'count', 'max', 'slices running'),
] as const satisfies readonly MetricDefinition[];

export type MetricName = (typeof METRICS)[number]['name'];

export const METRIC_NAMES: readonly MetricName[] = METRICS.map((m) => m.name);

export const METRIC_INDEX: Readonly<Record<MetricName, number>> = Object.fromEntries(METRICS.map((m, i) => [m.name, i])) as Record<MetricName, number>;
