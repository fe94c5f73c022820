// Browser mode: serves the renderer and the application API on 127.0.0.1.
//   POST /api/<method>   JSON arguments → JSON CallResult ({ok, value} | {ok:false, error})
//   GET  /api/events     server-sent events: one `data:` line per EngineEvent
//   GET  /*              the built renderer (renderer/dist), index.html for unknown paths (client routing)
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ApiHandlers, EngineEvent } from '../../electron/common/contract.js';
import { dispatchCall, statusOf } from '../../electron/common/dispatch.js';
import { CONTENT_SECURITY_POLICY, refusal } from './security.js';

export interface UiServerOptions {
  handlers: ApiHandlers;
  subscribe: (listener: (event: EngineEvent) => void) => () => void;
  staticDir: string;
  port: number;
  /** Largest request body (an imported ONNX model in base64 is the biggest). */
  maxBodyBytes?: number;
}

export interface UiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error(`request body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const limit = options.maxBodyBytes ?? 32 * 1024 * 1024;
  const sockets = new Set<ServerResponse>();
  let port = 0;

  async function serveStatic(res: ServerResponse, urlPath: string): Promise<void> {
    const root = path.resolve(options.staticDir);
    const decoded = decodeURIComponent(urlPath);
    let file = path.resolve(root, '.' + path.posix.normalize(decoded));
    if (!file.startsWith(root + path.sep) && file !== root) return sendJson(res, 403, { error: 'forbidden path' });
    if (file === root || !path.extname(file)) file = path.join(root, 'index.html');
    try {
      const body = await readFile(file);
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(body);
    } catch {
      sendJson(res, 404, { error: 'not found' });
    }
  }

  function serveEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sockets.add(res);
    const unsubscribe = options.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    // A comment line now and then keeps proxies and idle timeouts from closing the stream.
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      sockets.delete(res);
    });
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isApi = url.pathname.startsWith('/api/');
    const isEvents = url.pathname === '/api/events';
    const why = refusal(
      { method: req.method ?? 'GET', host: req.headers.host, origin: req.headers.origin, contentType: req.headers['content-type'] },
      port,
      isApi && !isEvents,
    );
    if (why) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: why } });
    if (isEvents) return serveEvents(req, res);
    if (isApi) {
      const method = url.pathname.slice('/api/'.length);
      void readBody(req, limit)
        .then(async (text) => {
          let args: unknown;
          try {
            args = text.trim() === '' ? {} : JSON.parse(text);
          } catch {
            return sendJson(res, 400, { ok: false, error: { code: 'invalid-argument', message: 'request body is not valid JSON' } });
          }
          const result = await dispatchCall(options.handlers, method, args);
          sendJson(res, result.ok ? 200 : statusOf(result.error), result);
        })
        .catch((e: Error) => sendJson(res, 413, { ok: false, error: { code: 'invalid-argument', message: e.message } }));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' });
    void serveStatic(res, url.pathname);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
