// Shared setup for the Event Hubs tests: an emulator on free loopback ports and SDK clients for it.
import { EventHubConsumerClient, type EventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { wallClock } from '../../engine/sim/wall-clock.js';
import { defaultNamespaceConfig, type NamespaceConfig } from '../../engine/services/event-hubs/model/config.js';
import { startEventHubsEmulator, type EmulatorOptions, type RunningEmulator } from '../../engine/services/event-hubs/emulator.js';

export function testConfig(overrides: Partial<NamespaceConfig> = {}): NamespaceConfig {
  return {
    ...defaultNamespaceConfig(),
    hubs: [
      { name: 'eh1', partitionCount: 4, consumerGroups: ['cg1'], retentionMs: 3_600_000 },
      { name: 'customer360', partitionCount: 2, consumerGroups: [], retentionMs: 86_400_000 },
    ],
    ...overrides,
  };
}

export function startTestEmulator(overrides: Partial<NamespaceConfig> = {}, options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEventHubsEmulator({ config: testConfig(overrides), clock: wallClock, amqpPort: 0, httpPort: 0, ...options });
}

/** Fast-failing retry options so error-path tests do not wait for the SDK's 30 s defaults. */
export const quickRetry = { maxRetries: 1, retryDelayInMs: 50, maxRetryDelayInMs: 100, timeoutInMs: 5000 };

export async function waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}


/** Subscribes to one partition with the real SDK until `count` events arrived (then briefly longer, to catch duplicates). */
export async function receiveWithSdk(
  connectionString: string,
  hub: string,
  partitionId: string,
  startPosition: EventPosition,
  count: number,
  options: { consumerGroup?: string; settleMs?: number; timeoutMs?: number; maxBatchSize?: number } = {},
): Promise<ReceivedEventData[]> {
  const consumer = new EventHubConsumerClient(options.consumerGroup ?? '$Default', connectionString, hub, { retryOptions: quickRetry });
  const got: ReceivedEventData[] = [];
  let failure: Error | undefined;
  const sub = consumer.subscribe(
    partitionId,
    {
      processEvents: async (events) => {
        got.push(...events);
      },
      processError: async (err) => {
        failure = err as Error;
      },
    },
    { startPosition, maxBatchSize: options.maxBatchSize ?? 500, maxWaitTimeInSeconds: 0.2 },
  );
  try {
    await waitFor(() => got.length >= count || failure !== undefined, options.timeoutMs ?? 20_000, `${count} events from ${hub}/${partitionId}`);
    await new Promise((r) => setTimeout(r, options.settleMs ?? 300));
  } finally {
    await sub.close();
    await consumer.close();
  }
  if (failure && got.length < count) throw failure;
  return got;
}
