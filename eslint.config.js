import tseslint from 'typescript-eslint';
import { layersRule } from './tools/eslint-layers.js';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'renderer/dist/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    plugins: { c360: { rules: { layers: layersRule } } },
    rules: {
      'c360/layers': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Determinism: engine code reads time only through its Clock and draws randomness only from a seeded
    // Random (engine/core/random.ts). The wall clock has exactly one home.
    files: ['engine/**/*.ts'],
    ignores: ['engine/sim/wall-clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'read time from the Clock port (engine/ports/clock.ts)' },
        { object: 'Math', property: 'random', message: 'use a seeded Random (engine/core/random.ts)' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'read time from the Clock port (engine/ports/clock.ts)' },
      ],
    },
  },
  {
    // k6 scripts run in k6's own JS runtime, not Node.
    files: ['loadtests/**/*.js'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
);
