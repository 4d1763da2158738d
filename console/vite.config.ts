import { defineConfig } from 'vite';

// The approver console: built to console/dist and served by the gateway at /console (src/server/console-route.ts).
// Everything is bundled (no CDN, no web fonts): the gateway's CSP allows this origin only.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/console/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // No inline <script> or data: module preload polyfill: the CSP has no 'unsafe-inline'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
