// The dependency directions of DESIGN §2 are enforced by tools/eslint-layers.js; these tests make sure
// the rule really rejects the imports it is meant to reject (and accepts the allowed ones).
import { describe, it, expect } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

const eslint = new ESLint({ cwd: repoRoot });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result.messages.filter((m) => m.ruleId === 'c360/layers').map((m) => m.message);
}

describe('layering lint rule', () => {
  it('keeps core free of Node and npm', async () => {
    expect(await layerErrors('engine/core/x.ts', "import fs from 'node:fs'; export const a = fs;")).toHaveLength(1);
    expect(await layerErrors('engine/core/x.ts', "import { z } from 'zod'; export const a = z;")).toHaveLength(1);
    expect(await layerErrors('engine/core/x.ts', "import { Random } from './random.js'; export const a = Random;")).toEqual([]);
  });

  it('stops services importing each other', async () => {
    const errors = await layerErrors('engine/services/event-hubs/x.ts', "import { a } from '../stream-analytics/y.js'; export const b = a;");
    expect(errors[0]).toMatch(/services never import each other/);
  });

  it('lets only targets import services', async () => {
    expect(await layerErrors('engine/pipeline/x.ts', "import { a } from '../services/ml/y.js'; export const b = a;")).toHaveLength(1);
    expect(await layerErrors('engine/targets/local/x.ts', "import { a } from '../../services/ml/y.js'; export const b = a;")).toEqual([]);
  });

  it('keeps pipeline from reaching the CLI or targets', async () => {
    expect(await layerErrors('engine/pipeline/x.ts', "import { a } from '../targets/local/y.js'; export const b = a;")).toHaveLength(1);
    expect(await layerErrors('engine/pipeline/x.ts', "import { a } from '../ports/clock.js'; export const b = a;")).toEqual([]);
  });

  it('keeps the Azure SDKs inside targets', async () => {
    expect(await layerErrors('engine/pipeline/x.ts', "import { EventHubProducerClient } from '@azure/event-hubs'; export const b = EventHubProducerClient;")).toHaveLength(1);
  });

  it('keeps the renderer away from the engine and Node', async () => {
    expect(await layerErrors('renderer/src/x.ts', "import { a } from '../../engine/index.js'; export const b = a;")).toHaveLength(1);
    expect(await layerErrors('renderer/src/x.ts', "import fs from 'node:fs'; export const b = fs;")).toHaveLength(1);
  });
});

describe('layering of the app host, server and UI contract', () => {
  it('lets the renderer import the contract (also through its @contract alias) but nothing else', async () => {
    expect(await layerErrors('renderer/src/x.ts', "import type { A } from '@contract/contract'; export type B = A;")).toEqual([]);
    expect(await layerErrors('renderer/src/x.ts', "import type { A } from '../../electron/common/contract.js'; export type B = A;")).toEqual([]);
    expect(await layerErrors('renderer/src/x.ts', "import { a } from '../../electron/main/x.js'; export const b = a;")).toHaveLength(1);
  });

  it('keeps the contract free of Node and npm', async () => {
    expect(await layerErrors('electron/common/x.ts', "import fs from 'node:fs'; export const a = fs;")).toHaveLength(1);
  });

  it('keeps the HTTP server away from services', async () => {
    expect(await layerErrors('engine/server/x.ts', "import { a } from '../services/ml/y.js'; export const b = a;")).toHaveLength(1);
    expect(await layerErrors('engine/server/x.ts', "import { a } from '../app/api.js'; export const b = a;")).toEqual([]);
  });
});
