// Time to a hydrated page and bytes on the wire, for a first load (empty cache) of a page as
// a signed-in user, in Debian's Chromium at a phone's size, under emulated networks.
//   node scripts/first-load.mjs [base] [path] [login] [selector]
// With a selector (e.g. '[data-testid="map"][data-ready="true"]'), also the time until it shows.
// Times are the page's own (from the start of the navigation). "loaded": the page's `load`
// event (a page read first fetches the app's code after it).
// Needs a running server with the demo park (scripts/run.sh).
import { launch, networks, signedInPage } from "./phone.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const path = process.argv[3] ?? "/park";
const login = process.argv[4] ?? "manager";
const ready = process.argv[5];
const browser = await launch();
for (const net of networks) {
  const times = [], readyTimes = [], loadTimes = [];
  let bytes = 0, requests = 0;
  for (let run = 0; run < 3; run++) {
    const { context, page, cdp } = await signedInPage(browser, base, login, net);
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    let b = 0, n = 0;
    cdp.on("Network.loadingFinished", (e) => { b += e.encodedDataLength; n += 1; });
    // Times taken in the page, from the start of the navigation: when the body is marked
    // hydrated, and when the selector first matches (a map drawn before the app runs included).
    await page.addInitScript((sel) => {
      const marks = (window.__firstLoad = {});
      const check = () => {
        if (marks.hydrated == null && document.body && document.body.dataset.hydrated === "true") marks.hydrated = performance.now();
        if (sel && marks.ready == null && document.querySelector(sel)) marks.ready = performance.now();
      };
      new MutationObserver(check).observe(document, { attributes: true, childList: true, subtree: true });
    }, ready ?? "");
    await page.goto(base + path); // resolves at the page's `load` event
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 120_000 });
    if (ready) await page.locator(ready).waitFor({ timeout: 120_000 });
    const marks = await page.evaluate(() => ({ ...window.__firstLoad, load: performance.getEntriesByType("navigation")[0].loadEventStart }));
    times.push(Math.round(marks.hydrated));
    loadTimes.push(Math.round(marks.load));
    if (ready) readyTimes.push(Math.round(marks.ready));
    bytes = b; requests = n;
    await context.close();
  }
  const med = (xs) => { xs.sort((a, b) => a - b); return `${xs.join(" / ")} ms (median ${xs[1]})`; };
  const shown = ready ? `; ${ready} in ${med(readyTimes)}` : "";
  console.log(`${path} as ${login}, ${net.name}: loaded in ${med(loadTimes)}; hydrated in ${med(times)}${shown}; ${requests} requests, ${bytes} B on the wire`);
}
await browser.close();
