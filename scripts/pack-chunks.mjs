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
//   one, as before. While the network fails (no answer, a body cut off, a gateway's 502–504)
//   a pack or a chunk is asked again until it comes (`__pgGet`): leptos_router's lazy routes do
//   not survive a failed load (the wasm panics, ARCHITECTURE.md), so the page waits instead. A
//   pack that answers with another HTTP error or does not match (length) still fails those
//   modules' loads. The chunk files stay where they were.
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
const MARK = "/* parkgrid packs v2 (scripts/pack-chunks.mjs) */";

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
if (!packedJs && js.includes("/* parkgrid packs")) fail("the loader was patched by another version of this script: build the site again (touch frontend/src/lib.rs)");
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
// A module's bytes as a Response, asked again while the network fails — no answer (offline, a
// dropped connection), a body cut off on the way, or a gateway with no server behind it (502,
// 503, 504, 408, 429: a restart) — at once when the browser is back online, else after 1, 2,
// 4… up to 30 s, rather than failing the load, which leptos_router does not survive (the wasm
// panics and the page dies). Any other HTTP error (another build's file: 404) is an answer,
// and fails as before.
const __pgTransient = new Set([408, 429, 502, 503, 504]);
function __pgGet(url) {
  return new Promise((resolve) => {
    let wait = 1000;
    const retry = (why) => {
      console.warn("parkgrid: " + url + " not loaded (" + why + "); trying again");
      let done = false;
      const again = (online) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        globalThis.removeEventListener("online", onOnline);
        if (online) wait = 1000;
        attempt();
      };
      const onOnline = () => again(true);
      const timer = setTimeout(() => again(false), wait);
      globalThis.addEventListener("online", onOnline);
      wait = Math.min(wait * 2, 30000);
    };
    const attempt = () => fetch(url).then((r) => {
      if (__pgTransient.has(r.status)) return retry("HTTP " + r.status);
      if (!r.ok) return resolve(r);
      return r.arrayBuffer().then(
        (buf) => resolve(new Response(buf, { status: r.status, headers: { "Content-Type": "application/wasm" } })),
        (e) => retry(e));
    }, (e) => retry(e));
    attempt();
  });
}
function __pgPack(route) {
  let total = 0, missing = 0;
  for (const [name, len] of route.parts) {
    total += len;
    if (!__pgStarted.has(name) && !__pgFromPack.has(name)) missing += len;
  }
  if (missing * 2 < total) return;
  const body = __pgGet(__pgUrl(route.pack)).then(async (r) => {
    if (!r.ok) throw new Error(route.pack + ": HTTP " + r.status);
    const buf = await r.arrayBuffer();
    if (buf.byteLength !== total) throw new Error(route.pack + ": " + buf.byteLength + " bytes, expected " + total);
    return buf;
  });
  let offset = 0;
  const mine = [];
  for (const [name, len] of route.parts) {
    const at = offset;
    offset += len;
    if (__pgStarted.has(name) || __pgFromPack.has(name)) continue;
    const slice = body.then((buf) => buf.slice(at, at + len));
    slice.catch(() => {}); // a slice never asked for is no unhandled rejection
    __pgFromPack.set(name, slice);
    mine.push([name, slice]);
  }
  // A pack that failed (an HTTP error, a wrong length) is forgotten: a module not asked for yet
  // is then fetched on its own.
  body.catch(() => {
    for (const [name, slice] of mine) if (__pgFromPack.get(name) === slice) __pgFromPack.delete(name);
  });
}
function __pgFetch(name) {
  const route = __pgRoutes[name];
  if (route) __pgPack(route);
  __pgStarted.add(name);
  const slice = __pgFromPack.get(name);
  if (slice === undefined) return __pgGet(__pgUrl(name));
  __pgFromPack.delete(name);
  return slice.then((b) => new Response(b, { headers: { "Content-Type": "application/wasm" } }));
}
`;
js = importLine + runtime + js.slice(importLine.length);
writeFileSync(loaderPath, js);
writeFileSync(manifestPath, JSON.stringify(newManifest, null, 2));
console.log(`pack-chunks: ${files} packs (${bytes} B raw) in ${pkg}; loader ${loaders[0]} patched`);
