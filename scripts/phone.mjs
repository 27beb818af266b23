// What the measuring scripts (first-load.mjs, navigate.mjs) share: the emulated networks and a
// signed-in phone-sized page in Debian's Chromium under one of them.
import { chromium } from "@playwright/test";

export const networks = [
  { name: "local", latency: 0, down: -1 },
  { name: "4G (40 ms, 10 Mbit/s)", latency: 40, down: (10e6 / 8) },
  { name: "slow 4G (150 ms, 1.6 Mbit/s)", latency: 150, down: (1.6e6 / 8) },
];

export function launch() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
}

// A fresh context signed in as `login` (demo password), its page, and a CDP session with the
// network `net` emulated.
export async function signedInPage(browser, base, login, net) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const r = await context.request.post(`${base}/api/v1/session`, { data: { login, password: "parkgrid-demo" } });
  if (!r.ok()) throw new Error(`sign-in: ${r.status()}`);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: net.latency, downloadThroughput: net.down, uploadThroughput: net.down });
  return { context, page, cdp };
}
