// The service loop across three roles and the enterprise (issue 13), at phone size: a worker
// records a demand offline; back online it reaches the manager, who dispatches it to a
// department; the officer returns it once, it is re-dispatched, the officer answers; the
// worker verifies it offline; the enterprise rates it through its own link; the case shows 办结 with its
// whole timeline.
import { test, expect, Page, Browser } from './fixtures';

const PASSWORD = 'parkgrid-demo';
const DEMAND = '旺季招工难，希望对接人社部门招聘会（端到端测试）';

async function signIn(page: Page, login: string) {
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).not.toHaveURL(/\/login$/);
}

/** A phone of its own for `login`, signed in. */
async function phoneOf(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  await signIn(page, login);
  return page;
}

async function openCase(page: Page, id: number) {
  await page.goto(`/cases/${id}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

test('a demand heard offline is dispatched, returned, re-dispatched, answered, verified offline and rated by the enterprise, with its whole timeline', async ({ browser }, info) => {
  test.setTimeout(4 * 60_000);
  const shot = (page: Page, name: string) => page.screenshot({ path: info.outputPath(name), fullPage: true });

  // The worker, offline in a factory yard, records a visit with a demand.
  const worker = await phoneOf(browser, 'worker01');
  const field = await (await worker.request.get('/api/v1/my/field')).json();
  const target = field.enterprises[0];
  await worker.goto('/field');
  await expect(worker.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await worker.evaluate(() => navigator.serviceWorker.ready);
  await worker.context().setOffline(true);
  await worker.getByTestId('search').fill(target.name);
  const rows = worker.getByTestId('field-enterprise');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('button', { name: '记录走访' }).click();
  const form = worker.getByTestId('record-form');
  await form.getByTestId('visit-met').fill('李经理');
  await form.getByTestId('demand-category').selectOption('jobs');
  await form.getByTestId('demand-text').fill(DEMAND);
  await form.getByTestId('save-record').click();
  await expect(worker.getByTestId('pending')).toHaveText('待同步 1 条');
  // Back online: it syncs, and becomes a case.
  await worker.context().setOffline(false);
  await expect(worker.getByTestId('pending')).toHaveText('待同步 0 条', { timeout: 30_000 });

  // The manager sees it waiting, among the new cases.
  const manager = await phoneOf(browser, 'manager');
  await expect(manager.getByTestId('cases-waiting')).toBeVisible();
  await manager.getByTestId('cases-link').click();
  await expect(manager).toHaveURL(/\/cases$/);
  await expect(manager.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const card = manager.getByTestId('case-card').filter({ hasText: DEMAND });
  await expect(card).toHaveCount(1);
  await shot(manager, 'inbox-manager-new.png');
  const id = Number(await card.getAttribute('data-case'));
  await card.locator('a').click();
  await expect(manager).toHaveURL(new RegExp(`/cases/${id}$`));
  await expect(manager.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(manager.getByTestId('case-stage')).toHaveText('登记');
  await manager.getByTestId('act-accept-escalated').click();
  await expect(manager.getByTestId('case-stage')).toHaveText('受理');
  await expect(manager.getByTestId('case-deadline')).toBeVisible();
  await manager.getByTestId('case-department-choice').selectOption({ label: '应急管理局（安全生产）' });
  await manager.getByTestId('act-dispatch').click();
  await expect(manager.getByTestId('case-stage')).toHaveText('已派遣');

  // The safety officer returns it, with the reason.
  const officer = await phoneOf(browser, 'safety');
  await expect(officer).toHaveURL(/\/cases$/);
  await expect(officer.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(officer.getByTestId('case-card').filter({ hasText: DEMAND })).toHaveCount(1);
  await shot(officer, 'inbox-department.png');
  await openCase(officer, id);
  await officer.getByTestId('act-return').click();
  await expect(officer.getByTestId('case-error')).toContainText('请先填写说明');
  await officer.getByTestId('case-text').fill('招工事项不属安全生产，请转人社部门；本次先退回');
  await officer.getByTestId('act-return').click();
  await expect(officer.getByTestId('nothing-to-do')).toBeVisible();

  // The manager finds it flagged and sends it again; the officer takes it and answers.
  await manager.goto('/cases');
  await expect(manager.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await manager.getByTestId('box-flagged').click();
  await expect(manager.getByTestId('case-card').filter({ hasText: DEMAND })).toHaveCount(1);
  await shot(manager, 'inbox-manager-flagged.png');
  await openCase(manager, id);
  await manager.getByTestId('case-department-choice').selectOption({ label: '应急管理局（安全生产）' });
  await manager.getByTestId('act-dispatch').click();
  await expect(manager.getByTestId('case-stage')).toHaveText('已派遣');
  await openCase(officer, id);
  await officer.getByTestId('act-take').click();
  await expect(officer.getByTestId('case-stage')).toHaveText('办理中');
  await officer.getByTestId('case-text').fill('已联系人社局，下周三园区专场招聘会预留 10 个展位');
  await officer.getByTestId('act-reply').click();
  await expect(officer.getByTestId('case-stage')).toHaveText('核查中');

  // The worker checks with the enterprise, in the yard with no signal: the field app has the
  // case to verify since its last sync.
  await worker.goto('/field');
  await expect(worker.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await worker.getByTestId('tab-cases').click();
  const toVerify = worker.locator(`[data-testid=field-case][data-case="${id}"]`);
  await expect(toVerify).toContainText('下周三园区专场招聘会');
  await worker.context().setOffline(true);
  await shot(worker, 'field-cases-offline.png');
  await toVerify.getByTestId('field-case-act').click();
  await worker.getByTestId('case-solved').selectOption('yes');
  await worker.getByTestId('case-note').fill('企业确认已参加招聘会');
  await worker.getByTestId('save-record').click();
  await expect(worker.getByTestId('pending')).toHaveText('待同步 1 条');
  await expect(toVerify).toHaveCount(0);
  await worker.context().setOffline(false);
  await expect(worker.getByTestId('pending')).toHaveText('待同步 0 条', { timeout: 30_000 });
  await openCase(worker, id);
  await expect(worker.getByTestId('case-stage')).toHaveText('办结');
  await shot(worker, 'case-worker-verified.png');

  // The manager issues the enterprise's link; the enterprise, with no account, rates it.
  await openCase(manager, id);
  await manager.getByTestId('enterprise-link').locator('summary').click();
  await manager.getByTestId('issue-link').click();
  const link = await manager.getByTestId('portal-link').getAttribute('href');
  expect(link).toMatch(/^\/e\/[0-9a-f]{64}$/);
  const enterprise = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const portal = await enterprise.newPage();
  await portal.goto(link!);
  await expect(portal.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(portal.getByTestId('portal-enterprise')).toHaveText(target.name);
  const mine = portal.locator(`[data-testid=portal-case][data-case="${id}"]`);
  await expect(mine).toContainText('下周三园区专场招聘会');
  await shot(portal, 'portal-enterprise.png');
  await mine.getByTestId('portal-satisfaction').selectOption('satisfied');
  await mine.getByTestId('portal-comment').fill('很及时，谢谢');
  await mine.getByTestId('portal-rate-button').click();
  await expect(mine.getByTestId('portal-rating')).toContainText('满意');
  // A made-up link opens nothing.
  const nowhere = await enterprise.newPage();
  await nowhere.goto('/e/' + '0'.repeat(64));
  await expect(nowhere.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(nowhere.getByTestId('portal')).toHaveCount(0);

  // 办结, with the whole timeline.
  await openCase(manager, id);
  await expect(manager.getByTestId('case-stage')).toHaveText('办结');
  await expect(manager.getByTestId('case-rating')).toHaveText('满意');
  const actions = await manager.getByTestId('timeline').locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
  expect(actions).toEqual(['register', 'accept', 'dispatch', 'return', 'dispatch', 'take', 'reply', 'verify', 'rate']);
  await expect(manager.getByTestId('timeline')).toContainText('招工事项不属安全生产');
  await shot(manager, 'case-page-closed.png');
});
