// A consumer: the emulator's sender link feeding one client receiver from one partition (spec §5).
// Deliveries are pre-settled (Go only re-issues credit for settled messages), never beyond the
// link credit, capped by the namespace's egress allowance, and pushed as soon as events are appended.
import rhea, { type Sender } from 'rhea';
import type { EventHubsNamespace } from '../model/namespace.js';
import type { PartitionLog } from '../model/partition-log.js';
import { withServiceAnnotations } from '../model/event-bytes.js';
import { internals, markSettled } from './rhea-internals.js';

const RUNTIME_METRIC = 'com.microsoft:enable-receiver-runtime-metric';

export class ConsumerLink {
  private cursor: number;
  private unsubscribe: () => void;
  private waitingForEgress = false;
  private resumeScheduled = false;
  closed = false;

  constructor(
    readonly sender: Sender,
    readonly log: PartitionLog,
    readonly groupKey: string,
    readonly epoch: number | undefined,
    readonly name: string,
    startSequence: number,
    private readonly namespace: EventHubsNamespace,
    private readonly runtimeMetric: boolean,
  ) {
    this.cursor = startSequence;
    this.unsubscribe = log.onAppend(() => this.pump());
  }

  static wantsRuntimeMetric(desired: unknown): boolean {
    return Array.isArray(desired) ? desired.map(String).includes(RUNTIME_METRIC) : String(desired ?? '') === RUNTIME_METRIC;
  }
  static readonly RUNTIME_METRIC = RUNTIME_METRIC;

  pump(): void {
    if (this.closed || this.waitingForEgress) return;
    if (!this.sender.is_open()) return;
    while (this.sender.sendable() && this.cursor < this.log.endSequenceNumber) {
      // never more than the link credit, nor more than the session's outgoing buffer can hold
      // (pre-settled deliveries leave it only once written)
      const room = Math.min(internals(this.sender).credit, internals(this.sender).session.outgoing.available(), 256);
      const entries = this.log.readFrom(this.cursor, room);
      if (!entries.length) break;
      const n = this.namespace.takeEgress(entries);
      for (let i = 0; i < n; i++) {
        const e = entries[i];
        const bytes = withServiceAnnotations(e.bytes, e, undefined, this.runtimeMetric ? this.runtimeInfo() : undefined);
        const delivery = this.sender.send(bytes, undefined, 0);
        markSettled(delivery);
        this.cursor = e.sequenceNumber + 1;
      }
      if (n < entries.length) {
        // Egress is capped, not refused: wait for the allowance to drain, then carry on.
        this.waitingForEgress = true;
        const clock = this.namespace.clock;
        void clock.sleepUntil(clock.now() + this.namespace.egressRetryAfterMs()).then(() => {
          this.waitingForEgress = false;
          this.pump();
        });
        return;
      }
    }
    // Credit left but the session's outgoing buffer was full: rhea frees it once the frames are
    // written and raises no event for that, so look again on the next turn of the event loop.
    if (!this.resumeScheduled && internals(this.sender).credit > 0 && this.cursor < this.log.endSequenceNumber) {
      this.resumeScheduled = true;
      setImmediate(() => {
        this.resumeScheduled = false;
        this.pump();
      });
    }
  }

  private runtimeInfo() {
    const last = this.log.last;
    return {
      lastSequenceNumber: this.log.lastSequenceNumber,
      lastOffset: last ? String(last.offset) : '-1',
      lastEnqueuedTime: last ? last.enqueuedTime : 0,
      retrievedAt: this.namespace.clock.now(),
    };
  }

  /** Detaches the link with an error (epoch stolen, entity gone …). */
  kick(condition: string, description: string): void {
    this.dispose();
    this.sender.close({ condition, description });
  }

  dispose(): void {
    this.closed = true;
    this.unsubscribe();
  }
}

/** Receivers per (hub, consumer group, partition): owner-level (epoch) rules and the 5-receiver quota (spec §5.5). */
export class ConsumerRegistry {
  private readonly groups = new Map<string, Set<ConsumerLink>>();

  members(key: string): Set<ConsumerLink> {
    let s = this.groups.get(key);
    if (!s) this.groups.set(key, (s = new Set()));
    for (const c of s) if (c.closed) s.delete(c);
    return s;
  }

  /** Returns an error to refuse the new receiver with, after detaching the receivers it displaces. */
  admit(key: string, epoch: number | undefined, name: string): { condition: string; description: string } | undefined {
    const members = this.members(key);
    const epochs = [...members].filter((c) => c.epoch !== undefined).map((c) => c.epoch!);
    const maxEpoch = epochs.length ? Math.max(...epochs) : undefined;
    if (epoch === undefined) {
      if (maxEpoch !== undefined)
        return { condition: 'amqp:link:stolen', description: `Receiver '${name}' without an epoch cannot be created while a receiver with epoch '${maxEpoch}' is active.` };
      if (members.size >= 5)
        return {
          condition: 'amqp:resource-limit-exceeded',
          description: 'Exceeded the maximum number of allowed receivers per partition in a consumer group which is 5.',
        };
      return undefined;
    }
    if (maxEpoch !== undefined && epoch < maxEpoch)
      return {
        condition: 'amqp:link:stolen',
        description: `Receiver '${name}' with epoch '${epoch}' cannot be created because a receiver with a higher epoch '${maxEpoch}' already exists.`,
      };
    for (const old of members) {
      old.kick(
        'amqp:link:stolen',
        `New receiver '${name}' with higher epoch of '${epoch}' is created hence current receiver '${old.name}' with epoch '${old.epoch ?? 0}' is getting disconnected. If you are recreating the receiver, make sure a higher epoch is used.`,
      );
      members.delete(old);
    }
    return undefined;
  }

  /** Live consumer links across all partitions. */
  count(): number {
    let n = 0;
    for (const key of this.groups.keys()) n += this.members(key).size;
    return n;
  }

  add(link: ConsumerLink): void {
    this.members(link.groupKey).add(link);
  }
}

export const wrapLong = rhea.types.wrap_long;
