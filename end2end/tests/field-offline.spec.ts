import { test, expect, Page, signIn } from './fixtures';
import * as path from 'path';

const PHOTO = path.join(__dirname, '..', 'fixtures', 'hazard-photo.png');

async function signedIn(page: Page, login: string) {
  await signIn(page, login);
  await expect(page).toHaveURL(/\/my-grid$/);
}

/** The field app, hydrated, with its service worker in control and the grid data on the phone. */
async function openField(page: Page) {
  await page.goto('/field');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  }
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // The grid data are on the phone (a test that goes offline next must not outrun them).
  await expect(page.getByTestId('field-enterprise').first()).toBeVisible();
}

test('a worker records a visit and a hazard with a photo offline, and they sync exactly once when back online', async ({ browser }, info) => {
  // Where the worker stands: an enterprise of their grid (asked of the API once, online).
  const setup = await browser.newContext();
  const probe = await setup.newPage();
  await signedIn(probe, 'worker01');
  const field = await (await probe.request.get('/api/v1/my/field')).json();
  const target = field.enterprises[0];
  await setup.close();

  const context = await browser.newContext({
    geolocation: { longitude: target.lon, latitude: target.lat, accuracy: 8 },
    permissions: ['geolocation'],
  });
  const page = await context.newPage();
  await signedIn(page, 'worker01');
  await page.getByTestId('field-entry').click();
  await openField(page);
  const rows = page.getByTestId('field-enterprise');
  await expect(rows).toHaveCount(field.enterprises.length);
  const map = page.getByTestId('field-map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(map.locator('path.pg-enterprise')).toHaveCount(field.enterprises.length);
  await expect(map.locator('path.pg-never_visited')).toHaveCount(field.enterprises.length);
  await page.screenshot({ path: info.outputPath('field-online.png') });

  // No network: the page still opens, from the service worker and IndexedDB.
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('network')).toHaveText('离线');
  await expect(rows).toHaveCount(field.enterprises.length);

  // A visit with a demand.
  await page.getByTestId('search').fill(target.name);
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('button', { name: '记录走访' }).click();
  const form = page.getByTestId('record-form');
  await form.getByTestId('visit-met').fill('王经理（安全主管）');
  await form.getByTestId('visit-notes').fill('生产正常，消防通道需清理。');
  await form.getByTestId('demand-category').selectOption('jobs');
  await form.getByTestId('demand-text').fill('招工难，希望对接人社部门招聘会');
  await form.getByTestId('visit-satisfaction').selectOption('4');
  await page.screenshot({ path: info.outputPath('field-visit-form.png'), fullPage: true });
  await form.getByTestId('save-record').click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('pending')).toHaveText('待同步 1 条');

  // A general safety hazard with a photo.
  await rows.first().getByRole('button', { name: '上报问题' }).click();
  await form.getByTestId('finding-kind').selectOption('safety_hazard');
  await form.getByTestId('finding-grade').selectOption('general');
  await form.getByTestId('finding-description').fill('消防通道堆放纸箱，灭火器被遮挡');
  await form.getByTestId('finding-photo').setInputFiles(PHOTO);
  await page.screenshot({ path: info.outputPath('field-finding-form.png'), fullPage: true });
  await form.getByTestId('save-record').click();
  await expect(form).toHaveCount(0);
  await expect(page.getByTestId('pending')).toHaveText('待同步 2 条');
  await page.getByTestId('tab-outbox').click();
  await expect(page.locator('[data-testid=outbox-item][data-status=pending]')).toHaveCount(2);
  await page.screenshot({ path: info.outputPath('field-offline-pending.png') });

  // Closing the page loses nothing: a new page, still offline, shows both records pending.
  await page.close();
  const again = await context.newPage();
  await again.goto('/field');
  await expect(again.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(again.getByTestId('pending')).toHaveText('待同步 2 条');

  // Back online: the records sync, the photo uploads.
  await context.setOffline(false);
  await again.getByTestId('tab-outbox').click();
  await expect(again.getByTestId('network')).toHaveText('在线');
  await expect(again.getByTestId('pending')).toHaveText('待同步 0 条');
  await expect(again.locator('[data-testid=outbox-item][data-status=synced]')).toHaveCount(2);
  await expect(again.getByTestId('outbox').locator('.photos')).toHaveText(' · 照片 1/1');
  await again.screenshot({ path: info.outputPath('field-synced.png') });

  // The server holds exactly one visit and one open finding, with its photo.
  const after = await (await again.request.get('/api/v1/my/field')).json();
  const visited = after.enterprises.find((e: any) => e.id === target.id);
  expect(visited.visits).toBe(1);
  expect(visited.visit.status).toBe('visited');
  const findings = after.open_findings.filter((f: any) => f.enterprise_id === target.id);
  expect(findings).toHaveLength(1);
  expect(findings[0].photos).toHaveLength(1);
  const photo = await again.request.get(`/api/v1/photos/${findings[0].photos[0]}`);
  expect(photo.headers()['content-type']).toBe('image/jpeg');
  expect((await photo.body()).length).toBeLessThanOrEqual(300 * 1024);

  // On the map the visited enterprise turns green and its finding shows.
  await again.getByRole('button', { name: '企业' }).click();
  const newMap = again.getByTestId('field-map');
  await expect(newMap.locator('path.pg-visited')).toHaveCount(1);
  // Every open finding of the grid is drawn: this one and the demo's own.
  await expect(newMap.locator('path.pg-finding')).toHaveCount(after.open_findings.length);
  await again.screenshot({ path: info.outputPath('field-map-after-sync.png') });

  // The enterprise page: the visit in its history, the demand still open.
  await again.getByTestId('search').fill(target.name);
  await again.getByTestId('enterprise-name').first().click();
  const detail = again.getByTestId('enterprise-detail');
  await expect(detail.getByTestId('visit-history').locator('li')).toHaveCount(1);
  await expect(detail.getByTestId('visit-history')).toContainText('王经理');
  await expect(detail.getByTestId('open-demands')).toContainText('招工难');
  await again.screenshot({ path: info.outputPath('field-enterprise-detail.png'), fullPage: true });
  await again.getByTestId('tab-findings').click();
  await expect(again.getByTestId('open-finding')).toHaveCount(after.open_findings.length);
  await expect(again.getByTestId('open-finding').filter({ hasText: '灭火器被遮挡' })).toHaveCount(1);
  await again.screenshot({ path: info.outputPath('field-findings.png') });
  await context.close();
});

test('the field app speaks Simplified Chinese in an English-language browser until the worker switches, and the other pages follow the choice', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' } });
  const page = await context.newPage();
  await signedIn(page, 'worker01');
  await page.getByTestId('field-entry').click();
  await expect(page).toHaveURL(/\/field$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('sync')).toHaveText('立即同步');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('sync')).toHaveText('Sync now');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('sync')).toHaveText('Sync now');
  await page.goto('/my-grid');
  await expect(page.getByTestId('field-entry')).toContainText('Field work: visits');
  await context.close();
});

test('the park\'s policies and news reach the field app: unread ones are marked, and they stay readable offline', async ({ browser }, info) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signedIn(page, 'worker02');
  const field = await (await page.request.get('/api/v1/my/field')).json();
  expect(field.notices.length).toBeGreaterThan(1);
  const first = field.notices[0];
  await page.getByTestId('field-entry').click();
  await openField(page);

  // Every notice is unread at first: counted on the tab and marked in the list.
  await expect(page.getByTestId('news-unread')).toHaveText(String(field.notices.length));
  await page.getByTestId('tab-news').click();
  const notices = page.getByTestId('field-notice');
  await expect(notices).toHaveCount(field.notices.length);
  await expect(notices.first()).toHaveAttribute('data-unread', 'true');
  await expect(notices.first()).toContainText('未读');

  // Offline, a reload still shows them (kept on the phone); opening one shows its text and
  // marks it read.
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('tab-news').click();
  await notices.first().getByTestId('notice-title').click();
  await expect(notices.first().getByTestId('notice-body')).toContainText(first.body.split('\n')[0]);
  await expect(notices.first()).toHaveAttribute('data-unread', 'false');
  await expect(page.getByTestId('news-unread')).toHaveText(String(field.notices.length - 1));
  await page.screenshot({ path: info.outputPath('field-news.png'), fullPage: true });

  // Read stays read after a reload.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('tab-news').click();
  await expect(notices.first()).toHaveAttribute('data-unread', 'false');
  await expect(notices.nth(1)).toHaveAttribute('data-unread', 'true');
  await context.close();
});

test('on a shared phone one worker never sees or sends another\'s records, which wait for their author and then sync', async ({ browser }, info) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // worker01 opens the field app online (the phone learns who they are and their grid).
  await signedIn(page, 'worker01');
  const field = await (await page.request.get('/api/v1/my/field')).json();
  const target = field.enterprises[0];
  await page.getByTestId('field-entry').click();
  await openField(page);

  // The network is gone: a visit waits in the outbox.
  await context.setOffline(true);
  await page.getByTestId('search').fill(target.name);
  await page.getByTestId('field-enterprise').first().getByRole('button', { name: '记录走访' }).click();
  const form = page.getByTestId('record-form');
  await form.getByTestId('visit-met').fill('共用手机测试');
  await form.getByTestId('save-record').click();
  await expect(page.getByTestId('pending')).toHaveText('待同步 1 条');
  // worker01 signs out with no network: their grid data goes, the visit stays (it is theirs).
  await page.getByTestId('sign-out').click();
  await page.close();
  await context.setOffline(false);

  // worker02 signs in on the same phone: nothing of worker01 shows, nothing of theirs is sent.
  const second = await context.newPage();
  await signedIn(second, 'worker02');
  await second.getByTestId('field-entry').click();
  await expect(second.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(second.getByTestId('others-pending')).toContainText('1 条记录');
  await expect(second.getByTestId('pending')).toHaveText('待同步 0 条');
  // worker01's enterprise is not in worker02's list; worker01's visit is not in the outbox.
  await second.getByTestId('search').fill(target.name);
  await expect(second.getByTestId('field-enterprise')).toHaveCount(0);
  await second.getByTestId('tab-outbox').click();
  await expect(second.getByTestId('outbox-item')).toHaveCount(0);
  await second.getByTestId('sync').click();
  await expect(second.getByTestId('others-pending')).toContainText('1 条记录');
  await second.screenshot({ path: info.outputPath('field-shared-phone.png') });

  // worker02 signs out; worker01 signs in again: the visit is sent, as theirs.
  await second.getByTestId('sign-out').click();
  await expect(second).toHaveURL(/\/login$/);
  await signedIn(second, 'worker01');
  await second.getByTestId('field-entry').click();
  await expect(second.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await second.getByTestId('tab-outbox').click();
  await expect(second.locator('[data-testid=outbox-item][data-status=synced]')).toHaveCount(1);
  await expect(second.getByTestId('others-pending')).toHaveCount(0);
  const after = await (await second.request.get('/api/v1/my/field')).json();
  expect(after.enterprises.find((e: any) => e.id === target.id).visits).toBe(target.visits + 1);
  await context.close();
});

test('an outbox of more records than one request may carry is sent in batches and empties', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signedIn(page, 'worker03');
  const field = await (await page.request.get('/api/v1/my/field')).json();
  await page.getByTestId('field-entry').click();
  await openField(page);
  await context.setOffline(true);
  // 1,001 visits made offline (more than the server takes in one request).
  const n = 1001;
  await page.evaluate(async ({ n, enterprises }) => {
    const f = (window as any).parkgridField;
    for (let i = 0; i < n; i++) {
      const e = enterprises[i % enterprises.length];
      const t = f.now();
      const record = { type: 'visit', id: f.uuid7(), enterprise_id: e.id, started_at: t, ended_at: t, met: '', notes: `批量 ${i}`, demands: [] };
      await f.add(JSON.stringify(record), e.name, []);
    }
  }, { n, enterprises: field.enterprises });
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('pending')).toHaveText(`待同步 ${n} 条`);
  await context.setOffline(false);
  await expect(page.getByTestId('pending')).toHaveText('待同步 0 条', { timeout: 60_000 });
  // Each stored once, on top of the visits the grid had (the demo's past).
  const visits = (data: any) => data.enterprises.reduce((s: number, e: any) => s + e.visits, 0);
  const after = await (await page.request.get('/api/v1/my/field')).json();
  expect(visits(after) - visits(field)).toBe(n);
  await context.close();
});
