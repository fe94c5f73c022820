// Benchmark: the Event Hubs emulator's front doors and in-process API.
//  1. AMQP ingest with the real @azure/event-hubs producer: batches of 100 events of ~120 bytes,
//     8 sends in flight. Baseline in the same run: a bare rhea receiver that answers the CBS put-token
//     and accepts every transfer without looking at it — the floor of any rhea-based server.
//  2. REST ingest: batches of 1,675 original-shape messages (~110 bytes), 4 requests in flight over
//     keep-alive. Baseline in the same run: a bare node:http server that reads the body and answers 201.
//  3. In-process publish (the pipeline's path): 1,675-event batches straight into the namespace, and
//     reading them back. No baseline: reported as events/s for the pipeline's budget.
// Front-door scenarios: one warm-up pass each, then 5 rounds alternating emulator and baseline (so
// load from other processes hits both alike); medians. In-process: median of 3 after a warm-up.
// Set BENCH_QUICK=1 for a smoke run.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import rhea, { type EventContext } from 'rhea';
import { EventHubProducerClient } from '@azure/event-hubs';
import { machineSummary } from './machine.js';
import { wallClock } from '../engine/sim/wall-clock.js';
import { defaultNamespaceConfig } from '../engine/services/event-hubs/model/config.js';
import { EventHubsNamespace } from '../engine/services/event-hubs/model/namespace.js';
import { startEventHubsEmulator } from '../engine/services/event-hubs/emulator.js';
import { InProcessPublisher, InProcessSubscriber } from '../engine/services/event-hubs/in-process.js';
import { createSasToken } from '../engine/services/event-hubs/model/sas.js';

const QUICK = process.env.BENCH_QUICK === '1';
const AMQP_BATCHES = QUICK ? 40 : 400;
const REST_BATCHES = QUICK ? 8 : 60;
const INPROC_BATCHES = QUICK ? 20 : 240;

function message(i: number): string {
  // ~120 bytes as JSON, the original generator's fields
  return JSON.stringify({ userdatetime: '2017-01-01 06:00:00', customerid: (i % 6000) + 1, category_t1: 700 + (i % 97), category_t2: 10 + (i % 13), category_t3: 15 + (i % 7), session: 'bench' });
}

// --- baselines -------------------------------------------------------------------------------------

async function bareRhea(): Promise<{ port: number; close(): Promise<void> }> {
  const c = rhea.create_container({ id: 'bare' });
  c.sasl_server_mechanisms.enable_anonymous();
  c.on('receiver_open', (ctx: EventContext) => {
    const l = ctx.receiver as unknown as { remote: { attach: { source?: { address: string }; target?: { address: string } } }; local: { attach: Record<string, unknown> }; set_source(x: unknown): void; set_target(x: unknown): void };
    l.set_source({ address: l.remote.attach.source?.address });
    l.set_target({ address: l.remote.attach.target?.address });
    l.local.attach.max_message_size = 1048576;
  });
  c.on('sender_open', (ctx: EventContext) => {
    const l = ctx.sender as unknown as { remote: { attach: { source?: { address: string }; target?: { address: string } } }; set_source(x: unknown): void; set_target(x: unknown): void };
    l.set_source({ address: l.remote.attach.source?.address });
    l.set_target({ address: l.remote.attach.target?.address });
  });
  c.on('message', (ctx: EventContext) => {
    const m = ctx.message as { reply_to?: string; message_id?: string; application_properties?: Record<string, unknown> };
    if (m && m.application_properties?.operation === 'put-token') {
      const links = (ctx.session as unknown as { links: Record<string, { is_sender(): boolean; remote: { attach?: { source?: { address?: string } } }; send(x: unknown): void }> }).links;
      const reply = Object.values(links).find((l) => l.is_sender() && l.remote.attach?.source?.address === '$cbs');
      reply?.send({ correlation_id: m.message_id, application_properties: { 'status-code': rhea.types.wrap_int(202), 'status-description': 'Accepted' } });
    }
  });
  c.on('error', () => {});
  const server = c.listen({ port: 0, host: '127.0.0.1' } as never) as unknown as http.Server;
  await new Promise((r) => server.once('listening', r));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
}

async function bareHttp(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(201, { 'Content-Length': 0 });
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

// --- workloads -------------------------------------------------------------------------------------

interface Workload {
  pass(): Promise<void>;
  close(): Promise<void>;
}

async function amqpIngest(connectionString: string, batches: number): Promise<Workload> {
  const producer = new EventHubProducerClient(connectionString, 'customer360');
  const events = Array.from({ length: 100 }, (_, i) => ({ body: message(i) }));
  await producer.sendBatch(events, { partitionId: '0' }); // connect + CBS outside the timing
  let next = 0;
  const worker = async () => {
    while (next < batches) {
      next++;
      await producer.sendBatch(events, { partitionId: String(next % 2) });
    }
  };
  return {
    pass: async () => {
      next = 0;
      await Promise.all(Array.from({ length: 8 }, worker));
    },
    close: () => producer.close(),
  };
}

async function restIngest(baseUrl: string, batches: number): Promise<Workload> {
  const body = JSON.stringify(Array.from({ length: 1675 }, (_, i) => ({ Body: message(i) })));
  const auth = createSasToken('sb://localhost/', { name: 'RootManageSharedAccessKey', key: 'SAS_KEY_VALUE' }, Math.floor(Date.now() / 1000) + 3600);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(`${baseUrl}/customer360/messages`, { method: 'POST', agent, headers: { Authorization: auth, 'Content-Type': 'application/vnd.microsoft.servicebus.json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const worker = async () => {
    while (next < batches) {
      next++;
      await post();
    }
  };
  return {
    pass: async () => {
      next = 0;
      await Promise.all(Array.from({ length: 4 }, worker));
    },
    close: async () => agent.destroy(),
  };
}

/**
 * Times `rounds` passes of each workload, alternating emulator and baseline (after one warm-up pass
 * each), so that load from other processes on a shared machine hits both alike; returns median ms.
 */
async function alternate(a: Workload, b: Workload, rounds = 5): Promise<[number, number]> {
  await a.pass();
  await b.pass();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [w, t] of [[a, ta], [b, tb]] as const) {
      const t0 = performance.now();
      await w.pass();
      t.push(performance.now() - t0);
    }
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  return [median(ta), median(tb)];
}

function inProcess(): { publish: number; read: number } {
  const events = Array.from({ length: 1675 }, (_, i) => ({ body: message(i) }));
  let ns = new EventHubsNamespace(defaultNamespaceConfig(), wallClock);
  const publishMs = medianMsSync(() => {
    ns = new EventHubsNamespace(defaultNamespaceConfig(), wallClock);
    const pub = new InProcessPublisher(ns, 'customer360');
    for (let b = 0; b < INPROC_BATCHES; b++) pub.publishSync(events);
  });
  const sub = new InProcessSubscriber(ns, 'customer360');
  const readMs = medianMsSync(() => {
    for (const p of ['0', '1']) {
      let seq = -1;
      for (;;) {
        const got = sub.readSync(p, { kind: 'sequence', sequenceNumber: seq }, 5000);
        if (!got.length) break;
        seq = got[got.length - 1].sequenceNumber;
      }
    }
  });
  const total = INPROC_BATCHES * 1675;
  return { publish: total / (publishMs / 1000), read: total / (readMs / 1000) };
}

function medianMsSync(fn: () => void): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[1];
}

// --- run -------------------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const emu = await startEventHubsEmulator({ config: defaultNamespaceConfig(), clock: wallClock, amqpPort: 0, httpPort: 0 });
const rheaBase = await bareRhea();
const httpBase = await bareHttp();
const cs = (port: number) => `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true`;

const amqpA = await amqpIngest(emu.connectionString, AMQP_BATCHES);
const amqpB = await amqpIngest(cs(rheaBase.port), AMQP_BATCHES);
const [amqpEmuMs, amqpBareMs] = await alternate(amqpA, amqpB);
await amqpA.close();
await amqpB.close();
const restA = await restIngest(emu.restBaseUrl!, REST_BATCHES);
const restB = await restIngest(httpBase.url, REST_BATCHES);
const [restEmuMs, restBareMs] = await alternate(restA, restB);
await restA.close();
await restB.close();
const perSecond = (events: number, ms: number) => events / (ms / 1000);
const amqpEmu = perSecond(AMQP_BATCHES * 100, amqpEmuMs);
const amqpBare = perSecond(AMQP_BATCHES * 100, amqpBareMs);
const restEmu = perSecond(REST_BATCHES * 1675, restEmuMs);
const restBare = perSecond(REST_BATCHES * 1675, restBareMs);
await emu.close();
await rheaBase.close();
await httpBase.close();
const inproc = inProcess();

console.log(`## Event Hubs emulator\n\n${machineSummary()}\n`);
console.log('| scenario | emulator (events/s) | baseline (events/s) | ratio |');
console.log('|---|---:|---:|---:|');
console.log(`| AMQP ingest, @azure/event-hubs, ${AMQP_BATCHES}×100 events, 8 in flight — vs bare rhea receiver | ${fmt(amqpEmu)} | ${fmt(amqpBare)} | ${(amqpEmu / amqpBare).toFixed(2)} |`);
console.log(`| REST ingest, ${REST_BATCHES}×1,675-event batches, 4 in flight — vs bare node:http | ${fmt(restEmu)} | ${fmt(restBare)} | ${(restEmu / restBare).toFixed(2)} |`);
console.log(`| in-process publish, ${INPROC_BATCHES}×1,675 events (encode + append) | ${fmt(inproc.publish)} | — | — |`);
console.log(`| in-process read back (decode-free, 5,000 per read) | ${fmt(inproc.read)} | — | — |`);
console.log('');
