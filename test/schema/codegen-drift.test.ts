import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { codegenConfig } from '../../codegen.js';

describe('generated resolver types', () => {
  it('match what codegen.ts generates from schema/*.graphql (run `npm run codegen` after changing the SDL)', async () => {
    const outputs = (await generate({ ...codegenConfig, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const out of outputs) {
      const committed = readFileSync(out.filename, 'utf8');
      expect(committed, `${out.filename} drifted from the SDL`).toBe(out.content);
    }
  });
});
