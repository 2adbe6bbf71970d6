import { resolve } from "node:path";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Two pages: the app (index.html) and GraphiQL (graphiql.html), which `paliapi serve` hosts at
// `/` and at `GET /graphql`. Everything is bundled: no CDN at run time.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: {
        app: resolve(__dirname, "index.html"),
        graphiql: resolve(__dirname, "graphiql.html"),
      },
    },
  },
  server: {
    // `npm run dev`: the API on :8000 (set PALIAPI_CORS_ORIGINS=http://localhost:5173).
    port: 5173,
  },
});
