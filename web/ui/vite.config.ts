import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The host serves dist/ at "/" with an SPA fallback; `npm run dev` proxies the API to a local `mesh up`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/api": process.env.MESH_URL ?? "http://127.0.0.1:8080",
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
