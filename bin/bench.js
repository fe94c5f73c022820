#!/usr/bin/env node
// `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or the named ones) one after another.
import { register } from 'tsx/esm/api';

register();
await import('../bench/run.ts');
