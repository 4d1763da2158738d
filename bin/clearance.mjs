#!/usr/bin/env node
// `npx clearance <command>`: runs the TypeScript CLI (src/cli/main.ts) through tsx's ESM loader, so there is no
// build step. The path is resolved from this file (npm's .bin symlink is resolved by Node), not from the cwd.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../src/cli/main.ts', import.meta.url).href);
await main(process.argv.slice(2));
