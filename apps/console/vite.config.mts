/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Dev server: `npm run console:dev` proxies /api to a running gateway (FLOWDESK_GATEWAY, default :3000).
const gateway = process.env.FLOWDESK_GATEWAY ?? 'http://127.0.0.1:3000';

export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Built assets are relative to <base href>, which the gateway sets from CONSOLE_BASE_PATH at serve time.
  base: command === 'build' ? './' : '/console/',
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/api': { target: gateway, changeOrigin: false } } },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'happy-dom',
    // real HTTP to a local server: leave room for a loaded CI machine
    testTimeout: 30_000,
  },
}));
