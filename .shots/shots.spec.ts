import { test, expect } from '@playwright/test';
test('phone-size manager pages', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('账号').fill('manager');
  await page.getByLabel('密码').fill('parkgrid-demo');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/park$/);
  await page.screenshot({ path: 'out/park.png', fullPage: true });
  await page.goto('/workers');
  await expect(page.getByTestId('staff')).toBeVisible();
  await page.screenshot({ path: 'out/workers.png', fullPage: false });
  await page.screenshot({ path: 'out/workers-full.png', fullPage: true });
  await page.goto('/registry');
  await expect(page.getByTestId('registry')).toBeVisible();
  await page.screenshot({ path: 'out/registry.png', fullPage: false });
  await page.getByTestId('registry-list').locator('button.link').first().click();
  await page.screenshot({ path: 'out/registry-edit.png', fullPage: true });
  await page.goto('/park');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.request.post('/api/v1/plans', { data: { min: 15, max: 25 } });
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const link = page.getByTestId('compare-with-active').first();
  if (await link.count()) {
    await link.click();
    await expect(page.getByTestId('diff-map')).toHaveAttribute('data-ready', 'true');
    await page.screenshot({ path: 'out/diff.png', fullPage: true });
  }
});
