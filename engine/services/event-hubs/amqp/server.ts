// The AMQP 1.0 front door on rhea (spec Appendix B): SASL ANONYMOUS, `$cbs` and `$management`,
// sender links for publishing (batch format 0x80013700 and plain messages), receiver links for
// consuming with filters and owner levels. Plain TCP serves `UseDevelopmentEmulator=true`; TLS
// serves clients that insist on amqps (Debian's azure-eventhub 5.11 on port 5671).
import type { AddressInfo, Server } from 'node:net';
import rhea, { type Connection, type Container, type EventContext, type Receiver, type Sender } from 'rhea';
import type { EventHubsNamespace, PublishInput } from '../model/namespace.js';
import { MalformedAmqpError, readPartitionKey, splitBatch, splitSections } from '../model/event-bytes.js';
import { parseAddress, parseSelector, selectorFrom, stripHost } from './addresses.js';
import { ConnectionAuth } from './connection-auth.js';
import { ConsumerLink, ConsumerRegistry } from './consumer-link.js';
import { handleCbs, handleManagement } from './control-nodes.js';
import { applyRheaPatches, rawBytesOf } from './rhea-patches.js';
import { internals } from './rhea-internals.js';

export const BATCH_FORMAT = 0x80013700;

// rhea's outcome constructors (missing from its typings).
const outcomes = rhea.message as unknown as {
  accepted(): { described(): unknown };
  rejected(fields: { error: unknown }): { described(): unknown };
};

export interface AmqpListenOptions {
  host: string;
  port: number;
  tls?: { key: string | Buffer; cert: string | Buffer };
}

type PublishTarget = { kind: 'publish'; hub: string; partitionId?: string };
type ControlTarget = { kind: 'cbs' | 'management' };

const ERROR = {
  notFound: 'amqp:not-found',
  unauthorized: 'amqp:unauthorized-access',
  serverBusy: 'com.microsoft:server-busy',
  tooLarge: 'amqp:link:message-size-exceeded',
  argument: 'com.microsoft:argument-error',
  outOfRange: 'com.microsoft:argument-out-of-range',
  internal: 'amqp:internal-error',
} as const;

export class AmqpFrontDoor {
  private readonly container: Container;
  private readonly servers: Server[] = [];
  private readonly auth = new WeakMap<Connection, ConnectionAuth>();
  private readonly receivers = new WeakMap<Receiver, PublishTarget | ControlTarget>();
  private readonly consumers = new WeakMap<Sender, ConsumerLink>();
  private readonly registry = new ConsumerRegistry();
  private readonly connections = new Set<Connection>();

  constructor(private readonly namespace: EventHubsNamespace) {
    applyRheaPatches();
    this.container = rhea.create_container({ id: `c360-eventhubs-${namespace.name}`, autoaccept: false } as never);
    this.container.sasl_server_mechanisms.enable_anonymous();
    const c = this.container;
    c.on('connection_open', (ctx: EventContext) => this.onConnectionOpen(ctx));
    c.on('session_open', (ctx: EventContext) => {
      // pyamqp reads begin fields by position: handle-max must be present.
      (ctx.session as unknown as { local: { begin: { handle_max: number } } }).local.begin.handle_max = 0xffff;
    });
    c.on('receiver_open', (ctx: EventContext) => this.onClientSender(ctx));
    c.on('sender_open', (ctx: EventContext) => this.onClientReceiver(ctx));
    c.on('message', (ctx: EventContext) => this.onMessage(ctx));
    c.on('sendable', (ctx: EventContext) => this.consumers.get(ctx.sender!)?.pump());
    c.on('sender_close', (ctx: EventContext) => this.consumers.get(ctx.sender!)?.dispose());
    c.on('connection_close', (ctx: EventContext) => this.onConnectionGone(ctx.connection));
    c.on('disconnected', (ctx: EventContext) => this.onConnectionGone(ctx.connection));
    // Errors from clients (a detach with an error, a dropped socket) are theirs to handle, not ours.
    c.on('error', () => {});
    for (const ev of ['sender_error', 'receiver_error', 'session_error', 'connection_error', 'protocol_error']) c.on(ev, () => {});
  }

  async listen(options: AmqpListenOptions): Promise<number> {
    const listenOptions: Record<string, unknown> = {
      host: options.host,
      port: options.port,
      // pyamqp reads open fields by position: send max-frame-size and idle-time-out explicitly.
      max_frame_size: 65536,
      channel_max: 4095,
      idle_time_out: 120_000,
    };
    if (options.tls) Object.assign(listenOptions, { transport: 'tls', key: options.tls.key, cert: options.tls.cert });
    const server = this.container.listen(listenOptions as never) as unknown as Server;
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return (server.address() as AddressInfo).port;
  }

  /** Consumer links currently attached (for tests and the status line). */
  activeConsumers(): number {
    return this.registry.count();
  }

  async close(): Promise<void> {
    for (const conn of this.connections) {
      try {
        conn.close({ condition: 'amqp:connection:forced', description: 'The emulator is shutting down.' });
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.connections) (conn as unknown as { socket?: { destroy(): void } }).socket?.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    this.connections.clear();
  }

  private onConnectionOpen(ctx: EventContext): void {
    const conn = ctx.connection;
    this.connections.add(conn);
    this.auth.set(conn, new ConnectionAuth(this.namespace.config.auth === 'accept-any'));
    this.namespace.metrics.ConnectionsOpened++;
    this.namespace.metrics.ActiveConnections = this.connections.size;
  }

  private onConnectionGone(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.namespace.metrics.ConnectionsClosed++;
    this.namespace.metrics.ActiveConnections = this.connections.size;
    const sessions = (conn as unknown as { local_channel_map: Record<string, { links: Record<string, Sender> }> }).local_channel_map;
    for (const s of Object.values(sessions ?? {})) for (const l of Object.values(s.links)) this.consumers.get(l)?.dispose();
  }

  private authFor(conn: Connection): ConnectionAuth {
    let a = this.auth.get(conn);
    if (!a) this.auth.set(conn, (a = new ConnectionAuth(this.namespace.config.auth === 'accept-any')));
    return a;
  }

  /** Echo what the client asked for on attach: terminus addresses, settle modes; fill every field (pyamqp). */
  private echoAttach(link: Sender | Receiver): void {
    const remote = internals(link).remote.attach ?? {};
    const local = internals(link).local.attach;
    if (remote.source) link.set_source({ address: remote.source.address ?? '' });
    if (remote.target) link.set_target({ address: remote.target.address ?? '' });
    if (remote.snd_settle_mode !== undefined) local.snd_settle_mode = remote.snd_settle_mode;
    if (remote.rcv_settle_mode !== undefined) local.rcv_settle_mode = remote.rcv_settle_mode;
    local.properties = local.properties ?? {};
  }

  private refuse(link: Sender | Receiver, terminus: 'source' | 'target', condition: string, description: string): void {
    internals(link).local.attach[terminus] = null;
    link.close({ condition, description });
  }

  /** A client sender attached: a publish link, or the request side of $cbs / $management. */
  private onClientSender(ctx: EventContext): void {
    const link = ctx.receiver!;
    this.echoAttach(link);
    const address = parseAddress(internals(link).remote.attach?.target?.address);
    if (address.kind === 'cbs' || address.kind === 'management') {
      this.receivers.set(link, { kind: address.kind });
      return;
    }
    const hubName = address.kind === 'hub' || address.kind === 'partition' ? address.hub : undefined;
    const hub = hubName !== undefined ? this.namespace.hub(hubName) : undefined;
    const full = stripHost(internals(link).remote.attach?.target?.address ?? '');
    if (!hub || (address.kind === 'partition' && !hub.partition(address.partitionId))) {
      return this.refuse(link, 'target', ERROR.notFound, `The messaging entity 'sb://${this.namespace.name}/${full}' could not be found.`);
    }
    if (!this.authFor(ctx.connection).allows(full, this.namespace.clock.now())) {
      return this.refuse(link, 'target', ERROR.unauthorized, `Unauthorized access to '${full}': put a token for it on $cbs first.`);
    }
    const desired = internals(link).remote.attach?.desired_capabilities;
    if ((Array.isArray(desired) ? desired.map(String) : [String(desired ?? '')]).includes('com.microsoft:idempotent-producer')) {
      // refused rather than half-done: without the producer-epoch/sequence bookkeeping, retries could duplicate
      return this.refuse(link, 'target', 'amqp:not-implemented', 'Idempotent publishing (com.microsoft:idempotent-producer) is not supported by the c360 Event Hubs emulator.');
    }
    internals(link).local.attach.max_message_size = this.namespace.maxMessageBytes;
    this.receivers.set(link, { kind: 'publish', hub: hub.name, partitionId: address.kind === 'partition' ? address.partitionId : undefined });
  }

  /** A client receiver attached: the reply side of $cbs / $management, or a partition consumer. */
  private onClientReceiver(ctx: EventContext): void {
    const link = ctx.sender!;
    this.echoAttach(link);
    const remote = internals(link).remote.attach!;
    const address = parseAddress(remote.source?.address);
    if (address.kind === 'cbs' || address.kind === 'management') return;
    const full = stripHost(remote.source?.address ?? '');
    const notFound = () => this.refuse(link, 'source', ERROR.notFound, `The messaging entity 'sb://${this.namespace.name}/${full}' could not be found.`);
    if (address.kind !== 'consumer') return notFound();
    const hub = this.namespace.hub(address.hub);
    const group = hub?.consumerGroup(address.consumerGroup);
    const log = hub?.partition(address.partitionId);
    if (!hub || !group || !log) return notFound();
    if (!this.authFor(ctx.connection).allows(full, this.namespace.clock.now()))
      return this.refuse(link, 'source', ERROR.unauthorized, `Unauthorized access to '${full}': put a token for it on $cbs first.`);
    const filter = parseSelector(selectorFrom(remote.source?.filter));
    if (!filter.ok) return this.refuse(link, 'source', ERROR.argument, filter.message);
    if (filter.position.kind === 'sequence') {
      const wanted = filter.position.inclusive ? filter.position.sequenceNumber : filter.position.sequenceNumber + 1;
      if (wanted > log.endSequenceNumber)
        return this.refuse(
          link,
          'source',
          ERROR.outOfRange,
          `The supplied sequence number '${filter.position.sequenceNumber}' is invalid. The last sequence number in the system is '${log.lastSequenceNumber}'`,
        );
    }
    const props = (remote.properties ?? {}) as Record<string, unknown>;
    const rawEpoch = props['com.microsoft:epoch'];
    const epoch = rawEpoch === undefined || rawEpoch === null ? undefined : Number(rawEpoch);
    const name = String(props['com.microsoft:receiver-name'] ?? link.name);
    const key = `${hub.name}\u0000${group.toLowerCase()}\u0000${log.partitionId}`;
    const refused = this.registry.admit(key, epoch, name);
    if (refused) return this.refuse(link, 'source', refused.condition, refused.description);
    const runtimeMetric = ConsumerLink.wantsRuntimeMetric(remote.desired_capabilities);
    if (runtimeMetric) internals(link).local.attach.offered_capabilities = ConsumerLink.RUNTIME_METRIC;
    const consumer = new ConsumerLink(link, log, key, epoch, name, log.resolve(filter.position), this.namespace, runtimeMetric);
    this.consumers.set(link, consumer);
    this.registry.add(consumer);
  }

  private onMessage(ctx: EventContext): void {
    const target = this.receivers.get(ctx.receiver!);
    if (!target) return;
    if (target.kind === 'cbs') return handleCbs(ctx, this.namespace, this.authFor(ctx.connection));
    if (target.kind === 'management') return handleManagement(ctx, this.namespace, this.authFor(ctx.connection));
    if (target.kind === 'publish') this.publish(ctx, target);
  }

  private publish(ctx: EventContext, target: PublishTarget): void {
    // Always settle the outcome at once, even when a client (pyamqp) asked for rcv-settle-mode
    // "second": it waits for a settled disposition, and the service never needs the second round.
    const d = ctx.delivery!;
    const delivery = {
      accept: () => d.update(true, outcomes.accepted().described()),
      reject: (error: { condition: string; description: string }) => d.update(true, outcomes.rejected({ error }).described()),
    };
    const format = (ctx as unknown as { format?: number }).format ?? 0;
    let events: PublishInput[];
    let batchKey: string | undefined;
    let requestBytes: number;
    try {
      if (format === BATCH_FORMAT) {
        const payload = Buffer.from(ctx.message as unknown as Buffer); // own copy: stored events point into it
        requestBytes = payload.length;
        const { events: raw, envelopeSpans } = splitBatch(payload);
        batchKey = readPartitionKey(payload, envelopeSpans);
        events = raw.map((bytes) => ({ bytes, partitionKey: readPartitionKey(bytes) }));
        batchKey ??= events[0]?.partitionKey;
      } else {
        const raw = rawBytesOf(ctx.message);
        if (!raw) throw new MalformedAmqpError('the message bytes were not captured');
        const bytes = Buffer.from(raw);
        requestBytes = bytes.length;
        splitSections(bytes);
        batchKey = readPartitionKey(bytes);
        events = [{ bytes, partitionKey: batchKey }];
      }
    } catch (e) {
      this.namespace.metrics.IncomingRequests++;
      this.namespace.metrics.UserErrors++;
      delivery.reject({ condition: ERROR.argument, description: (e as Error).message });
      return;
    }
    if (events.length === 0) {
      delivery.accept();
      return;
    }
    const result = this.namespace.publish(
      target.hub,
      events,
      target.partitionId !== undefined ? { partitionId: target.partitionId } : batchKey !== undefined ? { partitionKey: batchKey } : {},
      requestBytes,
    );
    if (result.ok) {
      delivery.accept();
      return;
    }
    const condition =
      result.error === 'server-busy' ? ERROR.serverBusy : result.error === 'message-size-exceeded' ? ERROR.tooLarge : result.error === 'not-found' ? ERROR.notFound : ERROR.argument;
    delivery.reject({ condition, description: result.message });
  }
}
