import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server (apps/server) serves `dist/` at `/` with an SPA fallback; in development Vite
// serves the app and forwards the API and the socket to a server started with `npm start`.
const target = process.env.KEFU_DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': { target, changeOrigin: false },
      '/socket.io': { target, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
