import { defineConfig } from 'vite';

// GraphiQL for the gateway (issue 14): built to console/dist-ide and served by the gateway at GET /graphql for
// browsers, its files under /graphql/ide/ (src/server/graphiql-route.ts). Bundled whole, workers included: nothing is
// fetched from another origin.
export default defineConfig({
  root: new URL('./ide', import.meta.url).pathname,
  base: '/graphql/ide/',
  publicDir: false,
  build: {
    outDir: '../dist-ide',
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8_000,
    rollupOptions: {
      // GraphiQL's dependencies mark modules "use client" (React Server Components), meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
