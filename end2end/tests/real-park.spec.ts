import { test, expect, Page, signIn, gridCount } from './fixtures';
import * as path from 'path';

const FIXTURES = path.join(__dirname, '..', 'fixtures');


/** The temporary password in the accounts page's notice. */
async function temporaryPassword(page: Page): Promise<string> {
  const text = (await page.getByTestId('notice').textContent()) ?? '';
  const m = text.match(/首次登录须修改）：(\S+)/);
  expect(m, text).not.toBeNull();
  return m![1];
}

test('the administrator adds a second park from the browser, its manager and a department officer; the manager changes the password and switches parks', async ({ page }, info) => {
  await signIn(page, 'admin');
  await expect(page).toHaveURL(/\/park$/);
  await page.getByTestId('parks-link').click();
  await expect(page).toHaveURL(/\/parks$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // A second park from its boundary file; then its registry opens, for the enterprises.
  const form = page.getByTestId('new-park');
  await form.getByTestId('park-code').fill('EP');
  await form.getByTestId('park-name').fill('第二园区');
  await form.getByTestId('park-boundary').setInputFiles(path.join(FIXTURES, 'second-park-boundary.geojson'));
  await form.getByTestId('add-park').click();
  await expect(page).toHaveURL(/\/registry$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('park-switch')).toHaveValue('EP');

  // Its manager, who also works in the demo park, and a department officer.
  await page.getByTestId('accounts-link').click();
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const account = page.getByTestId('new-account');
  await account.getByTestId('account-login').fill('ep-chief');
  await account.getByTestId('account-name').fill('第二园区 周主任');
  await account.getByTestId('account-role').selectOption('manager');
  await account.locator('input[data-park="EP"]').check();
  await account.locator('input[data-park="ZL"]').check();
  await account.getByTestId('create-account').click();
  await expect(page.getByTestId('notice')).toContainText('ep-chief');
  const chiefPassword = await temporaryPassword(page);
  await account.getByTestId('account-login').fill('ep-env');
  await account.getByTestId('account-name').fill('生态环境分局 吴科员');
  await account.getByTestId('account-role').selectOption('department');
  await account.getByTestId('account-department').selectOption('environment');
  await account.getByTestId('create-account').click();
  await expect(page.getByTestId('notice')).toContainText('ep-env');
  await expect(page.locator('tr[data-login="ep-env"]')).toContainText('生态环境分局');
  await expect(page.locator('tr[data-login="ep-chief"]')).toContainText('待改密码');
  await page.screenshot({ path: info.outputPath('accounts.png'), fullPage: true });

  // The manager signs in with the temporary password: first a password of their own.
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, 'ep-chief', chiefPassword);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId('must-change')).toBeVisible();
  await page.getByTestId('current-password').fill(chiefPassword);
  await page.getByTestId('new-password').fill('second-park-2026');
  await page.getByTestId('repeat-password').fill('second-park-2026');
  await page.getByTestId('change-password').click();
  await expect(page.getByTestId('password-message')).toContainText('密码已修改');
  await page.getByTestId('continue').click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // Two parks: the switcher shows the demo park first (by code: EP, then ZL — EP here).
  const switcher = page.getByTestId('park-switch');
  await switcher.selectOption('ZL');
  await expect(page.getByTestId('grid-count')).toHaveText(String(await gridCount(page, 'ZL')));
  await expect(page.getByTestId('park-switch')).toHaveValue('ZL');
  // The switch reloads the page: its controls answer once the page is hydrated again.
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('park-switch').selectOption('EP');
  await expect(page.getByTestId('park-switch')).toHaveValue('EP');
  await expect(page.getByTestId('grid-count')).toHaveText('0');
  await page.screenshot({ path: info.outputPath('park-switched.png') });
  await page.getByTestId('parks-link').click();
  await expect(page.getByTestId('park-table').locator('tbody tr')).toHaveCount(2);
  await page.screenshot({ path: info.outputPath('parks-overview.png') });
});
