import fs from 'node:fs';
import path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The layer rule of eslint.config.js (eslint-plugin-boundaries), applied to every pair of layers: a probe file in
// one layer imports a real file of another, and the rule must refuse exactly the imports the agreed layering
// (issue 19) forbids. The expected table is written out here, not read from the config, so a change of the config
// that loosens an arrow fails this test. `npx eslint .` (scripts/test.sh) applies the same rule to the real files.

const root = path.resolve(import.meta.dirname, '../..');

/** Bottom to top; each layer may import itself and what is listed. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  spec: [],
  rules: ['spec'],
  connectors: ['spec'],
  errors: ['spec', 'rules', 'connectors'],
  config: ['spec', 'rules', 'connectors', 'errors'],
  auth: ['spec', 'rules', 'connectors', 'errors', 'config'],
  governance: ['spec', 'rules', 'errors', 'config', 'auth'],
  audit: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance'],
  stores: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit'],
  services: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit', 'stores'],
  context: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit', 'stores', 'services'],
  resolvers: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit', 'stores', 'services', 'context'],
  server: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit', 'stores', 'services', 'context',
    'resolvers'],
  cli: ['spec', 'rules', 'connectors', 'errors', 'config', 'auth', 'governance', 'audit', 'stores', 'services', 'context',
    'resolvers', 'server'],
};

const FOLDER: Readonly<Record<string, string>> = {
  spec: 'spec',
  rules: 'rules',
  connectors: 'connectors/common',
  errors: 'src/errors',
  config: 'src/config',
  auth: 'src/auth',
  governance: 'src/governance',
  audit: 'src/audit',
  stores: 'src/stores',
  services: 'src/services',
  context: 'src/context',
  resolvers: 'src/resolvers',
  server: 'src/server',
  cli: 'src/cli',
};

/** A real .ts file of the layer (the first by name: the probe must resolve to a file that exists). */
function fileOf(layer: string): string {
  const dir = FOLDER[layer]!;
  const name = fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.ts')).sort()[0]!;
  return path.join(root, dir, name);
}

let eslint: ESLint;

beforeAll(async () => {
  const configPath = path.join(root, 'eslint.config.js');
  const { default: config } = (await import(configPath)) as { default: Linter.Config[] };
  const layerBlocks = config.filter((c) => c.plugins && 'boundaries' in c.plugins);
  expect(layerBlocks).toHaveLength(1);
  eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layerBlocks],
  });
});

async function layerErrors(fromFile: string, target: string): Promise<string[]> {
  let spec = path.relative(path.dirname(fromFile), target).replace(/\.ts$/, '.js');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  const source = `import type * as probe from '${spec}';\nexport type Probe = typeof probe;\n`;
  const [result] = await eslint.lintText(source, { filePath: fromFile });
  return result!.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('layers: the import direction is a lint error', () => {
  const layers = Object.keys(MAY_IMPORT);
  for (const from of layers) {
    it(`${from} imports only the layers below it`, async () => {
      const probe = path.join(root, FOLDER[from]!, 'zz-layer-probe.ts');
      const wrong: string[] = [];
      for (const to of layers) {
        if (to === from) continue;
        const allowed = MAY_IMPORT[from]!.includes(to);
        const errors = await layerErrors(probe, fileOf(to));
        if (errors.some((e) => !e.startsWith('boundaries/'))) throw new Error(errors.join('\n'));
        const got = errors.join('; ') || 'allowed';
        if (allowed !== (errors.length === 0)) wrong.push(`${from} -> ${to}: expected ${allowed ? 'allowed' : 'refused'}, got ${got}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('tests, bench, scripts and the console are not constrained', async () => {
    for (const dir of ['test/api', 'bench', 'scripts', 'console/src']) {
      for (const to of layers) expect(await layerErrors(path.join(root, dir, 'zz-layer-probe.ts'), fileOf(to))).toEqual([]);
    }
  });

  it('src/main.ts, the entry point, may import every layer', async () => {
    for (const to of layers) expect(await layerErrors(path.join(root, 'src/main.ts'), fileOf(to))).toEqual([]);
  });
});
