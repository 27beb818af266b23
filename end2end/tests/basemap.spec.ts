import { test, expect } from './fixtures';

// The server of this project serves the sample vector archive (Florence, data/basemap) at
// /tiles/{z}/{x}/{y}; the demo park is elsewhere, so the map is drawn over Florence here.
test('a vector PMTiles basemap is drawn in the browser from the server\'s own tiles', async ({ page }, info) => {
  const tiles: string[] = [];
  page.on('response', (r) => { if (r.url().includes('/tiles/') && r.status() === 200) { tiles.push(r.url()); } });
  await page.goto('/login');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.id = 'basemap-test';
    el.style.cssText = 'position:fixed;inset:0;z-index:9999;background:#fff';
    document.body.appendChild(el);
    const map = (window as any).L.map(el).setView([43.7696, 11.2558], 14);
    (window as any).parkgridMap.addBasemap(map);
  });
  const el = page.locator('#basemap-test');
  await expect(el).toHaveAttribute('data-basemap', 'vector');
  await expect.poll(() => tiles.length).toBeGreaterThan(0);
  // Drawn: the tiles' canvases hold streets, water and labels, not one flat colour.
  await expect.poll(() => page.evaluate(() => {
    const colours = new Set<string>();
    document.querySelectorAll('#basemap-test canvas').forEach((c: any) => {
      const ctx = c.getContext('2d');
      if (!ctx || !c.width || !c.height) { return; }
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4 * 97) { colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`); }
    });
    return colours.size;
  }), { timeout: 20_000 }).toBeGreaterThan(5);
  await page.screenshot({ path: info.outputPath('basemap-vector.png') });
});
