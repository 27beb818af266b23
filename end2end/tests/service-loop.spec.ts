// The service loop across three roles and the enterprise (issue 13), at phone size: a worker
// records a demand offline; back online it reaches the manager, who dispatches it to a
// department; the officer returns it once, it is re-dispatched, the officer answers; the
// worker verifies it offline; the enterprise rates it through its own link; the case shows 办结 with its
// whole timeline.
import { test, expect, Page, Browser, signIn } from './fixtures';

const DEMAND = '旺季招工难，希望对接人社部门招聘会（端到端测试）';

async function signedIn(page: Page, login: string) {
  await signIn(page, login);
  await expect(page).not.toHaveURL(/\/login$/);
}

/** A phone of its own for `login`, signed in. */
async function phoneOf(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  await signedIn(page, login);
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
  // The answer comes with its document.
  await officer.getByTestId('attach-input').setInputFiles({ name: '招聘会展位安排.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% e2e\n%%EOF\n') });
  await officer.getByTestId('attach-upload').click();
  await expect(officer.getByTestId('case-file')).toHaveCount(1);
  await expect(officer.getByTestId('case-file')).toContainText('招聘会展位安排.pdf');
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
  expect(actions).toEqual(['register', 'accept', 'dispatch', 'return', 'dispatch', 'take', 'attach', 'reply', 'verify', 'rate']);
  await expect(manager.getByTestId('timeline')).toContainText('招工事项不属安全生产');
  await shot(manager, 'case-page-closed.png');
});

test('a major hazard is sent to the safety department with its plan, a reported rectification is verified on its after-photo, and a proxy case shows each department\'s part', async ({ browser }, info) => {
  test.setTimeout(3 * 60_000);
  const shot = (page: Page, name: string) => page.screenshot({ path: info.outputPath(name), fullPage: true });
  const manager = await phoneOf(browser, 'manager');
  const cardOf = async (text: string) => {
    await manager.goto('/cases');
    await expect(manager.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await manager.getByTestId('box-open').click();
    await expect(manager.getByTestId('box-open')).toHaveClass(/current/);
    const card = manager.getByTestId('case-card').filter({ hasText: text });
    await expect(card).toHaveCount(1);
    return Number(await card.getAttribute('data-case'));
  };

  // The demo's major hazard waits for its plan: nothing else moves it.
  const major = await cardOf('配电房电缆老化裸露');
  await openCase(manager, major);
  await expect(manager.getByTestId('grade-major')).toBeVisible();
  await expect(manager.getByTestId('act-accept-escalated')).toHaveCount(0);
  const plan = manager.getByTestId('plan-form');
  await plan.getByTestId('act-submit-plan').click();
  await expect(plan.getByTestId('plan-error')).toBeVisible();
  await plan.getByTestId('plan-measures').fill('更换配电房全部老化电缆，排水并加装防水挡板，增设漏电保护器');
  await plan.getByTestId('plan-responsible').fill('周厂长');
  await plan.getByTestId('plan-funds').fill('80000');
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await plan.getByTestId('plan-deadline').fill(due);
  await plan.getByTestId('plan-interim').fill('配电房停用并设警戒线，临时电源由持证电工值守');
  await shot(manager, 'case-major-hazard-plan.png');
  await plan.getByTestId('act-submit-plan').click();
  await expect(manager.getByTestId('case-stage')).toHaveText('已派遣');
  await expect(manager.getByTestId('case-department')).toHaveText('应急管理局（安全生产）');
  await expect(manager.getByTestId('case-plan')).toContainText('周厂长');
  await expect(manager.getByTestId('case-deadline')).toContainText(`${due.slice(5)} 24:00`);
  const officer = await phoneOf(browser, 'safety');
  await expect(officer.getByTestId('case-card').filter({ hasText: '配电房电缆老化裸露' })).toHaveCount(1);

  // The wastewater finding: worker01 reported it fixed with a photo some 30 m from the spot;
  // the manager looks at the photo and the distance, and verifies.
  const water = await cardOf('雨水管网排口有泡沫');
  await openCase(manager, water);
  await expect(manager.getByTestId('case-stage')).toHaveText('核查中');
  await expect(manager.getByTestId('after-distance')).toContainText('30 m');
  await expect(manager.getByTestId('after-far')).toHaveCount(0);
  const photo = manager.getByTestId('case-finding').locator('img.thumb');
  await expect(photo).toHaveCount(1);
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await shot(manager, 'case-finding-verify.png');
  await manager.getByTestId('act-verify-ok').click();
  await expect(manager.getByTestId('case-stage')).toHaveText('办结');

  // The proxy case: the safety department's part done, the market regulator's open.
  const proxy = await cardOf('知识产权侵权风险评估');
  await openCase(manager, proxy);
  const tasks = manager.getByTestId('case-tasks').locator('li');
  await expect(tasks).toHaveCount(2);
  await expect(tasks.first()).toHaveAttribute('data-done', 'true');
  await expect(tasks.last()).toHaveAttribute('data-done', 'false');
  await shot(manager, 'case-proxy-tasks.png');

  // The limits: per category and mode, and per stage.
  await manager.goto('/cases');
  await expect(manager.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(manager.getByTestId('stage-limit-registered')).toHaveValue('1');
  await manager.getByTestId('limits').screenshot({ path: info.outputPath('limits.png') });
});
