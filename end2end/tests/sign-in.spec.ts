import { test, expect, Page, Locator, gridCount } from './fixtures';

const PASSWORD = 'parkgrid-demo';

/** Every enterprise marker is drawn with a size, inside the map's visible box. */
async function expectMarkersInView(map: Locator, n: number) {
  const box = await map.boundingBox();
  expect(box).not.toBeNull();
  const inside = await map.locator('path.pg-enterprise').evaluateAll((els, b: any) => els.filter((e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.left >= b.x - 1 && r.right <= b.x + b.width + 1 && r.top >= b.y - 1 && r.bottom <= b.y + b.height + 1;
  }).length, box);
  expect(inside).toBe(n);
}

async function signIn(page: Page, login: string, password = PASSWORD) {
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

test('a worker signs in and sees their grid on the map and the same enterprises in the list', async ({ page }, info) => {
  await signIn(page, 'worker01');
  await expect(page).toHaveURL(/\/my-grid$/);
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('summary')).toContainText('ZL001');

  const count = Number(await page.getByTestId('enterprise-count').textContent());
  expect(count).toBeGreaterThanOrEqual(20);
  expect(count).toBeLessThanOrEqual(40);
  await expect(page.getByTestId('enterprise-list').locator('li')).toHaveCount(count);
  await expect(map.locator('path.pg-enterprise')).toHaveCount(count);
  await expect(map.locator('path.pg-grid')).toHaveCount(1);
  await expectMarkersInView(map, count);

  // The page shows what the API says this worker's grid holds, name for name.
  const fc = await (await page.request.get('/api/v1/my/enterprises')).json();
  const apiNames = fc.features.map((f: any) => f.properties.name).sort();
  const listNames = (await page.getByTestId('enterprise-list').locator('.name').allTextContents()).sort();
  expect(listNames).toEqual(apiNames);

  await page.screenshot({ path: info.outputPath('worker-my-grid.png') });
  await page.screenshot({ path: info.outputPath('worker-my-grid-full.png'), fullPage: true });
});

test('a manager signs in and sees every grid of the park with their workers', async ({ page }, info) => {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  const grids = await gridCount(page);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('grid-count')).toHaveText(String(grids));
  await expect(page.getByTestId('enterprise-count')).toHaveText('556');
  await expect(map.locator('path.pg-grid')).toHaveCount(grids);
  await expect(map.locator('path.pg-enterprise')).toHaveCount(556);
  await expectMarkersInView(map, 556);
  const rows = page.getByTestId('grid-table').locator('tbody tr');
  await expect(rows).toHaveCount(grids);
  await expect(rows.first()).toContainText('ZL001');
  await expect(rows.first()).toContainText('王芳');
  await page.screenshot({ path: info.outputPath('manager-park.png') });
});

test("when the map's data cannot be fetched the park page still lists its grids and the map says why", async ({ page }, info) => {
  await signIn(page, 'manager');
  await expect(page).toHaveURL(/\/dashboard$/);
  // The park page's map fetches its data apart from the page (GET /api/v1/park): a network
  // that drops that request leaves the rest of the page whole.
  await page.route('**/api/v1/park?*', (route) => route.abort('internetdisconnected'));
  await page.goto('/park');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-failed', 'true');
  await expect(map).toHaveText('地图数据未能加载，请检查网络后刷新页面。');
  await expect(page.getByTestId('grid-table').locator('tbody tr').first()).toContainText('ZL001');
  await page.screenshot({ path: info.outputPath('park-map-failed.png') });
});

test('a map whose session has ended, or whose plan is gone or not theirs, says which', async ({ page }) => {
  await signIn(page, 'manager');
  await expect(page).toHaveURL(/\/dashboard$/);
  const map = page.getByTestId('map');
  const cases = [[401, '登录已失效，请重新登录后查看地图。'], [403, '该方案已不存在，或您无权查看。'], [404, '该方案已不存在，或您无权查看。']] as const;
  for (const [status, text] of cases) {
    await page.route('**/api/v1/park?*', (route) => route.fulfill({ status, contentType: 'application/json', body: '{"error":"x"}' }));
    await page.goto('/park');
    await expect(map).toHaveAttribute('data-failed', 'true');
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    // Still said once the app runs.
    await expect(map).toHaveText(text);
    await page.unroute('**/api/v1/park?*');
  }
});

test("the park page is whole before the app's code arrives, and what the manager does meanwhile is not lost", async ({ page }, info) => {
  const signedIn = await page.context().request.post('/api/v1/session', { data: { login: 'manager', password: PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  // The app's code (its main wasm, whatever the build names it) is held back until the test
  // lets it through.
  let release!: () => void;
  const held = new Promise<void>((r) => { release = r; });
  const main = /\/pkg\/parkgrid(_bg)?\.wasm$/;
  await page.route(main, async (route) => { await held; await route.continue(); });
  const seen: string[] = [];
  const computes: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (main.test(path)) seen.push('wasm');
    if (path === '/api/v1/park') seen.push('map');
    if (path === '/rpc/compute_plan') computes.push(r.method());
  });
  page.on('domcontentloaded', () => seen.push('parsed'));
  await page.goto('/park');
  // The map is drawn and the grids listed with none of the app's code…
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(map).toHaveAttribute('data-grids', String(await page.getByTestId('grid-table').locator('tbody tr').count()));
  await expect(page.getByTestId('grid-table').locator('tbody tr').first()).toContainText('ZL001');
  await expect(page.getByTestId('limit-min')).toHaveValue('20');
  await page.screenshot({ path: info.outputPath('park-before-app.png') });
  // …which the page asks for only once it has been parsed and its map's data asked for.
  await expect.poll(() => seen).toContain('wasm');
  expect(seen.indexOf('parsed'), seen.join(' ')).toBeGreaterThanOrEqual(0);
  expect(seen.indexOf('parsed'), seen.join(' ')).toBeLessThan(seen.indexOf('wasm'));
  expect(seen.indexOf('map'), seen.join(' ')).toBeLessThan(seen.indexOf('wasm'));
  // Typed and tapped while the code is still on its way: kept, and done once, when it runs.
  // (A minimum above the maximum: the computation is refused, and says why.)
  await page.getByTestId('limit-min').fill('50');
  await page.getByTestId('compute-plan').click();
  await expect(page.getByTestId('compute-plan')).toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  release();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('limit-min')).toHaveValue('50');
  await expect(page.locator('.limits .flag')).toHaveText('最少须不大于最多');
  await expect(page.getByTestId('plans').getByRole('alert')).toHaveText('最少须不大于最多');
  expect(computes, 'the held tap is sent once').toEqual(['POST']);
  await expect(page.getByTestId('compute-plan')).not.toHaveAttribute('aria-busy', 'true');
  // The map drawn before the app ran is the one kept: its data was fetched once.
  await expect(map).toHaveAttribute('data-ready', 'true');
  await page.waitForTimeout(500);
  expect(seen.filter((s) => s === 'map'), seen.join(' ')).toHaveLength(1);
});

test("when the app's code cannot be loaded the park page still reads and sign-out still signs out", async ({ page }) => {
  const signedIn = await page.context().request.post('/api/v1/session', { data: { login: 'manager', password: PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  // The app's code is held, then fails (the network drops it).
  let fail!: () => void;
  const failing = new Promise<void>((r) => { fail = r; });
  await page.route(/\/pkg\/parkgrid(_bg)?\.wasm$/, async (route) => { await failing; await route.abort('internetdisconnected'); });
  await page.goto('/park');
  await expect(page.getByTestId('map')).toHaveAttribute('data-ready', 'true');
  // A tap while the code is on its way is held; when the code fails it is let go, not lost in
  // a dead page.
  await page.locator('header .signout').click();
  await expect(page.locator('header .signout')).toHaveAttribute('aria-busy', 'true');
  fail();
  await expect(page.locator('header .signout')).not.toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  // Now a plain page: the sign-out form posts itself, and the session ends.
  await page.locator('header .signout').click();
  await expect.poll(async () => (await page.request.get('/api/v1/me')).status()).toBe(401);
});

test("a draft opened on the park page draws the draft's grids, not the active plan's", async ({ page }) => {
  await signIn(page, 'manager');
  await expect(page).toHaveURL(/\/dashboard$/);
  const active = await gridCount(page);
  // A draft under other limits has another number of grids (the 15–25 case).
  const draft = await (await page.request.post('/api/v1/plans', { data: { min: 15, max: 25, name: 'e2e 15-25' } })).json();
  expect(draft.grid_count).not.toBe(active);
  const maps: string[] = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/park') maps.push(r.url()); });
  await page.goto(`/park?plan=${draft.id}`);
  const map = page.getByTestId('map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(map).toHaveAttribute('data-grids', String(draft.grid_count));
  await expect(page.getByTestId('grid-count')).toHaveText(String(draft.grid_count));
  // Its data is fetched once, as the page is read.
  expect(maps).toEqual([expect.stringMatching(new RegExp(`/api/v1/park\\?plan=${draft.id}$`))]);
});

test('a wrong password gets a clear message and no session', async ({ page }, info) => {
  await signIn(page, 'worker01', 'wrong-password');
  await expect(page.getByRole('alert')).toHaveText('账号或密码不正确。');
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
  await page.screenshot({ path: info.outputPath('login-error.png') });
});

test('a worker who opens the park page is refused, and signing out returns to sign-in', async ({ page }) => {
  await signIn(page, 'worker02');
  await expect(page).toHaveURL(/\/my-grid$/);
  await page.goto('/park');
  await expect(page.getByRole('alert')).toHaveText('您的角色无权查看此页面。');
  await page.goto('/my-grid');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.request.get('/api/v1/me')).status()).toBe(401);
});

test('the interface switches to English and stays English after a reload and after the browser closes', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The choice is a cookie for the whole site that outlives the browser session.
  const lang = (await page.context().cookies()).find((c) => c.name === 'i18n_pref_locale');
  expect(lang?.value).toBe('en');
  expect(lang?.path).toBe('/');
  expect(lang?.expires ?? -1).toBeGreaterThan(Date.now() / 1000 + 300 * 86400);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('an English-language browser still gets Simplified Chinese until the user switches', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh');
  await context.close();
});

test('a manager computes a new plan, sees it on the map with its figures, and activates it', async ({ page }, info) => {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // Other tests may have made plans before: work from whichever is active.
  const plans = page.locator('li.plan');
  const active = plans.filter({ hasText: '使用中' });
  await expect(active).toHaveCount(1);
  const activeId = (await active.getAttribute('data-testid'))!;
  const before = await plans.count();
  await page.getByTestId('compute-plan').click();
  await expect(page).toHaveURL(/\/park\?plan=\d+$/);
  await expect(plans).toHaveCount(before + 1);
  const draft = plans.first();
  await expect(draft).toContainText('草稿');
  await expect(draft).toContainText('分块 0');
  await expect(page.getByTestId('map')).toHaveAttribute('data-ready', 'true');
  // A fresh partition of the same park under the same limits makes as many grids as the active plan.
  await expect(page.getByTestId('grid-count')).toHaveText(String(await gridCount(page)));
  await page.screenshot({ path: info.outputPath('manager-draft-plan.png'), fullPage: true });
  await draft.getByTestId('activate-plan').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(plans.first()).toContainText('使用中');
  await expect(page.getByTestId(activeId)).toContainText('已停用');
});
