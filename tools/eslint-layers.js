// A small ESLint rule that keeps the architecture's dependency directions (DESIGN §2):
//   core ← ports ← pipeline; services never import each other; only targets/ imports services
//   and the Azure SDKs; renderer/ never imports engine/ or Node.
// It resolves each relative import against the importing file, so it judges real paths, not spellings.
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Which layer a repository-relative path belongs to ("services/event-hubs" counts as its own layer). */
function layerOf(rel) {
  const parts = rel.split(path.sep);
  if (parts[0] === 'renderer') return 'renderer';
  // The typed IPC/HTTP contract is shared by the renderer, the Electron shell and the engine's app host.
  if (parts[0] === 'electron' && parts[1] === 'common') return 'contract';
  if (parts[0] === 'electron') return 'electron';
  if (parts[0] !== 'engine') return null;
  if (parts[1] === 'services') return `services/${parts[2]}`;
  if (parts[1] === 'index.ts') return 'index';
  return parts[1] ?? null;
}

// For each layer, the engine layers it may import. Service layers are handled by prefix.
const allowed = {
  core: ['core'],
  io: ['core', 'io'],
  ports: ['core', 'ports'],
  sim: ['core', 'ports', 'sim'],
  datagen: ['core', 'ports', 'io', 'datagen'],
  scenarios: ['core', 'ports', 'io', 'scenarios'],
  cost: ['core', 'ports', 'io', 'cost'],
  report: ['core', 'ports', 'io', 'report', 'cost'],
  pipeline: ['core', 'ports', 'io', 'sim', 'pipeline', 'datagen', 'scenarios', 'cost'],
  targets: '*',
  cli: '*',
  index: '*',
  // The application host (engine/app) runs jobs for the UI: like targets, it may use any engine part.
  app: '*',
  server: ['core', 'io', 'ports', 'sim', 'server', 'app', 'index', 'contract'],
  contract: ['contract'],
  renderer: ['renderer', 'contract'],
  electron: ['electron', 'contract', 'index'],
};
/** Import aliases (renderer/tsconfig.json paths) resolved to repository paths before judging them. */
const ALIASES = { '@contract/': 'electron/common/' };
const SERVICE_ALLOWED = ['core', 'ports', 'io', 'sim'];
const AZURE_SDK = /^@azure\//;
const NODE_BUILTIN = /^node:/;

export const layersRule = {
  meta: { type: 'problem', schema: [], messages: { forbidden: '{{from}} must not import {{to}} ({{why}})' } },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const fromRel = path.relative(root, file);
    const from = layerOf(fromRel);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const report = (to, why) => context.report({ node, messageId: 'forbidden', data: { from, to, why } });
      for (const [alias, target] of Object.entries(ALIASES)) {
        if (spec.startsWith(alias)) spec = path.relative(path.dirname(file), path.join(root, target, spec.slice(alias.length))) || '.';
      }
      if (!spec.startsWith('.')) {
        if ((from === 'core' || from === 'contract') && (NODE_BUILTIN.test(spec) || !spec.startsWith('.')))
          return report(spec, `${from} has no Node or npm dependencies`);
        if (from === 'renderer' && NODE_BUILTIN.test(spec)) return report(spec, 'the renderer never touches Node');
        if (AZURE_SDK.test(spec) && !['targets', 'cli', 'index'].includes(from) && !from.startsWith('services/'))
          return report(spec, 'only targets/ talk to Azure');
        return;
      }
      const toRel = path.relative(root, path.resolve(path.dirname(file), spec));
      const to = layerOf(toRel);
      if (!to || to === from) return;
      if (from === 'renderer' && to !== 'contract') return report(to, 'the renderer talks to the engine only through the IPC/HTTP contract');
      if (from.startsWith('services/')) {
        if (to.startsWith('services/')) return report(to, 'services never import each other');
        if (!SERVICE_ALLOWED.includes(to)) return report(to, 'services depend only on core, io, ports and sim');
        return;
      }
      const ok = allowed[from];
      if (ok === '*' || ok === undefined) return;
      if (to.startsWith('services/')) return report(to, 'only targets/ import services');
      if (!ok.includes(to)) return report(to, `${from} may import only ${ok.join(', ')}`);
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};
