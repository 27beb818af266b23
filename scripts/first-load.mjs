// Time to a hydrated page and bytes on the wire, for a first load (empty cache) of a page as
// a signed-in user, in Debian's Chromium at a phone's size, under emulated networks.
//   node scripts/first-load.mjs [base] [path] [login] [selector]
// With a selector (e.g. '[data-testid="map"][data-ready="true"]'), also the time until it shows.
// Needs a running server with the demo park (scripts/run.sh).
import { launch, networks, signedInPage } from "./phone.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const path = process.argv[3] ?? "/park";
const login = process.argv[4] ?? "manager";
const ready = process.argv[5];
const browser = await launch();
for (const net of networks) {
  const times = [], readyTimes = [];
  let bytes = 0, requests = 0;
  for (let run = 0; run < 3; run++) {
    const { context, page, cdp } = await signedInPage(browser, base, login, net);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    let b = 0, n = 0;
    cdp.on("Network.loadingFinished", (e) => { b += e.encodedDataLength; n += 1; });
    const t0 = Date.now();
    await page.goto(base + path);
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 120_000 });
    times.push(Date.now() - t0);
    if (ready) {
      await page.locator(ready).waitFor({ timeout: 120_000 });
      readyTimes.push(Date.now() - t0);
    }
    bytes = b; requests = n;
    await context.close();
  }
  times.sort((a, b) => a - b);
  readyTimes.sort((a, b) => a - b);
  const shown = ready ? `; ${ready} in ${readyTimes.join(" / ")} ms (median ${readyTimes[1]})` : "";
  console.log(`${path} as ${login}, ${net.name}: hydrated in ${times.join(" / ")} ms (median ${times[1]})${shown}; ${requests} requests, ${bytes} B on the wire`);
}
await browser.close();
