// Packs the wasm chunks of each lazy page into one file, so that a page's code arrives in one
// request instead of dozens. Run after `cargo leptos build --release --split`, before
// scripts/precompress.mjs:  node scripts/pack-chunks.mjs [target/site/pkg]
//
// Why: wasm-split puts code shared by a set of lazy pages in a chunk of its own, one per set;
// the case page needs ~70 chunks, most under 2 KB. Over HTTP/1.1 (six connections) a first
// load of a lazy page waited on a dozen round trips (ARCHITECTURE.md, "Sizes").
//
// What it does:
// - writes `pack_<route>.<hash>.wasm` for each lazy route of `__wasm_split_manifest.json`:
//   the route's modules (its chunks, then its own `split_…` module) one after the other;
// - points the manifest's route at its pack, so the server's `<link rel="preload">` for a lazy
//   page on a first load names the pack (leptos reads the manifest to write those links);
// - patches wasm-split's loader (`__wasm_split.*.js`): every module is fetched through
//   `__pgFetch`, which, when a route's module is asked for and at least half of the route's
//   bytes are not loaded or loading yet, fetches the route's pack once and hands each module
//   its slice; otherwise (most of it already there) the missing modules are fetched one by
//   one, as before. A pack that fails or does not match (length) fails those modules' loads
//   (leptos_router's lazy routes do not retry: the page stops, as for a chunk that fails —
//   ARCHITECTURE.md). The chunk files stay where they were.
// - names each pack after its content (`pack_<route>.<hash>.wasm`), so that a browser given
//   one build's loader and another's pack (a rolling upgrade) gets a 404, not wrong code;
//   packs of earlier builds are removed.
// Fails (exit 1) when the loader does not look as expected, so that a new wasm-split cannot
// leave a half-patched site. Running it twice changes nothing.
import { readdirSync, readFileSync, writeFileSync, existsSync, unlinkSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const pkg = process.argv[2] ?? "target/site/pkg";
const fail = (msg) => { console.error(`pack-chunks: ${msg}`); process.exit(1); };
const MARK = "/* parkgrid packs (scripts/pack-chunks.mjs) */";

const manifestPath = join(pkg, "__wasm_split_manifest.json");
if (!existsSync(manifestPath)) fail(`${manifestPath} not found: was the site built with --split?`);
const loaders = readdirSync(pkg).filter((n) => /^__wasm_split\..*\.js$/.test(n));
if (loaders.length !== 1) fail(`expected one __wasm_split.*.js in ${pkg}, found ${loaders.length}`);
const loaderPath = join(pkg, loaders[0]);

const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
let js = readFileSync(loaderPath, "utf8");
const packedManifest = Object.values(manifest).every((m) => m.length === 1 && m[0].startsWith("pack_"));
const packedJs = js.includes(MARK);
if (packedManifest && packedJs) {
  console.log(`pack-chunks: ${pkg} is packed already`);
  process.exit(0);
}
if (packedManifest !== packedJs) fail("the manifest and the loader disagree (one is packed): build the site again");

// The packs, and what the loader must know of them: for each route's own module, the pack and
// its parts in order with their lengths.
const routes = {};
const newManifest = {};
let files = 0, bytes = 0;
for (const [route, modules] of Object.entries(manifest)) {
  const own = modules.filter((m) => m.startsWith("split_"));
  if (own.length !== 1 || !/^[A-Za-z0-9_]+$/.test(route)) fail(`route ${route}: expected one split_ module, got ${own.join(", ")}`);
  const parts = modules.map((m) => {
    const path = join(pkg, `${m}.wasm`);
    if (!existsSync(path)) fail(`route ${route}: ${path} is missing`);
    return [m, readFileSync(path)];
  });
  const body = Buffer.concat(parts.map(([, b]) => b));
  const pack = `pack_${route}.${createHash("sha256").update(body).digest("hex").slice(0, 12)}`;
  writeFileSync(join(pkg, `${pack}.wasm`), body);
  routes[own[0]] = { pack, parts: parts.map(([m, b]) => [m, b.length]) };
  newManifest[route] = [pack];
  files += 1; bytes += body.length;
}

// Packs (and their compressed copies) of earlier builds.
const current = new Set(Object.values(newManifest).map(([p]) => `${p}.wasm`));
for (const name of readdirSync(pkg)) {
  const base = name.replace(/\.(br|gz)$/, "");
  if (base.startsWith("pack_") && base.endsWith(".wasm") && !current.has(base)) unlinkSync(join(pkg, name));
}

// The loader: every module fetched through __pgFetch…
const fetchCall = /fetch\(new URL\("\.\/([A-Za-z0-9_]+)\.wasm", import\.meta\.url\)\)/g;
const fetched = new Set([...js.matchAll(fetchCall)].map((m) => m[1]));
for (const own of Object.keys(routes)) if (!fetched.has(own)) fail(`the loader never fetches ${own}`);
js = js.replace(fetchCall, (_, name) => `__pgFetch("${name}")`);
// …and a module's own fetch started before its dependencies', so that a route's module can
// start the route's pack before its chunks ask for their bytes.
const order = "const parallelStuff = deps.map(d => d());\n        const instantiate = fetcher();";
if (js.split(order).length !== 2) fail("makeLoad's loader does not look as expected (the order of fetcher and deps)");
js = js.replace(order, "const instantiate = fetcher();\n        const parallelStuff = deps.map(d => d());");
const importLine = 'import { initSync } from "./parkgrid.js";\n';
if (!js.startsWith(importLine)) fail("the loader does not start with its import of initSync");

const runtime = `${MARK}
const __pgRoutes = ${JSON.stringify(routes)};
const __pgStarted = new Set();
const __pgFromPack = new Map();
function __pgUrl(name) { return new URL("./" + name + ".wasm", import.meta.url); }
function __pgPack(route) {
  let total = 0, missing = 0;
  for (const [name, len] of route.parts) {
    total += len;
    if (!__pgStarted.has(name) && !__pgFromPack.has(name)) missing += len;
  }
  if (missing * 2 < total) return;
  const body = fetch(__pgUrl(route.pack)).then(async (r) => {
    if (!r.ok) throw new Error(route.pack + ": HTTP " + r.status);
    const buf = await r.arrayBuffer();
    if (buf.byteLength !== total) throw new Error(route.pack + ": " + buf.byteLength + " bytes, expected " + total);
    return buf;
  });
  let offset = 0;
  for (const [name, len] of route.parts) {
    const at = offset;
    offset += len;
    if (__pgStarted.has(name) || __pgFromPack.has(name)) continue;
    __pgFromPack.set(name, body.then((buf) => buf.slice(at, at + len)));
  }
}
function __pgFetch(name) {
  const route = __pgRoutes[name];
  if (route) __pgPack(route);
  __pgStarted.add(name);
  const slice = __pgFromPack.get(name);
  if (slice === undefined) return fetch(__pgUrl(name));
  __pgFromPack.delete(name);
  return slice.then((b) => new Response(b, { headers: { "Content-Type": "application/wasm" } }));
}
`;
js = importLine + runtime + js.slice(importLine.length);
writeFileSync(loaderPath, js);
writeFileSync(manifestPath, JSON.stringify(newManifest, null, 2));
console.log(`pack-chunks: ${files} packs (${bytes} B raw) in ${pkg}; loader ${loaders[0]} patched`);
