// Time to a hydrated page and bytes on the wire, for a first load (empty cache) of a page as
// a signed-in user, in Debian's Chromium at a phone's size, under emulated networks.
//   node scripts/first-load.mjs [base] [path] [login]
// Needs a running server with the demo park (scripts/run.sh).
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const path = process.argv[3] ?? "/park";
const login = process.argv[4] ?? "manager";
const networks = [
  { name: "local", latency: 0, down: -1 },
  { name: "4G (40 ms, 10 Mbit/s)", latency: 40, down: (10e6 / 8) },
  { name: "slow 4G (150 ms, 1.6 Mbit/s)", latency: 150, down: (1.6e6 / 8) },
];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
for (const net of networks) {
  const times = [];
  let bytes = 0, requests = 0;
  for (let run = 0; run < 3; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const r = await context.request.post(`${base}/api/v1/session`, { data: { login, password: "parkgrid-demo" } });
    if (!r.ok()) throw new Error(`sign-in: ${r.status()}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: net.latency, downloadThroughput: net.down, uploadThroughput: net.down });
    let b = 0, n = 0;
    cdp.on("Network.loadingFinished", (e) => { b += e.encodedDataLength; n += 1; });
    const t0 = Date.now();
    await page.goto(base + path);
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 120_000 });
    times.push(Date.now() - t0);
    bytes = b; requests = n;
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`${path} as ${login}, ${net.name}: hydrated in ${times.join(" / ")} ms (median ${times[1]}); ${requests} requests, ${bytes} B on the wire`);
}
await browser.close();
