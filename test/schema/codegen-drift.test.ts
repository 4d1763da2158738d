import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import codegenConfig from '../../codegen.js';
import consoleCodegenConfig from '../../console/codegen.js';

async function expectNoDrift(config: CodegenConfig, command: string): Promise<void> {
  const outputs = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
  expect(outputs.length).toBeGreaterThan(0);
  for (const out of outputs) {
    const committed = readFileSync(join(process.cwd(), out.filename), 'utf8');
    expect(committed, `${out.filename} drifted from the SDL (run \`${command}\`)`).toBe(out.content);
  }
}

describe('generated types', () => {
  it('resolver types match what codegen.ts generates from schema/*.graphql (run `npm run codegen` after changing the SDL)', async () => {
    await expectNoDrift(codegenConfig, 'npm run codegen');
  });

  it('the console’s typed operations match what console/codegen.ts generates from the same SDL and console/src', async () => {
    await expectNoDrift(consoleCodegenConfig, 'npm run codegen:console');
  });
});
