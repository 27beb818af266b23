// The `test` every spec imports: Playwright's, with every page it opens watched. An error
// thrown in a page (a hydration panic leaves the page on screen but dead) fails the test and
// is named with the page's address, whichever context the page belongs to.
import { test as base, expect, Browser, BrowserContext, Page } from '@playwright/test';

export { expect } from '@playwright/test';
export type { Page, Locator, BrowserContext } from '@playwright/test';

/** What a watched page reported: uncaught errors, and console messages of type "error". */
export interface PageProblems {
  thrown: string[];
  console: string[];
}

/** Records the uncaught errors and console errors of `page` into `into`. The browser's own
 *  note that the page's document came with a 4xx status is not an error of the page: a
 *  refused page (403) or the not-found page (404) says so on purpose. Any other failed load
 *  (a script, a stylesheet, a call the page makes) is. */
export function watchPage(page: Page, into: PageProblems) {
  page.on('pageerror', (e) => into.thrown.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const documentStatus = /^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) && m.location().url === page.url();
    if (!documentStatus) into.console.push(`${page.url()}: ${m.text()}`);
  });
}

/** Watches every page of `context`, those open now and those to come. */
export function watchContext(context: BrowserContext, into: PageProblems) {
  context.pages().forEach((p) => watchPage(p, into));
  context.on('page', (p) => watchPage(p, into));
}

export const test = base.extend<{ pageProblems: PageProblems }>({
  pageProblems: [
    async ({ context, browser }, use) => {
      const problems: PageProblems = { thrown: [], console: [] };
      watchContext(context, problems);
      // Contexts a test makes itself (a second phone, another language) are watched too.
      const b = browser as Browser & { newContext: Browser['newContext'] };
      const original = b.newContext;
      b.newContext = async (...args: Parameters<Browser['newContext']>) => {
        const c = await original.apply(b, args);
        watchContext(c, problems);
        return c;
      };
      try {
        await use(problems);
      } finally {
        b.newContext = original;
      }
      expect(problems.thrown, 'errors thrown in a page').toEqual([]);
    },
    { auto: true },
  ],
});

/** Every demo account's password (`store::demo::PASSWORD`). */
export const DEMO_PASSWORD = 'parkgrid-demo';

/** Signs `login` in through the sign-in page, once the page is hydrated. */
/** How many grids a park's active plan has, as the API tells the signed-in user: the tests
 *  ask rather than write down what the partitioner makes of the demo park. */
export async function gridCount(page: Page, park = 'ZL'): Promise<number> {
  const r = await page.request.get(`/api/v1/park?park=${park}`);
  expect(r.ok()).toBeTruthy();
  const grids = (await r.json()).grids.length;
  expect(grids).toBeGreaterThan(1);
  return grids;
}

export async function signIn(page: Page, login: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}
