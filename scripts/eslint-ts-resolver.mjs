// An import resolver (eslint-module-utils interface v2) for eslint-plugin-boundaries: the project's relative imports
// name the compiled `.js` file (NodeNext), the source is `.ts`. Anything else goes on to eslint-import-resolver-node.
import fs from 'node:fs';
import path from 'node:path';

export const interfaceVersion = 2;

export function resolve(source, file) {
  if (!source.startsWith('.')) return { found: false };
  const base = path.resolve(path.dirname(file), source);
  const stem = base.replace(/\.(c|m)?js$/, '');
  for (const candidate of [`${stem}.ts`, `${stem}.tsx`, base, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return { found: true, path: candidate };
  }
  return { found: false };
}
