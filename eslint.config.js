// @ts-check
import path from 'node:path';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

// The layers of the house (README "Layers"), bottom to top: a layer imports only the layers below it. Each entry names
// a layer, its folders, and what it may import besides itself. spec/ (the formats and grammars every layer shares:
// FHIR ids, SMART scopes, `{{placeholders}}`) is the bottom and imports nothing of the project, so each grammar is
// stated once. schema/ (SDL, read by path) imports nothing and is imported by nothing. Tests, bench, scripts and the
// console are not layers: they may import anything.
// test/architecture/layers.test.ts checks every pair of layers against the agreed table.
const ORDER = ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit', 'stores', 'services', 'context',
  'resolvers', 'server', 'cli'];
/** The layers below `type`, less those named. */
const below = (type, except = []) => ORDER.slice(0, ORDER.indexOf(type)).filter((t) => !except.includes(t));
const LAYERS = [
  { type: 'spec', folders: ['spec'], imports: [] },
  // The policy kernel imports nothing of the project but spec/.
  { type: 'rules', folders: ['rules'], imports: ['spec'] },
  // Connectors are the protocol layer: FHIR, SMART, SMS, mail. They import only connectors and spec/.
  { type: 'connectors', folders: ['connectors'], imports: ['spec'] },
  { type: 'errors', folders: ['src/errors'], imports: below('errors') },
  { type: 'config', folders: ['src/config'], imports: below('config') },
  { type: 'auth', folders: ['src/auth'], imports: below('auth') },
  // The pure governance domain knows nothing of connectors (issue 19).
  { type: 'governance', folders: ['src/governance'], imports: below('governance', ['connectors']) },
  { type: 'audit', folders: ['src/audit'], imports: below('audit') },
  { type: 'stores', folders: ['src/stores'], imports: below('stores') },
  { type: 'services', folders: ['src/services'], imports: below('services') },
  { type: 'context', folders: ['src/context'], imports: below('context') },
  // src/generated is the resolvers' typed signatures (codegen from schema/), part of the resolver layer.
  { type: 'resolvers', folders: ['src/resolvers', 'src/generated'], imports: below('resolvers') },
  { type: 'server', folders: ['src/server'], imports: below('server') },
  { type: 'cli', folders: ['src/cli'], imports: below('cli') },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'src/generated/', '.clearance/', 'console/dist/', 'console/dist-ide/', 'console/src/gql/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only src/main.ts and src/cli read process.env: parse config once.' },
      ],
    },
  },
  {
    // No line over 140 characters (issue 19), comments and strings included: split a long string with `+`. Only a regex
    // literal may run longer (splitting one changes what it matches); generated code is ignored above.
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: { 'max-len': ['error', { code: 140, tabWidth: 2, ignoreRegExpLiterals: true }] },
  },
  {
    files: ['src/main.ts', 'src/cli/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Arrows run one way: an import against the layers is a lint error (type-only imports too).
    files: ['src/**/*.ts', 'spec/**/*.ts', 'rules/**/*.ts', 'connectors/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.flatMap((l) => l.folders.map((folder) => ({ type: l.type, pattern: folder, partialMatch: false }))),
      'import/resolver': { [path.join(import.meta.dirname, 'scripts/eslint-ts-resolver.mjs')]: {}, node: {} },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: 'Layers: {{from.type}} may not import {{to.type}} (eslint.config.js LAYERS; README "Layers")',
          policies: [
            ...LAYERS.map((l) => ({
              from: { element: { type: l.type } },
              allow: { to: { element: { types: { anyOf: [l.type, ...l.imports] } } } },
            })),
          ],
        },
      ],
    },
  },
);
