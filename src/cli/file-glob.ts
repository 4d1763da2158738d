import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

// Expands a file pattern (`src/**/*.graphql`, `ops/*.{graphql,gql}`) the way a CI script quotes it, so the shell
// does not: `**` any directories, `*` and `?` within a name, `{a,b}` alternatives. A pattern with none of these is a
// plain path. node_modules and dot directories are never walked. Node 20 has no fs.glob.

const GLOB_CHARS = /[*?{}[\]]/;

function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',' && out.lastIndexOf('(?:') > out.lastIndexOf(')')) out += '|';
    else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

async function walk(dir: string, files: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, files);
    else if (e.isFile()) files.push(path);
  }
}

/** Files matching the pattern, relative to cwd with `/` separators, sorted; a plain path is returned as given. */
export async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  if (!GLOB_CHARS.test(pattern)) return [pattern];
  const parts = pattern.split('/');
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  const base = parts.slice(0, firstGlob).join('/');
  const files: string[] = [];
  await walk(join(cwd, base), files);
  const re = globToRegExp(pattern);
  return files
    .map((f) => relative(cwd, f).split(sep).join('/'))
    .filter((f) => re.test(f))
    .sort();
}
