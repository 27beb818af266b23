import { test, expect, Page, signIn, gridCount } from './fixtures';
import * as path from 'path';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

// Managers work on a laptop: the 'laptop' project of playwright.config.ts.


test('a manager creates a worker account, sees it flagged without a grid, and assigns it to a grid', async ({ page }, info) => {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('staff-link').click();
  await expect(page).toHaveURL(/\/workers$/);
  // The demo has a worker per grid.
  await expect(page.getByTestId('assignments').locator('tbody tr')).toHaveCount(await gridCount(page));

  const form = page.getByTestId('new-worker');
  // A taken login is refused with the reason, in Chinese, naming the login.
  await form.getByLabel('账号').fill('worker01');
  await form.getByLabel('姓名').fill('重名');
  await form.getByLabel('密码').fill('e2e-password-1');
  await form.getByRole('button', { name: '新增' }).click();
  await expect(page.getByTestId('staff-error')).toHaveText('未保存：账号已被占用：worker01');
  await form.getByLabel('账号').fill('e2e-worker');
  await form.getByLabel('姓名').fill('测试网格员');
  await form.getByLabel('密码').fill('e2e-password-1');
  await form.getByRole('button', { name: '新增' }).click();
  await expect(page.getByTestId('notice')).toContainText('e2e-worker');
  const row = page.locator('tr[data-login="e2e-worker"]');
  await expect(row.getByTestId('flag')).toHaveText('未分配网格');

  await page.getByTestId('add-worker-ZL003').selectOption({ label: '测试网格员' });
  await expect(page.locator('tr[data-code="ZL003"] .chip')).toHaveCount(2);
  await expect(row).toContainText('ZL003');
  await expect(row.getByTestId('flag')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('manager-workers.png'), fullPage: true });

  // The new worker signs in: first a password of their own (the manager chose this one),
  // then their grid.
  const other = await page.context().browser()!.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await other.newPage();
  await signIn(phone, 'e2e-worker', 'e2e-password-1');
  await expect(phone).toHaveURL(/\/account$/);
  await phone.getByTestId('current-password').fill('e2e-password-1');
  await phone.getByTestId('new-password').fill('my-own-password');
  await phone.getByTestId('repeat-password').fill('my-own-password');
  await phone.getByTestId('change-password').click();
  await phone.screenshot({ path: info.outputPath('worker-first-password.png') });
  await phone.getByTestId('continue').click();
  await expect(phone).toHaveURL(/\/my-grid$/);
  await expect(phone.getByTestId('summary')).toContainText('ZL003');
  await other.close();
});

test('a manager imports enterprises: a broken CSV is reported line by line and writes nothing, a GBK CSV imports', async ({ page }, info) => {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const before = Number(await page.getByTestId('enterprise-count').textContent());
  await page.getByTestId('registry-link').click();
  await expect(page).toHaveURL(/\/registry$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'enterprises-broken.csv'));
  const report = page.getByTestId('import-report');
  await expect(page.getByTestId('import-problems').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('import-problems')).toContainText('第 3 行');
  await expect(page.getByTestId('import-problems')).toContainText('缺少必填项');
  await expect(page.getByTestId('import-problems')).toContainText('第 4 行');
  await expect(page.getByTestId('import-problems')).toContainText('第 5 行');
  await expect(page.getByTestId('import-go')).toBeDisabled();
  await expect(page.getByTestId('map-name')).toHaveValue('企业名称');
  await page.screenshot({ path: info.outputPath('manager-import-report.png'), fullPage: true });

  await page.getByTestId('import-file').setInputFiles(path.join(FIXTURES, 'enterprises-gbk.csv'));
  await expect(report).toContainText('GBK');
  await expect(report).toContainText('共 2 家：新增 2，更新 0');
  await expect(page.getByTestId('map-address')).toHaveValue('地址');
  await page.getByTestId('import-go').click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await page.screenshot({ path: info.outputPath('manager-import-done.png'), fullPage: true });

  await page.goto('/park');
  await expect(page.getByTestId('enterprise-count')).toHaveText(String(before + 2));
  const csv = await (await page.request.get('/api/v1/export/enterprises.csv')).text();
  expect(csv).toContain('测试新厂甲');
});
