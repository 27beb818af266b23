import { test, expect, Page, signIn } from './fixtures';
import { unzipSync, strFromU8 } from 'fflate';
import * as fs from 'fs';


// The center's head on a laptop (the 'laptop' project), then on a phone.

async function signedIn(page: Page, login: string) {
  await signIn(page, login);
  await expect(page).not.toHaveURL(/\/login/);
}

test('a manager opens the dashboard, filters a grid, taps a grid on the map, and downloads the month\'s report as Excel and as PDF', async ({ page }, info) => {
  // The dashboard is the managers' home: signing in lands there.
  await signedIn(page, 'manager');
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // Every figure with its definition; the demo's past gives the park a coverage.
  const kpis = page.getByTestId('kpis');
  await expect(kpis.getByTestId('kpi-coverage')).toContainText('走访覆盖率');
  await expect(kpis.getByTestId('kpi-coverage')).toContainText(/\d+\.\d%/);
  await expect(kpis.getByTestId('kpi-on-time')).toContainText('按期办结数 ÷（本期办结数 + 超期未办结数）');
  await expect(kpis.getByTestId('kpi-satisfaction')).toContainText('满意率');
  const map = page.getByTestId('figure-map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  const grids = Number(await map.getAttribute('data-grids'));
  expect(grids).toBeGreaterThan(10);
  await page.screenshot({ path: info.outputPath('dashboard-laptop.png'), fullPage: true });

  // A tap on a grid shows its figures.
  const shape = map.locator('path.pg-grid-ZL002');
  await shape.first().click({ force: true });
  await expect(map.locator('.leaflet-popup')).toContainText('ZL002');
  await expect(map.locator('.leaflet-popup')).toContainText('走访覆盖率');
  await expect(map).toHaveAttribute('data-selected', 'ZL002');
  // Colour by another figure: the map is drawn again with the same grids.
  await page.getByTestId('map-figure').selectOption('on_time');
  await expect(map.locator('path.pg-grid')).toHaveCount(grids);

  // One grid: the grid table keeps that grid only, and the CSV follows the filter.
  await page.getByTestId('filter-grid').selectOption('ZL002');
  await page.getByTestId('dash-apply').click();
  await expect(page).toHaveURL(/grid=ZL002/);
  await expect(page.getByTestId('grid-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('grid-table').locator('tbody tr')).toHaveAttribute('data-code', 'ZL002');
  const csvHref = await page.getByTestId('csv-grids').getAttribute('href');
  expect(csvHref).toContain('grid=ZL002');
  const csv = await page.request.get(csvHref!);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain('网格,网格员,企业数,走访覆盖率');
  expect(text.trim().split('\n')).toHaveLength(2);

  // The scorecards of last month: the best and the bottom three.
  await page.getByTestId('scorecards-link').click();
  await expect(page).toHaveURL(/\/scorecards/);
  const workers = page.getByTestId('scores-workers');
  await expect(workers.locator('tr.best')).toHaveCount(1);
  await expect(workers.locator('tr.bottom')).toHaveCount(3);
  await expect(page.getByText('后三名').first()).toBeVisible();
  await page.screenshot({ path: info.outputPath('scorecards.png'), fullPage: true });

  // The report: the Excel workbook, opened and read.
  await page.goto('/report');
  await expect(page.getByTestId('report-summary')).toContainText('按期办结率');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('excel').click()]);
  expect(download.suggestedFilename()).toMatch(/^ZL-\d{4}-\d{2}-report\.xlsx$/);
  const book = unzipSync(new Uint8Array(fs.readFileSync(await download.path())));
  const workbook = strFromU8(book['xl/workbook.xml']);
  for (const sheet of ['概览', '月度趋势', '各网格', '网格员考核', '部门考核']) expect(workbook).toContain(sheet);
  const strings = strFromU8(book['xl/sharedStrings.xml']);
  expect(strings).toContain('走访覆盖率');
  expect(strings).toContain('中壢工業區');
  await page.screenshot({ path: info.outputPath('report.png'), fullPage: true });
  // …and the PDF the browser prints from the print-styled page (the top bar and buttons left out).
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('excel')).toBeHidden();
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.length).toBeGreaterThan(20_000);
  fs.writeFileSync(info.outputPath('report.pdf'), pdf);
  await page.emulateMedia({ media: 'screen' });
});

test('the dashboard reads on a phone', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  await signedIn(page, 'manager');
  await page.goto('/dashboard');
  await expect(page.getByTestId('figure-map')).toHaveAttribute('data-ready', 'true');
  // Nothing wider than the screen but the tables that scroll.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: info.outputPath('dashboard-phone.png'), fullPage: true });
  await context.close();
});

test('a visitor with no account opens the park\'s public page on a phone: the grids and who answers for them, the service list, the policies', async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await context.newPage();
  const wasm: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  const response = await page.goto('/public/ZL');
  expect(response!.status()).toBe(200);
  await expect(page.locator('#pub-map')).toHaveAttribute('data-ready', 'true');
  expect(Number(await page.locator('#pub-map').getAttribute('data-grids'))).toBeGreaterThan(10);
  await expect(page.getByTestId('hotline')).toBeVisible();
  // The demo publishes every other worker's name: worker02 (李娜) chose not to; worker01 (王芳) did.
  const grids = page.locator('.pub-grids');
  await expect(grids).toContainText('王芳');
  await expect(grids).not.toContainText('李娜');
  await expect(page.getByTestId('services').locator('li')).not.toHaveCount(0);
  await expect(page.locator('.pub-notice')).not.toHaveCount(0);
  expect(wasm).toEqual([]);
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: info.outputPath('public-page.png'), fullPage: true });
  await context.close();
});
