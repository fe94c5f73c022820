// The stream job's view of the local hub: the Event Hubs model's in-process subscriber, plus each
// partition's last enqueued sequence number (what Azure's getPartitionProperties reports). The stream
// pump measures its backlog against the hub with it, so events that outside clients send through the
// open front doors of a paced run count as backlog and as incoming messages, not as a negative backlog.
import type { EventPosition, EventSubscriber, ReceivedEvent } from '../../ports/events.js';
import type { PartitionEnds } from '../../pipeline/stream-pump.js';
import { InProcessSubscriber } from '../../services/event-hubs/in-process.js';
import type { EventHubsNamespace } from '../../services/event-hubs/model/namespace.js';

export class LocalHubSubscriber implements EventSubscriber, PartitionEnds {
  private readonly inner: InProcessSubscriber;

  constructor(
    private readonly namespace: EventHubsNamespace,
    private readonly hub: string,
    consumerGroup: string,
  ) {
    this.inner = new InProcessSubscriber(namespace, hub, consumerGroup);
  }

  partitionIds(): Promise<string[]> {
    return this.inner.partitionIds();
  }

  read(partitionId: string, position: EventPosition, max: number): Promise<ReceivedEvent[]> {
    return this.inner.read(partitionId, position, max);
  }

  async lastEnqueuedSequenceNumber(partitionId: string): Promise<number> {
    const p = this.namespace.partitionProperties(this.hub, partitionId);
    if (!p) throw new Error(`partition '${partitionId}' does not exist on hub '${this.hub}'`);
    return p.lastEnqueuedSequenceNumber;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
