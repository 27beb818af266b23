// Time from a click on a link of a hydrated page to the next page's content, as a signed-in
// user in Debian's Chromium at a phone's size, under emulated networks: what a lazily loaded
// page costs on the way to it (its chunks, its data), `wait` ms after the first page hydrated.
//   node scripts/navigate.mjs [base] [from] [link test id] [selector] [login] [wait ms]
// e.g. node scripts/navigate.mjs http://127.0.0.1:3000 /dashboard cases-link '[data-testid="case-list"]'
// Needs a running server with the demo park (scripts/run.sh).
import { launch, networks, signedInPage } from "./phone.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const from = process.argv[3] ?? "/dashboard";
const link = process.argv[4] ?? "cases-link";
const target = process.argv[5] ?? '[data-testid="case-list"]';
const login = process.argv[6] ?? "manager";
const wait = Number(process.argv[7] ?? 3000);
const browser = await launch();
for (const net of networks.filter((n) => n.latency > 0)) {
  const times = [];
  let requests = 0;
  for (let run = 0; run < 3; run++) {
    const { context, page, cdp } = await signedInPage(browser, base, login, net);
    await page.goto(base + from);
    await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 120_000 });
    await page.waitForTimeout(wait);
    let n = 0;
    cdp.on("Network.loadingFinished", () => { n += 1; });
    const t0 = Date.now();
    await page.getByTestId(link).first().click();
    await page.locator(target).first().waitFor({ timeout: 120_000 });
    times.push(Date.now() - t0);
    requests = n;
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`${from} → ${link} as ${login} after ${wait} ms, ${net.name}: shown in ${times.join(" / ")} ms (median ${times[1]}); ${requests} requests after the click`);
}
await browser.close();
