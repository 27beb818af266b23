// Writes NAME.br (brotli, quality 11) and NAME.gz (gzip, level 9) next to the site's wasm,
// JavaScript and CSS, so that the server sends the smallest encoding the browser accepts
// without compressing on every request (it does so at a low quality, ~25% larger for the
// wasm). Run after `cargo leptos build`:  node scripts/precompress.mjs [target/site]
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import zlib from "node:zlib";

const root = process.argv[2] ?? "target/site";
const wanted = /\.(wasm|js|css|mjs|svg|webmanifest)$/;
let before = 0, after = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    if (!wanted.test(name)) { continue; }
    const raw = readFileSync(path);
    const br = zlib.brotliCompressSync(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_LGWIN]: 24, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    });
    writeFileSync(path + ".br", br);
    writeFileSync(path + ".gz", zlib.gzipSync(raw, { level: 9 }));
    before += raw.length; after += br.length;
  }
}
walk(root);
console.log(`precompressed ${root}: ${before} B → ${after} B brotli`);
