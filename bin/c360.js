#!/usr/bin/env node
// The c360 command. The engine is TypeScript; tsx compiles it on the fly (cached on disk),
// so `npx c360` always runs the source that is checked out — no stale build to forget.
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/main.ts');
