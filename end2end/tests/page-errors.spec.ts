// The gate on page errors: every role loads every page of the app many times, each load in a
// fresh browser context, at phone and laptop sizes, and any uncaught error or console error
// fails the test with the role, the page, the load and the message.
//
// Why many loads: a page whose server and browser renderings disagree only sometimes (a
// hydration panic that depends on when the server's data arrive) fails one load in ten or
// twenty. At 30 loads a one-in-ten failure is caught with 96 % confidence per page, and the
// pages managers and administrators share are loaded by both (99.8 %).
// `E2E_GATE_LOADS=100 npx playwright test --config end2end/playwright.config.ts --project gate`
// runs a longer gate.
import { test, expect, watchPage, PageProblems } from './fixtures';
import type { Browser, BrowserContextOptions } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const LOADS = Number(process.env.E2E_GATE_LOADS ?? 30);
/** Pages a role is refused (a redirect, an error note) are loaded fewer times each. */
const REFUSED_LOADS = Math.max(2, Math.ceil(LOADS / 10));
const PASSWORD = 'parkgrid-demo';

const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const laptop: BrowserContextOptions = { viewport: { width: 1366, height: 860 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false, locale: 'zh-CN' };

/** Plan and case ids the parameterised routes are loaded with. */
interface Plans { active: number; other: number; case: number; token: string }

/** Every route of `App` (app/src/lib.rs), with an address to load it at; `/field` (the field
 *  app's own bundle) and an unknown address (the not-found page) besides. */
const PAGES: Record<string, (p: Plans) => string> = {
  '/': () => '/',
  '/login': () => '/login',
  '/my-grid': () => '/my-grid',
  '/park': () => '/park',
  '/plans/:id/edit': (p) => `/plans/${p.active}/edit`,
  '/plans/:a/diff/:b': (p) => `/plans/${p.active}/diff/${p.other}`,
  '/workers': () => '/workers',
  '/registry': () => '/registry',
  '/account': () => '/account',
  '/accounts': () => '/accounts',
  '/departments': () => '/departments',
  '/parks': () => '/parks',
  '/cases': () => '/cases',
  '/cases/:id': (p) => `/cases/${p.case}`,
  '/e/:token': (p) => `/e/${p.token}`,
  '/dashboard': () => '/dashboard',
  '/scorecards': () => '/scorecards',
  '/report': () => '/report',
  '/publish': () => '/publish',
};
/** What says a page is ready where it has no wasm to hydrate (the public page: its map). */
const READY: Record<string, string> = { '/public/:code': '#pub-map[data-ready="true"]' };
const EXTRA: Record<string, (p: Plans) => string> = {
  '/field': () => '/field',
  '/public/:code': () => '/public/ZL',
  'not found': () => '/no-such-page',
};

/** The roles, and the pages each is meant to use (loaded `LOADS` times; the others
 *  `REFUSED_LOADS` times). */
const ROLES: { role: string; login: string | null; uses: string[] }[] = [
  { role: 'anonymous', login: null, uses: ['/', '/login', 'not found', '/e/:token', '/public/:code'] },
  { role: 'worker', login: 'worker01', uses: ['/', '/my-grid', '/field', '/account', '/cases'] },
  { role: 'manager', login: 'manager', uses: ['/', '/park', '/plans/:id/edit', '/plans/:a/diff/:b', '/workers', '/registry', '/account', '/cases', '/cases/:id', '/dashboard', '/scorecards', '/report', '/publish'] },
  { role: 'department officer', login: 'safety', uses: ['/', '/park', '/account', '/departments', '/cases', '/cases/:id'] },
  { role: 'administrator', login: 'admin', uses: ['/', '/park', '/plans/:id/edit', '/plans/:a/diff/:b', '/workers', '/registry', '/accounts', '/departments', '/parks', '/cases', '/cases/:id', '/dashboard', '/publish'] },
];

test('the gate loads every route the app declares', () => {
  const lib = fs.readFileSync(path.join(__dirname, '../../app/src/lib.rs'), 'utf8');
  const declared = [...lib.matchAll(/path!\("([^"]*)"\)/g)].map((m) => m[1]).sort();
  expect(declared.length).toBeGreaterThan(0);
  expect(Object.keys(PAGES).sort()).toEqual(declared);
});

/** The session cookie of `login` (none for the anonymous visitor). */
async function session(browser: Browser, baseURL: string, login: string | null) {
  const context = await browser.newContext({ baseURL });
  if (login) {
    const r = await context.request.post('/api/v1/session', { data: { login, password: PASSWORD } });
    expect(r.status(), `sign-in of ${login}`).toBe(200);
  }
  const state = await context.storageState();
  await context.close();
  return state;
}

async function plans(browser: Browser, baseURL: string): Promise<Plans> {
  const context = await browser.newContext({ baseURL, storageState: await session(browser, baseURL, 'manager') });
  const list: { id: number; status: string }[] = await (await context.request.get('/api/v1/plans')).json();
  // A case sent to the safety department: the manager, the officer and the administrator see it.
  const cases: { cases: { id: number; department: string | null; enterprise_id: number }[] } = await (await context.request.get('/api/v1/cases?box=open')).json();
  // The enterprise's own link, as the center issues it.
  const link = await context.request.post('/rpc/issue_enterprise_link', { form: { enterprise_id: String(cases.cases[0].enterprise_id) }, headers: { Accept: 'application/json' } });
  expect(link.status(), 'the link is issued').toBe(200);
  const token = ((await link.json()).path as string).replace('/e/', '');
  await context.close();
  const active = list.find((p) => p.status === 'active')?.id ?? list[0].id;
  const other = list.find((p) => p.id !== active)?.id ?? active;
  const sent = cases.cases.find((c) => c.department !== null) ?? cases.cases[0];
  expect(sent, 'the demo has cases').toBeTruthy();
  return { active, other, case: sent.id, token };
}

for (const { role, login, uses } of ROLES) {
  test(`${role}: every page loads and hydrates without a page error, many times over`, async ({ browser, baseURL }) => {
    test.setTimeout(15 * 60_000);
    const ids = await plans(browser, baseURL!);
    const storageState = await session(browser, baseURL!, login);
    const failures: string[] = [];
    for (const [name, url] of Object.entries({ ...PAGES, ...EXTRA })) {
      const loads = uses.includes(name) ? LOADS : REFUSED_LOADS;
      for (let k = 0; k < loads; k++) {
        const size = k % 2 === 0 ? 'phone' : 'laptop';
        const context = await browser.newContext({ ...(size === 'phone' ? phone : laptop), baseURL, storageState });
        const page = await context.newPage();
        const problems: PageProblems = { thrown: [], console: [] };
        watchPage(page, problems);
        const where = `${role} · ${name} (${url(ids)}) · load ${k + 1}/${loads} at ${size} size`;
        try {
          await page.goto(url(ids));
          // The attribute is set once the wasm has hydrated the whole page, its lazily
          // loaded chunks included (frontend/src/lib.rs): a panic during hydration, or a
          // chunk that fails to load, leaves it unset.
          await page.locator(READY[name] ?? 'body[data-hydrated="true"]').waitFor({ timeout: 15_000 });
          // Let what runs right after hydration (maps, effects) report too.
          await page.waitForTimeout(100);
        } catch (e) {
          failures.push(`${where}: did not hydrate (${(e as Error).message.split('\n')[0]})`);
        }
        for (const m of [...problems.thrown, ...problems.console]) failures.push(`${where}: ${m}`);
        await context.close();
      }
    }
    expect(failures, `page errors of the ${role}`).toEqual([]);
  });
}
