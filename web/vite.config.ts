import { defineConfig } from "vite";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
// The wasm package is a build artifact of `scripts/build-wasm.sh` (wasm-bindgen --target web)
// in ../wasm/pkg; LIFECIRCLE_WASM_PKG points the build at another copy of it.
const wasmPkg = process.env.LIFECIRCLE_WASM_PKG ?? resolve(here, "../wasm/pkg");

export default defineConfig({
  base: "./",
  resolve: {
    alias: { "lifecircle-wasm": resolve(wasmPkg, "lifecircle_wasm.js") },
  },
  worker: { format: "es" },
  build: {
    target: "es2022",
    chunkSizeWarningLimit: 2000,
  },
  server: { fs: { allow: [here, wasmPkg] } },
});
