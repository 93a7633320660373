import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";

// The few fields of the build's output chunks this plugin reads.
interface OutputChunk {
  type: "chunk";
  fileName: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
}
type OutputBundle = Record<string, OutputChunk | { type: "asset" }>;

/**
 * Inlines boot.js into index.html with the chunk files of each page (the page's dynamic entry and everything it
 * imports), so the browser fetches the page's code and its first data while the app bundle is still loading.
 */
function firstViewBoot(): Plugin {
  const pages: Record<string, string> = { map: "/src/map/MapPage.tsx", traces: "/src/traces/pages.ts" };
  return {
    name: "mesh-first-view-boot",
    apply: "build",
    transformIndexHtml: {
      order: "post",
      handler(html, ctx) {
        const bundle = ctx.bundle as unknown as OutputBundle;
        const chunks = Object.values(bundle).filter((c): c is OutputChunk => c.type === "chunk");
        const files = (entry: string) => {
          const start = chunks.find((c) => c.isDynamicEntry && c.facadeModuleId?.endsWith(entry));
          if (!start) throw new Error(`first-view boot: no dynamic chunk for ${entry}`);
          const seen = new Set<string>();
          const visit = (c: OutputChunk) => {
            if (seen.has(c.fileName) || c.isEntry) return;
            seen.add(c.fileName);
            c.imports.forEach((f) => bundle[f]?.type === "chunk" && visit(bundle[f] as OutputChunk));
          };
          visit(start);
          return [...seen].map((f) => `/${f}`);
        };
        const map = Object.fromEntries(Object.entries(pages).map(([page, entry]) => [page, files(entry)]));
        const script = readFileSync(new URL("./boot.js", import.meta.url), "utf8").replace("__MESH_PAGES__", JSON.stringify(map));
        return html.replace("<head>", `<head>\n    <script>${script}</script>`);
      },
    },
  };
}

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every text file of the build, compressed once at the highest
 * levels, so the host serves them by Accept-Encoding without compressing per request (web/Mesh.Web WebUi.cs).
 */
function precompress(): Plugin {
  let outDir = "dist";
  return {
    name: "mesh-precompress",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    writeBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(fileName)) continue;
        const path = join(outDir, fileName);
        const raw = readFileSync(path);
        if (raw.length < 512) continue;
        writeFileSync(`${path}.br`, brotliCompressSync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}

// The host serves dist/ at "/" with an SPA fallback; `npm run dev` proxies the API to a local `mesh up`.
export default defineConfig({
  plugins: [react(), firstViewBoot(), precompress()],
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
