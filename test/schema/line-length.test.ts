import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// No line over 140 characters (issue 19): eslint's max-len holds the code; the SDL is not linted, so this test holds
// schema/*.graphql (descriptions, comments and argument lists alike).
const MAX = 140;
const SCHEMA_DIR = join(process.cwd(), 'schema');

describe('schema line length', () => {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.graphql'));

  it('finds the SDL files', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s has no line over 140 characters', (file) => {
    const long = readFileSync(join(SCHEMA_DIR, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.length > MAX ? [`${file}:${i + 1} (${line.length})`] : []));
    expect(long).toEqual([]);
  });
});
