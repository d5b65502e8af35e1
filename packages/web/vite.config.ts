import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

const apiTarget = 'http://localhost:5000';
const apiPaths = ['/auth', '/detect', '/logs', '/images', '/stats', '/health'];

export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    // Workspace packages (auth-client) resolve to their TypeScript source: no build needed.
    conditions: ['source', ...defaultClientConditions],
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
