import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const electronPackage = { name: 'electron', message: 'Only electron/desktop/ may import electron.' };

/**
 * Layer rules (README, "Folder rules"): shared → certs → electron/talos → electron/services → hosts.
 * Each folder lists the top-level folders (or, inside electron/, the sibling folders) it must not reach
 * through a relative import. Tests beside the code may use the lab and test helpers as their doubles.
 */
function layer(files, forbidden, message, extraPaths = [electronPackage]) {
  return {
    files,
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: extraPaths,
          patterns: forbidden.map((segment) => ({ regex: `^(\\.\\./)+${segment}(/|$)`, message })),
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'proto/gen/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', { paths: [electronPackage] }],
    },
  },
  layer(['shared/**/*.ts'], ['certs', 'electron', 'lab', 'proto', 'renderer', 'test'], 'shared/ imports nothing of ours outside shared/.'),
  layer(
    ['proto/**/*.ts'],
    ['shared', 'certs', 'electron', 'lab', 'renderer', 'test'],
    'proto/ is the wire schema; it imports nothing of ours.',
  ),
  layer(['certs/**/*.ts'], ['electron', 'lab', 'proto', 'renderer', 'test'], 'certs/ may import only shared/.'),
  layer(
    ['electron/talos/**/*.ts'],
    ['services', 'host', 'desktop', 'browser', 'lab', 'renderer', 'test'],
    'electron/talos/ may import only shared/, certs/ and proto/.',
  ),
  layer(
    ['electron/services/**/*.ts'],
    ['host', 'desktop', 'browser', 'lab/.+', 'renderer', 'test'],
    "electron/services/ may import shared/, certs/, proto/, electron/talos/ and the lab's public entry (lab/index.ts).",
  ),
  layer(
    ['electron/host/**/*.ts', 'electron/browser/**/*.ts'],
    ['desktop', 'lab/.+', 'renderer', 'test'],
    "Hosts sit on top of services; only the lab's public entry (lab/index.ts) is theirs to import.",
  ),
  layer(['electron/desktop/**/*.ts'], ['lab/.+', 'renderer', 'test'], "Only the lab's public entry (lab/index.ts) may be imported.", []),
  layer(
    ['lab/**/*.ts'],
    ['electron', 'renderer', 'test'],
    'lab/ never imports electron/; the app imports the lab, not the other way round.',
  ),
  layer(
    ['renderer/**/*.{ts,tsx}'],
    ['certs', 'electron', 'lab', 'proto', 'test'],
    'The renderer talks to the host only through the typed API; it imports only shared/.',
  ),
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
