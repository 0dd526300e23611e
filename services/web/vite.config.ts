import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The app takes its types from the route contracts, which are built with zod, and its constants
 * from the contracts' zod-free subpaths: a value imported from anywhere else would pull zod into
 * the bundle. The build fails then, naming the chunk, instead of growing silently.
 */
const noZodInBundle = (): Plugin => ({
  name: 'no-zod-in-bundle',
  apply: 'build',
  generateBundle(_options, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const zod = chunk.moduleIds.find((id) => /[\\/]node_modules[\\/]zod[\\/]/.test(id));
      if (zod) {
        this.error(
          `${chunk.fileName} bundles zod (${zod}): import from a zod-free subpath of @delivery/contracts, or import type`,
        );
      }
    }
  },
});

// `npm run dev` serves the app with hot reload and sends /api to a running system's gateway
// (GATEWAY_URL, default http://localhost:4000), so cookies stay same-origin.
export default defineConfig({
  plugins: [react(), noZodInBundle()],
  server: {
    proxy: { '/api': { target: process.env.GATEWAY_URL ?? 'http://localhost:4000', changeOrigin: false } },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
});
