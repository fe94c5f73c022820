// `c360 ui` composition root: build the renderer if needed, open the workspace, serve it, and
// optionally start a scenario at once.
import path from 'node:path';
import { wallClock } from '../sim/wall-clock.js';
import { createAppApi, REPO_ROOT } from '../app/api.js';
import { startUiServer } from './http-server.js';
import { ensureRendererBuilt, RENDERER_DIST } from './renderer-build.js';

export interface UiOptions {
  port: number;
  workspace?: string;
  run?: string;
  speed?: number;
  log?: (line: string) => void;
}

export async function startUi(options: UiOptions) {
  await ensureRendererBuilt({ log: options.log });
  const app = createAppApi({ workspace: options.workspace ?? path.join(REPO_ROOT, 'out/ui'), clock: wallClock });
  const server = await startUiServer({ handlers: app.handlers, subscribe: app.subscribe, staticDir: RENDERER_DIST, port: options.port });
  let started: string | undefined;
  if (options.run) {
    const name = path.basename(options.run).replace(/\.ya?ml$/, '');
    started = (await app.handlers.startRun({ scenario: name, speed: options.speed })).id;
  }
  return {
    url: server.url,
    port: server.port,
    startedRun: started,
    async close() {
      await server.close();
      await app.close();
    },
  };
}
