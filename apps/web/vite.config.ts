import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server during development; override with TAKT_API_URL=http://host:port.
const api = process.env.TAKT_API_URL ?? 'http://127.0.0.1:3000';
const VENDOR_GROUPS = ['react', 'i18n'];
const proxy = Object.fromEntries(
  ['/api', '/health', '/ready', '/metrics'].map((path) => [path, { target: api }]),
);

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Pages keep their names; shared chunks get neutral ones instead of the name of some module inside.
        chunkFileNames: (chunk) =>
          chunk.isDynamicEntry || VENDOR_GROUPS.includes(chunk.name)
            ? 'assets/[name]-[hash].js'
            : 'assets/chunk-[hash].js',
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 30,
            },
            { name: 'i18n', test: /node_modules[\\/](i18next|react-i18next)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});
