// The browser-mode server: the contract over HTTP, events over SSE, and the request checks that keep
// other web pages and other hosts out of a server on 127.0.0.1.
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppApi, type AppApi } from '../../engine/app/api.js';
import { startUiServer, type UiServer } from '../../engine/server/http-server.js';
import { wallClock } from '../../engine/sim/wall-clock.js';
import { tempWorkspace } from './helpers.js';

let ws: ReturnType<typeof tempWorkspace>;
let app: AppApi;
let server: UiServer;

function request(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'Content-Type': 'application/json' };

beforeAll(async () => {
  ws = tempWorkspace();
  const staticDir = path.join(ws.workspace, '..', 'static');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(ws.workspace, '..', 'secret.txt'), 'do not serve');
  app = createAppApi({ workspace: ws.workspace, clock: wallClock, scenariosDir: ws.scenarios });
  server = await startUiServer({ handlers: app.handlers, subscribe: app.subscribe, staticDir, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await app?.close();
  ws?.cleanup();
});

describe('HTTP transport', () => {
  it('listens on 127.0.0.1 and answers contract calls as JSON results', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await request({ method: 'POST', path: '/api/listScenarios', headers: json, body: '{}' });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.ok).toBe(true);
    expect(body.value.map((s: { name: string }) => s.name)).toContain('seed-demo');
  });

  it('maps errors to statuses and keeps them as data', async () => {
    const bad = await request({ method: 'POST', path: '/api/readScenario', headers: json, body: '{"name":"../etc"}' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe('invalid-argument');
    const missing = await request({ method: 'POST', path: '/api/readScenario', headers: json, body: '{"name":"nope"}' });
    expect(missing.status).toBe(404);
    const unknown = await request({ method: 'POST', path: '/api/rmrf', headers: json, body: '{}' });
    expect(unknown.status).toBe(400);
    const notJson = await request({ method: 'POST', path: '/api/listRuns', headers: json, body: '{' });
    expect(JSON.parse(notJson.body).error.message).toMatch(/not valid JSON/);
  });

  it('serves the renderer with a strict CSP, falls back to index.html, and never leaves its folder', async () => {
    const index = await request({ path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    expect((await request({ path: '/assets/app.js' })).headers['content-type']).toMatch(/javascript/);
    expect((await request({ path: '/dashboard' })).body).toContain('<title>app</title>');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await request({ path: p });
      expect(res.body).not.toContain('do not serve');
    }
  });
});

describe('request checks', () => {
  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await request({ method: 'POST', path: '/api/listRuns', headers: { ...json, Host: 'evil.example:80' }, body: '{}' });
    expect(res.status).toBe(403);
  });

  it('refuses cross-origin calls and non-JSON posts (CSRF)', async () => {
    const cross = await request({ method: 'POST', path: '/api/listRuns', headers: { ...json, Origin: 'https://evil.example' }, body: '{}' });
    expect(cross.status).toBe(403);
    const form = await request({ method: 'POST', path: '/api/listRuns', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(403);
    const get = await request({ path: '/api/listRuns' });
    expect(get.status).toBe(403);
    const same = await request({ method: 'POST', path: '/api/listRuns', headers: { ...json, Origin: server.url }, body: '{}' });
    expect(same.status).toBe(200);
  });
});

describe('server-sent events', () => {
  it('streams engine events to every connected page', async () => {
    const received: string[] = [];
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events' });
    const connected = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received.push(chunk);
          if (chunk.includes('connected')) resolve();
        });
      });
    });
    await connected;
    const job = await app.handlers.trainModel({ trees: 2, depth: 2, learningRate: 0.3, testFraction: 0.2, seed: 1, dataset: 'original' });
    const until = Date.now() + 60_000;
    while (!received.join('').includes('"status":"finished"') && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    const events = received
      .join('')
      .split('\n\n')
      .filter((b) => b.startsWith('data: '))
      .map((b) => JSON.parse(b.slice(6)));
    expect(events.filter((e) => e.type === 'job' && e.job.id === job.id).map((e) => e.job.status)).toEqual(['running', 'finished']);
  });
});
