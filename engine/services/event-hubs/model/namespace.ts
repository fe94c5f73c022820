// An Event Hubs namespace: hubs → partitions (append-only logs), consumer groups, checkpoints,
// throughput units and Azure-named counters. This is the whole service without any network: the
// AMQP and REST front doors and the in-process adapters all call it, and it reads time only from
// the Clock it is given, so the pipeline can run it on a virtual clock.
import type { Clock, EpochMs } from '../../../ports/clock.js';
import { type HubConfig, type NamespaceConfig, maxMessageBytes } from './config.js';
import { emptyMetrics, type Metrics } from './metrics.js';
import { mapPartitionKeyToId } from './partition-key.js';
import { type AppendInput, type LogEntry, PartitionLog, sizeOf } from './partition-log.js';
import { ThroughputGate } from './throughput.js';

export type PublishErrorCode = 'server-busy' | 'message-size-exceeded' | 'not-found' | 'argument-error';

export type PublishResult =
  | { ok: true; partitionId: string; count: number; bytes: number }
  | { ok: false; error: PublishErrorCode; message: string; retryAfterMs?: number };

export type PublishInput = AppendInput;

export interface PublishRoute {
  /** All events to this partition. */
  partitionId?: string;
  /** All events to the partition this key hashes to. */
  partitionKey?: string;
  /** Route each event by its own partition key (REST batches); keyless events go together round-robin. */
  perEventKeys?: boolean;
}

export interface Checkpoint {
  offset: string;
  sequenceNumber: number;
  updatedAt: EpochMs;
}

/** Where durable state goes (a data directory); the in-memory namespace works without one. */
export interface NamespaceStore {
  appendEvents(hub: string, partitionId: string, entries: readonly LogEntry[]): void;
  saveCheckpoint(hub: string, consumerGroup: string, partitionId: string, checkpoint: Checkpoint): void;
}

export class Hub {
  readonly partitions: PartitionLog[];
  readonly partitionIds: string[];
  private readonly groups = new Map<string, string>();
  private roundRobin = 0;
  constructor(
    readonly config: HubConfig,
    readonly createdAt: EpochMs,
  ) {
    this.partitionIds = Array.from({ length: config.partitionCount }, (_, i) => String(i));
    this.partitions = this.partitionIds.map((id) => new PartitionLog(config.name, id));
    for (const g of ['$Default', ...config.consumerGroups]) this.groups.set(g.toLowerCase(), g);
  }
  get name(): string {
    return this.config.name;
  }
  partition(id: string): PartitionLog | undefined {
    return /^\d+$/.test(id) ? this.partitions[Number(id)] : undefined;
  }
  /** Consumer-group names compare case-insensitively ($default in JS, $Default in Go). */
  consumerGroup(name: string): string | undefined {
    return this.groups.get(name.toLowerCase());
  }
  get consumerGroups(): string[] {
    return [...this.groups.values()];
  }
  nextRoundRobin(): number {
    const p = this.roundRobin;
    this.roundRobin = (this.roundRobin + 1) % this.partitions.length;
    return p;
  }
}

export interface HubProperties {
  name: string;
  createdAt: EpochMs;
  partitionIds: string[];
}

export interface PartitionProperties {
  hub: string;
  partitionId: string;
  beginningSequenceNumber: number;
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedOffset: string;
  lastEnqueuedTime: EpochMs;
  isEmpty: boolean;
}

export class EventHubsNamespace {
  private readonly hubs = new Map<string, Hub>();
  private readonly checkpoints = new Map<string, Checkpoint>();
  readonly metrics: Metrics = emptyMetrics();
  readonly gate: ThroughputGate | undefined;
  readonly maxMessageBytes: number;
  private store: NamespaceStore | undefined;

  constructor(
    readonly config: NamespaceConfig,
    readonly clock: Clock,
  ) {
    const now = clock.now();
    for (const h of config.hubs) this.hubs.set(h.name.toLowerCase(), new Hub(h, now));
    this.gate = config.throughputUnits ? new ThroughputGate({ throughputUnits: config.throughputUnits }) : undefined;
    this.maxMessageBytes = maxMessageBytes(config.tier);
  }

  get name(): string {
    return this.config.name;
  }

  /** Attaches durable storage; called after recovery so recovered events are not written again. */
  attachStore(store: NamespaceStore): void {
    this.store = store;
  }

  hub(name: string): Hub | undefined {
    return this.hubs.get(name.toLowerCase());
  }
  hubNames(): string[] {
    return [...this.hubs.values()].map((h) => h.name);
  }

  /** Publishes one request (an AMQP transfer or a REST call): all-or-nothing, throttled as one. */
  publish(hubName: string, events: readonly PublishInput[], route: PublishRoute = {}, requestBytes?: number): PublishResult {
    const m = this.metrics;
    m.IncomingRequests++;
    const hub = this.hub(hubName);
    if (!hub) {
      m.UserErrors++;
      return { ok: false, error: 'not-found', message: `The messaging entity '${hubName}' could not be found.` };
    }
    let fixed: number | undefined;
    if (route.partitionId !== undefined) {
      if (!hub.partition(route.partitionId)) {
        m.UserErrors++;
        return { ok: false, error: 'not-found', message: `The messaging entity '${hub.name}/Partitions/${route.partitionId}' could not be found.` };
      }
      fixed = Number(route.partitionId);
    } else if (route.partitionKey !== undefined) {
      fixed = mapPartitionKeyToId(route.partitionKey, hub.partitions.length);
    }
    let bytes = 0;
    for (const e of events) bytes += sizeOf(e);
    const size = requestBytes ?? bytes;
    if (size > this.maxMessageBytes) {
      m.UserErrors++;
      return {
        ok: false,
        error: 'message-size-exceeded',
        message: `The received message (size ${size} bytes) exceeds the limit (${this.maxMessageBytes} bytes) currently allowed on the link.`,
      };
    }
    const now = this.clock.now();
    if (this.gate && !this.gate.admitIngress(events.length, bytes, now)) {
      m.ThrottledRequests++;
      const retryAfterMs = this.gate.ingressRetryAfterMs(now);
      return {
        ok: false,
        error: 'server-busy',
        message: `The request was terminated because the entity is being throttled. Error code : 50002. Sub error : 102. Please wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} seconds and try again.`,
        retryAfterMs,
      };
    }
    let partitionId: number;
    const keyed = route.perEventKeys === true && events.some((e) => e.partitionKey !== undefined);
    if (fixed !== undefined || !keyed) {
      partitionId = fixed ?? hub.nextRoundRobin();
      this.appendTo(hub, partitionId, events, now);
    } else {
      // Each keyed event to its key's partition; the keyless ones together to the next partition.
      const groups = new Map<number, PublishInput[]>();
      let keyless: number | undefined;
      for (const e of events) {
        const p = e.partitionKey !== undefined ? mapPartitionKeyToId(e.partitionKey, hub.partitions.length) : (keyless ??= hub.nextRoundRobin());
        let g = groups.get(p);
        if (!g) groups.set(p, (g = []));
        g.push(e);
      }
      partitionId = groups.keys().next().value ?? 0;
      for (const [p, g] of groups) this.appendTo(hub, p, g, now);
    }
    m.SuccessfulRequests++;
    m.IncomingMessages += events.length;
    m.IncomingBytes += bytes;
    return { ok: true, partitionId: String(partitionId), count: events.length, bytes };
  }

  private appendTo(hub: Hub, partition: number, events: readonly PublishInput[], now: EpochMs): void {
    const log = hub.partitions[partition];
    log.dropBefore(now - hub.config.retentionMs);
    const first = log.append(events, now);
    // Written before the caller acknowledges, so an acknowledged event survives a crash.
    if (this.store) this.store.appendEvents(hub.name, log.partitionId, log.readFrom(first, events.length));
  }

  /** Applies the egress cap: how many of these entries may be delivered now (and counts them). */
  takeEgress(entries: readonly LogEntry[]): number {
    const n = this.gate ? this.gate.takeEgress(entries.map((e) => e.size), this.clock.now()) : entries.length;
    this.metrics.OutgoingMessages += n;
    for (let i = 0; i < n; i++) this.metrics.OutgoingBytes += entries[i].size;
    return n;
  }

  /** When capped egress may continue (ms from now). */
  egressRetryAfterMs(): number {
    return this.gate ? this.gate.egressRetryAfterMs(this.clock.now()) : 0;
  }

  enforceRetention(): void {
    const now = this.clock.now();
    for (const hub of this.hubs.values()) for (const p of hub.partitions) p.dropBefore(now - hub.config.retentionMs);
  }

  hubProperties(hubName: string): HubProperties | undefined {
    const hub = this.hub(hubName);
    return hub && { name: hub.name, createdAt: hub.createdAt, partitionIds: [...hub.partitionIds] };
  }

  partitionProperties(hubName: string, partitionId: string): PartitionProperties | undefined {
    const log = this.hub(hubName)?.partition(partitionId);
    if (!log) return undefined;
    const last = log.last;
    return {
      hub: log.hub,
      partitionId,
      beginningSequenceNumber: log.beginSequenceNumber,
      lastEnqueuedSequenceNumber: log.lastSequenceNumber,
      lastEnqueuedOffset: last ? String(last.offset) : '-1',
      lastEnqueuedTime: last ? last.enqueuedTime : 0,
      isEmpty: log.size === 0,
    };
  }

  private checkpointKey(hub: string, group: string, partitionId: string): string {
    return `${hub.toLowerCase()}\u0000${group.toLowerCase()}\u0000${partitionId}`;
  }

  setCheckpoint(hubName: string, consumerGroup: string, partitionId: string, position: { offset: string; sequenceNumber: number }): Checkpoint {
    const hub = this.hub(hubName);
    const group = hub?.consumerGroup(consumerGroup);
    if (!hub || !group || !hub.partition(partitionId)) throw new RangeError(`no such partition: ${hubName}/${consumerGroup}/${partitionId}`);
    const checkpoint: Checkpoint = { ...position, updatedAt: this.clock.now() };
    this.checkpoints.set(this.checkpointKey(hub.name, group, partitionId), checkpoint);
    this.store?.saveCheckpoint(hub.name, group, partitionId, checkpoint);
    return checkpoint;
  }

  /** Used by recovery: sets a checkpoint without writing it back. */
  restoreCheckpoint(hub: string, group: string, partitionId: string, checkpoint: Checkpoint): void {
    this.checkpoints.set(this.checkpointKey(hub, group, partitionId), checkpoint);
  }

  getCheckpoint(hubName: string, consumerGroup: string, partitionId: string): Checkpoint | undefined {
    return this.checkpoints.get(this.checkpointKey(hubName, consumerGroup, partitionId));
  }

  listCheckpoints(hubName: string, consumerGroup: string): { partitionId: string; checkpoint: Checkpoint }[] {
    const hub = this.hub(hubName);
    if (!hub) return [];
    const out: { partitionId: string; checkpoint: Checkpoint }[] = [];
    for (const id of hub.partitionIds) {
      const c = this.getCheckpoint(hubName, consumerGroup, id);
      if (c) out.push({ partitionId: id, checkpoint: c });
    }
    return out;
  }

  snapshotMetrics(): Metrics {
    return { ...this.metrics };
  }
}
