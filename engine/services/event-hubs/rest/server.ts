// The REST front door (spec §7): the Event Hubs send API used by the original generator and k6 —
// POST /{hub}/messages (single, or batch with application/vnd.microsoft.servicebus.json),
// /{hub}/partitions/{id}/messages and /{hub}/publishers/{id}/messages — with SAS auth, the
// publication size limit (413) and throttling (503 ServerBusy). Also: GET /health, GET /$metrics,
// and a checkpoint API (GET|PUT /{hub}/consumergroups/{cg}/checkpoints/{partition}).
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventHubsNamespace, PublishRoute } from '../model/namespace.js';
import { audienceCovers, validateSasToken } from '../model/sas.js';
import { BadRequest, parseBatch, parseSingle } from './parse.js';

const BATCH_TYPE = 'application/vnd.microsoft.servicebus.json';

function xmlError(res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}): void {
  const esc = detail.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = `<Error><Code>${status}</Code><Detail>${esc}</Detail></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

type Route =
  | { kind: 'send'; hub: string; route: PublishRoute; forcedKey?: string }
  | { kind: 'checkpoint'; hub: string; group: string; partitionId?: string }
  | { kind: 'health' }
  | { kind: 'metrics' };

function route(method: string, pathname: string): Route | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = parts.map((p) => p.toLowerCase());
  if (method === 'GET' && (lower.join('/') === 'health' || lower.join('/') === '$health')) return { kind: 'health' };
  if (method === 'GET' && lower.join('/') === '$metrics') return { kind: 'metrics' };
  if (method === 'POST') {
    if (parts.length === 2 && lower[1] === 'messages') return { kind: 'send', hub: parts[0], route: { perEventKeys: true } };
    if (parts.length === 4 && lower[1] === 'partitions' && lower[3] === 'messages') return { kind: 'send', hub: parts[0], route: { partitionId: parts[2] } };
    if (parts.length === 4 && (lower[1] === 'publishers' || lower[1] === 'publisher') && lower[3] === 'messages')
      return { kind: 'send', hub: parts[0], route: { partitionKey: parts[2] }, forcedKey: parts[2] };
  }
  if ((method === 'GET' || method === 'PUT') && lower[1] === 'consumergroups' && lower[3] === 'checkpoints' && (parts.length === 4 || parts.length === 5))
    return { kind: 'checkpoint', hub: parts[0], group: parts[2], partitionId: parts[4] };
  return undefined;
}

export class RestFrontDoor {
  private server: http.Server | undefined;

  constructor(private readonly namespace: EventHubsNamespace) {}

  async listen(options: { host: string; port: number }): Promise<number> {
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((e) => {
        this.namespace.metrics.ServerErrors++;
        if (!res.headersSent) xmlError(res, 500, `Internal error: ${(e as Error).message}`);
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 65_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Reads the body, refusing it as soon as it is over the limit. */
  private readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) over = true;
        else chunks.push(c);
      });
      req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  private authorized(req: IncomingMessage, hub: string): { ok: true } | { ok: false; reason: string } {
    if (this.namespace.config.auth === 'accept-any') return { ok: true };
    const header = req.headers.authorization;
    if (!header) return { ok: false, reason: 'MissingToken: The authorization header was not provided.' };
    if (/^Bearer\s/i.test(header)) return { ok: true }; // Entra ID tokens cannot be checked offline
    const check = validateSasToken(header, this.namespace.config.policies, this.namespace.clock.now());
    if (!check.ok) return check;
    if (!audienceCovers(check.resource, hub)) return { ok: false, reason: `InvalidAudience: the token for '${check.resource}' does not cover '${hub}'.` };
    return { ok: true };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const r = route(req.method ?? 'GET', url.pathname);
    const m = this.namespace.metrics;
    if (!r) {
      req.resume();
      return xmlError(res, 404, `No such resource: ${req.method} ${url.pathname}`);
    }
    if (r.kind === 'health') return json(res, 200, { status: 'healthy', message: 'Service is healthy.' });
    if (r.kind === 'metrics') return json(res, 200, this.namespace.snapshotMetrics());
    const auth = this.authorized(req, r.hub);
    if (!auth.ok) {
      req.resume();
      if (r.kind === 'send') {
        m.IncomingRequests++;
        m.UserErrors++;
      }
      return xmlError(res, 401, auth.reason);
    }
    if (r.kind === 'checkpoint') return this.checkpoint(req, res, r);
    const body = await this.readBody(req, this.namespace.maxMessageBytes);
    if (body === 'too-large') {
      m.IncomingRequests++;
      m.UserErrors++;
      return xmlError(res, 413, `The request body exceeds the maximum publication size of ${this.namespace.maxMessageBytes} bytes.`);
    }
    let events;
    try {
      const isBatch = String(req.headers['content-type'] ?? '').toLowerCase().startsWith(BATCH_TYPE);
      events = isBatch ? parseBatch(body, r.forcedKey) : [parseSingle(body, req.headers, r.forcedKey)];
    } catch (e) {
      if (!(e instanceof BadRequest)) throw e;
      m.IncomingRequests++;
      m.UserErrors++;
      return xmlError(res, 400, e.message);
    }
    const result = this.namespace.publish(r.hub, events, r.route, body.length);
    if (result.ok) {
      res.writeHead(201, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': 0 });
      res.end();
      return;
    }
    if (result.error === 'server-busy') return xmlError(res, 503, result.message, { 'Retry-After': String(Math.max(1, Math.ceil((result.retryAfterMs ?? 1000) / 1000))) });
    if (result.error === 'not-found') return xmlError(res, 404, result.message);
    if (result.error === 'message-size-exceeded') return xmlError(res, 413, result.message);
    return xmlError(res, 400, result.message);
  }

  private async checkpoint(req: IncomingMessage, res: ServerResponse, r: Extract<Route, { kind: 'checkpoint' }>): Promise<void> {
    const hub = this.namespace.hub(r.hub);
    if (!hub || !hub.consumerGroup(r.group)) {
      req.resume();
      return xmlError(res, 404, `The messaging entity '${r.hub}/consumergroups/${r.group}' could not be found.`);
    }
    if (req.method === 'GET') {
      req.resume();
      const list = this.namespace.listCheckpoints(hub.name, r.group).filter((c) => r.partitionId === undefined || c.partitionId === r.partitionId);
      return json(res, 200, list.map((c) => ({ partitionId: c.partitionId, ...c.checkpoint })));
    }
    const body = await this.readBody(req, 64 * 1024);
    let parsed: { offset?: unknown; sequenceNumber?: unknown };
    try {
      parsed = JSON.parse(body === 'too-large' ? '' : body.toString('utf8'));
    } catch {
      return xmlError(res, 400, 'The checkpoint body must be JSON {"offset": "…", "sequenceNumber": n}.');
    }
    if (r.partitionId === undefined || !hub.partition(r.partitionId)) return xmlError(res, 404, `No partition '${r.partitionId}' on '${hub.name}'.`);
    if (typeof parsed.sequenceNumber !== 'number' || !Number.isInteger(parsed.sequenceNumber))
      return xmlError(res, 400, 'sequenceNumber must be an integer.');
    const c = this.namespace.setCheckpoint(hub.name, r.group, r.partitionId, { offset: String(parsed.offset ?? ''), sequenceNumber: parsed.sequenceNumber });
    return json(res, 200, { partitionId: r.partitionId, ...c });
  }
}
