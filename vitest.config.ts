import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // One graphql instance: Node loads graphql's CommonJS build for the dependencies (graphql-tools, shield), so the
  // tests must not get its .mjs build through Vite's `module` field ("Cannot use GraphQLObjectType from another realm").
  // Exactly `graphql`: a deep import (graphql/execution/collectFields.js) resolves as Node resolves it.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { NODE_ENV: 'test' },
  },
});
