import { test, expect, Page, signIn, DEMO_PASSWORD } from './fixtures';


// Managers work on a laptop: the 'laptop' project of playwright.config.ts.


/** Signs the manager in, opens the active plan in the editor, copies it into a draft. */
async function openDraftCopy(page: Page) {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.locator('li.plan').filter({ hasText: '使用中' }).getByTestId('open-editor').click();
  await page.getByTestId('copy-plan').click();
  await expect(page).toHaveURL(/\/plans\/\d+\/edit$/);
  const map = page.getByTestId('editor-map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  return map;
}

test("the park page loads the main bundle alone; the editor's code arrives in one file when the editor opens", async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) wasm.push(path);
  });
  const signedIn = await page.context().request.post('/api/v1/session', { data: { login: 'manager', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  await page.goto('/park');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  expect(wasm, 'the park page needs the main bundle alone').toEqual(['/pkg/parkgrid.wasm']);
  await page.locator('li.plan').filter({ hasText: '使用中' }).getByTestId('open-editor').click();
  await expect(page).toHaveURL(/\/plans\/\d+\/edit$/);
  await expect(page.getByTestId('copy-plan')).toBeVisible();
  // The editor's chunks packed into one file (scripts/pack-chunks.mjs), not dozens of requests.
  // (The top bar's background load of the pages opened next may have started meanwhile.)
  const editor = wasm.filter((p) => p.includes('plan_editor'));
  expect(editor, wasm.join(' ')).toEqual([expect.stringMatching(/^\/pkg\/pack___plan_editor_route_view_\d+\.[0-9a-f]{12}\.wasm$/)]);
});

test("a page's code that finds no network is asked for again, and the page opens once the network answers, with no error", async ({ page, pageProblems }) => {
  const signedIn = await page.context().request.post('/api/v1/session', { data: { login: 'manager', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  // The first two requests for the cases page's code get no answer (a dropped connection),
  // whether the click or the top bar's background load asks first (they share the load).
  let dropped = 0;
  await page.route(/\/pkg\/pack___cases_route_[^/]*\.wasm$/, (route) => {
    if (dropped < 2) { dropped += 1; return route.abort('internetdisconnected'); }
    return route.continue();
  });
  await page.goto('/park');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('cases-link').click();
  await expect(page.getByTestId('case-list')).toBeVisible({ timeout: 30_000 });
  await expect(page).toHaveURL(/\/cases$/);
  expect(dropped).toBe(2);
  // (The fixture fails the test on an error thrown in the page: a failed load panics the wasm.)
  expect(pageProblems.console.filter((m) => m.includes('panicked')), 'no panic').toEqual([]);
});

test('a manager offline who taps a page not loaded yet sees it as soon as the connection is back', async ({ page, context, pageProblems }) => {
  const signedIn = await context.request.post('/api/v1/session', { data: { login: 'manager', password: DEMO_PASSWORD } });
  expect(signedIn.ok()).toBe(true);
  await page.goto('/park');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // Offline before the background load starts (it is not started offline): the workers' page
  // is not loaded yet when the manager taps it.
  await context.setOffline(true);
  await page.waitForTimeout(2_000);
  await page.getByTestId('staff-link').click();
  // Tried at once, then after 1, 2 and 4 s: the next try would be 8 s after the last.
  await page.waitForTimeout(8_000);
  await context.setOffline(false);
  // Asked again as soon as the browser is back online, not at the next try.
  await expect(page.getByTestId('workers')).toBeVisible({ timeout: 5_000 });
  await expect(page).toHaveURL(/\/workers$/);
  expect(pageProblems.console.filter((m) => m.includes('panicked')), 'no panic').toEqual([]);
});

type Candidate = { from: [number, number]; to: [number, number]; name: string; a: string; b: string };

/** Corners that exactly two grids share, each with the nearest enterprise of one of them and
 *  where to drop the corner so that this enterprise falls into the other grid (just past it). */
async function candidates(page: Page): Promise<Candidate[]> {
  return page.getByTestId('editor-map').evaluate((el: any) => {
    const st = el._pgEditor;
    const owners: Record<string, number[]> = {};
    st.grids.forEach((g: any, i: number) => {
      const polys = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
      polys.forEach((p: any) => p.forEach((r: any) => r.forEach((c: any) => {
        const k = c[0] + ',' + c[1];
        owners[k] = owners[k] || [];
        if (owners[k].indexOf(i) < 0) owners[k].push(i);
      })));
    });
    const out: any[] = [];
    Object.keys(owners).sort().forEach((k) => {
      if (owners[k].length !== 2) return;
      const [x, y] = k.split(',').map(Number);
      const [a, b] = owners[k];
      let best: any = null;
      st.enterprises.forEach((e: any, i: number) => {
        if (st.gridOf[i] !== b) return;
        const d = Math.hypot(e.lon - x, e.lat - y);
        if (!best || d < best.d) best = { e, d };
      });
      if (best && best.d < 0.002) {
        const e = best.e;
        out.push({ from: [x, y], to: [e.lon + (e.lon - x) * 0.3, e.lat + (e.lat - y) * 0.3], name: e.name,
                   a: st.grids[a].code, b: st.grids[b].code, d: best.d });
      }
    });
    out.sort((p, q) => p.d - q.d);
    return out;
  });
}

/** Drags the selected grid's handle at `from` to the map position `to`, as a mouse would. */
async function drag(page: Page, from: [number, number], to: [number, number]) {
  const handle = page.locator(`.pg-handle[data-lon="${from[0]}"][data-lat="${from[1]}"]`);
  await expect(handle).toHaveCount(1);
  const box = (await handle.boundingBox())!;
  const target = await page.getByTestId('editor-map').evaluate((el: any, to: number[]) => {
    const p = el._pgEditor.map.latLngToContainerPoint([to[1], to[0]]);
    const r = el.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, to);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 12 });
  await page.mouse.up();
}

test('a manager drags a shared corner so that an enterprise changes grid, sees the preview, saves and activates; the worker sees it', async ({ page, browser }, info) => {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // The active plan opens read-only; a copy is a draft to edit.
  const active = page.locator('li.plan').filter({ hasText: '使用中' });
  await active.getByTestId('open-editor').click();
  await expect(page.getByTestId('copy-plan')).toBeVisible();
  await page.getByTestId('copy-plan').click();
  await expect(page).toHaveURL(/\/plans\/\d+\/edit$/);
  const map = page.getByTestId('editor-map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('no-problems').or(page.getByTestId('problems'))).toBeVisible();
  await expect(page.getByTestId('save')).toBeDisabled();
  await page.screenshot({ path: info.outputPath('editor-draft.png') });

  // Trying to move one enterprise on its own: the map says why that is not how it works.
  await map.locator('path.pg-enterprise').first().click({ force: true });
  await expect(map.locator('.leaflet-popup-content')).toContainText('不能单独移动企业');
  await map.locator('.leaflet-popup-close-button').click();
  await expect(map.locator('.leaflet-popup')).toHaveCount(0);

  let moved: Candidate | null = null;
  for (const c of (await candidates(page)).slice(0, 6)) {
    await page.locator(`tr[data-code="${c.a}"] button`).click();
    // Zoom in on the corner, as a manager would before a fine move.
    await map.evaluate((el: any, c: any) => el._pgEditor.map.setView([c.from[1], c.from[0]], 17, { animate: false }), c);
    const steps = await page.getByTestId('undo').isEnabled() ? 1 : 0;
    await drag(page, c.from, c.to);
    // Either the preview lists the enterprise, or the edit was refused and nothing changed.
    await expect(page.getByTestId('moved-count').or(page.getByTestId('refused'))).toBeVisible();
    await expect(page.getByText('正在处理…')).toHaveCount(0);
    if (await page.getByTestId('moves').getByText(`${c.name} ${c.b} → ${c.a}`).count() > 0) {
      moved = c;
      break;
    }
    if (!(await page.getByTestId('refused').isVisible()) && steps === 0) {
      await page.getByTestId('undo').click();
    }
  }
  expect(moved).not.toBeNull();
  const c = moved!;
  await expect(page.getByTestId('moves')).toContainText(`${c.name} ${c.b} → ${c.a}`);
  await expect(page.getByTestId('unsaved')).toBeVisible();
  await expect(map.locator('path.pg-moved')).not.toHaveCount(0);
  await expect(page.getByTestId('since-active')).not.toContainText('：0 家');
  await page.screenshot({ path: info.outputPath('editor-preview.png') });

  // Undo and redo within the session.
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('moves')).toHaveCount(0);
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('moves')).toContainText(c.name);

  await page.getByTestId('save').click();
  await expect(page.getByText('草稿已保存。')).toBeVisible();
  await expect(page.getByTestId('unsaved')).toHaveCount(0);

  // The saved draft against the active plan, from the park page: the list and the map.
  const editorUrl = page.url();
  const draftId = editorUrl.match(/\/plans\/(\d+)\/edit$/)![1];
  await page.goto('/park');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.locator(`a[data-testid="compare-with-active"][href$="/diff/${draftId}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/plans/\\d+/diff/${draftId}$`));
  const row = page.getByTestId('diff-moves').locator('tr').filter({ hasText: c.name });
  await expect(row).toContainText(`${c.b} → ${c.a}`);
  const diffMap = page.getByTestId('diff-map');
  await expect(diffMap).toHaveAttribute('data-ready', 'true');
  await expect(diffMap).not.toHaveAttribute('data-ghosts', '0');
  await expect(diffMap.locator('path.pg-moved')).not.toHaveCount(0);
  await page.screenshot({ path: info.outputPath('plan-diff.png') });

  await page.goto(editorUrl);
  await expect(page.getByTestId('editor-map')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('activate').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('li.plan').first()).toContainText('使用中');
  await page.screenshot({ path: info.outputPath('editor-activated-park.png') });

  // The worker of the grid that gained the enterprise sees it, inside their new boundary.
  const worker = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const phone = await worker.newPage();
  await signIn(phone, 'worker' + c.a.slice(-2));
  await expect(phone).toHaveURL(/\/my-grid$/);
  await expect(phone.getByTestId('map')).toHaveAttribute('data-ready', 'true');
  await expect(phone.locator('.enterprise-list')).toContainText(c.name);
  await phone.screenshot({ path: info.outputPath('editor-worker-after.png'), fullPage: true });
  await worker.close();
});

/** Cuts some grid of the draft in two with an east–west line across its middle, trying the
 *  grids in turn until one is cut cleanly (and, with `accept`, into halves it accepts: other
 *  cuts are undone); waits for each answer (the cut, or the reason). The grid cut keeps its code
 *  (`cut`), the other half gets a new one (`added`). */
async function splitSomeGrid(page: Page, map: ReturnType<Page['getByTestId']>, grids: number,
  accept: (halves: { cut: string; added: string }) => Promise<boolean> = async () => true): Promise<{ cut: string; added: string }> {
  const before: string[] = await map.evaluate((el: any) => el._pgEditor.grids.map((g: any) => g.code));
  const lines: { x: number; y: number }[][] = await map.evaluate((el: any) => {
    const st = el._pgEditor, r = el.getBoundingClientRect();
    return st.grids.map((g: any) => {
      const b = st.polys[g.code].getBounds();
      const y = (b.getNorth() + b.getSouth()) / 2;
      const w = b.getWest() - (b.getEast() - b.getWest()) * 0.1, e = b.getEast() + (b.getEast() - b.getWest()) * 0.1;
      return [[y, w], [y, e]].map((ll) => { const p = st.map.latLngToContainerPoint(ll); return { x: r.left + p.x, y: r.top + p.y }; });
    });
  });
  for (const [i, l] of lines.entries()) {
    await page.getByTestId('mode-split').click();
    await page.mouse.click(l[0].x, l[0].y);
    await page.mouse.click(l[1].x, l[1].y);
    await page.getByTestId('finish-split').click();
    // The answer: the grid cut in two, or the reason why not (a click clears the last reason).
    await expect
      .poll(async () => Number(await map.getAttribute('data-grids')) === grids + 1 || (await page.getByTestId('refused').isVisible()), { timeout: 15_000 })
      .toBe(true);
    await expect(page.getByText('正在处理…')).toHaveCount(0);
    if (Number(await map.getAttribute('data-grids')) !== grids + 1) continue;
    const after: string[] = await map.evaluate((el: any) => el._pgEditor.grids.map((g: any) => g.code));
    const added = after.filter((c) => !before.includes(c));
    expect(added).toHaveLength(1);
    const halves = { cut: before[i], added: added[0] };
    if (await accept(halves)) return halves;
    await page.getByTestId('undo').click();
    await expect(map).toHaveAttribute('data-grids', String(grids));
  }
  throw new Error('no grid of the draft could be cut in two as asked by a line across its middle');
}

/** Where to click to pick the grid `code`: its enterprise farthest from any enterprise of another
 *  grid (a click on an enterprise is a click on its grid, and that marker is under no other). */
async function pointOf(map: ReturnType<Page['getByTestId']>, code: string): Promise<{ x: number; y: number }> {
  return map.evaluate((el: any, code: string) => {
    const st = el._pgEditor, r = el.getBoundingClientRect();
    const i = st.grids.findIndex((g: any) => g.code === code);
    let best: any = null;
    st.enterprises.forEach((e: any, k: number) => {
      if (st.gridOf[k] !== i) return;
      let near = Infinity;
      st.enterprises.forEach((o: any, j: number) => { if (st.gridOf[j] !== i) near = Math.min(near, Math.hypot(o.lon - e.lon, o.lat - e.lat)); });
      if (!best || near > best.near) best = { e, near };
    });
    const p = st.map.latLngToContainerPoint([best.e.lat, best.e.lon]);
    return { x: r.left + p.x, y: r.top + p.y };
  }, code);
}

/** The enterprise count of each grid of the draft, by code. */
async function counts(map: ReturnType<Page['getByTestId']>): Promise<Record<string, number>> {
  return map.evaluate((el: any) => Object.fromEntries(el._pgEditor.grids.map((g: any) => [g.code, g.enterprise_count])));
}

test('a manager splits a grid with a line, merges the halves back, and undoes both', async ({ page }, info) => {
  const map = await openDraftCopy(page);
  const grids = Number(await map.getAttribute('data-grids'));

  // Into two halves with enterprises in each, both under 20.
  const halves = await splitSomeGrid(page, map, grids, async (h) => {
    const n = await counts(map);
    return [h.cut, h.added].every((c) => n[c] > 0 && n[c] < 20);
  });
  await expect(map).toHaveAttribute('data-grids', String(grids + 1));
  // Halves of a 28-enterprise grid are under 20: flagged in the list and outlined on the map.
  await expect(page.getByTestId('problems')).toContainText('20–40');
  await expect(map.locator('path.pg-flagged')).not.toHaveCount(0);
  await page.screenshot({ path: info.outputPath('editor-split.png') });

  // Merge the two halves back: click an enterprise of each (a click on an enterprise is a click on its grid).
  const points = [await pointOf(map, halves.added), await pointOf(map, halves.cut)];
  await page.getByTestId('mode-merge').click();
  await page.mouse.click(points[0].x, points[0].y);
  await page.mouse.click(points[1].x, points[1].y);
  await expect(map).toHaveAttribute('data-grids', String(grids));
  await expect(page.getByTestId('refused')).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('editor-merged.png') });

  // Undo twice: back to the plan as copied.
  await page.getByTestId('undo').click();
  await expect(map).toHaveAttribute('data-grids', String(grids + 1));
  await page.getByTestId('undo').click();
  await expect(map).toHaveAttribute('data-grids', String(grids));
  await expect(page.getByTestId('undo')).toBeDisabled();
});

test('a manager redraws one grid freely, sees the overlap it makes, and clips the neighbour', async ({ page }, info) => {
  const map = await openDraftCopy(page);
  await page.getByTestId('mode-redraw').click();
  let overlapping: Candidate | null = null;
  for (const c of (await candidates(page)).slice(0, 6)) {
    await page.locator(`tr[data-code="${c.a}"] button`).click();
    await map.evaluate((el: any, c: any) => el._pgEditor.map.setView([c.from[1], c.from[0]], 17, { animate: false }), c);
    await drag(page, c.from, c.to);
    await expect(page.getByText('正在处理…')).toHaveCount(0);
    if (await page.getByTestId('problems').getByText('相互重叠').count() > 0) { overlapping = c; break; }
  }
  expect(overlapping).not.toBeNull();
  await expect(page.getByTestId('problems')).toContainText(`${overlapping!.a}`);
  await page.screenshot({ path: info.outputPath('editor-redraw-overlap.png') });
  await page.getByTestId('clip').click();
  await expect(page.getByTestId('problems').getByText('相互重叠')).toHaveCount(0);
  // The enterprise past the moved corner now belongs to the redrawn grid.
  await expect(page.getByTestId('since-active')).not.toContainText('：0 家');
  await page.screenshot({ path: info.outputPath('editor-redraw-clipped.png') });
});

/** Clicks the map at these WGS84 positions, one after another (a line or a grid being drawn). */
async function clickAt(page: Page, points: [number, number][]) {
  const map = page.getByTestId('editor-map');
  const box = (await map.boundingBox())!;
  for (const p of points) {
    const xy = await map.evaluate((el: any, p: any) => {
      const q = el._pgEditor.map.latLngToContainerPoint([p[1], p[0]]);
      return [q.x, q.y];
    }, p);
    await page.mouse.click(box.x + xy[0], box.y + xy[1]);
  }
}

test('a manager starts an empty draft and draws its grids on the map; each drawing takes only ground no grid has yet', async ({ page }, info) => {
  await signIn(page, 'manager');
  // A manager starts on the dashboard; the park's map is one tap away.
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('park-link').click();
  await expect(page).toHaveURL(/\/park$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('new-empty-plan').click();
  await expect(page).toHaveURL(/\/plans\/\d+\/edit$/);
  const map = page.getByTestId('editor-map');
  await expect(map).toHaveAttribute('data-ready', 'true');
  await expect(map).toHaveAttribute('data-grids', '0');
  await expect(map).toHaveAttribute('data-mode', 'draw');
  // Every enterprise of the park is in no grid yet (the registry test may have added some).
  await expect(page.getByTestId('problems')).toContainText(/\d+ 家企业不在任何网格/);
  const unassigned = async () => Number((await page.getByTestId('problems').innerText()).match(/(\d+) 家企业不在任何网格/)![1]);
  const all = await unassigned();
  expect(all).toBeGreaterThanOrEqual(556);

  // The park's box, from the map: the west half first (drawn past the boundary: cut to it).
  const b = await map.evaluate((el: any) => {
    const r = el._pgEditor.park.getBounds();
    return { w: r.getWest(), e: r.getEast(), s: r.getSouth(), n: r.getNorth() };
  });
  const mid = (b.w + b.e) / 2, pad = 0.002;
  await clickAt(page, [[b.w - pad, b.s - pad], [mid, b.s - pad], [mid, b.n + pad], [b.w - pad, b.n + pad]]);
  await page.getByTestId('finish-draw').click();
  await expect(map).toHaveAttribute('data-grids', '1');
  const left = await unassigned();
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThan(all);

  // Then all of the park: only the east half is left for the second grid.
  await clickAt(page, [[b.w - pad, b.s - pad], [b.e + pad, b.s - pad], [b.e + pad, b.n + pad], [b.w - pad, b.n + pad]]);
  await page.getByTestId('finish-draw').click();
  await expect(map).toHaveAttribute('data-grids', '2');
  await expect(page.getByTestId('problems')).not.toContainText('不在任何网格');
  await expect(page.getByTestId('editor-grids').locator('tbody tr')).toHaveCount(2);
  await page.screenshot({ path: info.outputPath('editor-empty-drawn.png') });

  // Nothing is left to draw on: refused, with the reason.
  await clickAt(page, [[b.w, b.s], [b.e, b.s], [b.e, b.n]]);
  await page.getByTestId('finish-draw').click();
  await expect(page.getByTestId('refused')).toContainText('没有尚未划入网格的园区用地');
  await expect(map).toHaveAttribute('data-grids', '2');

  await page.getByTestId('save').click();
  await expect(page.getByText('草稿已保存。')).toBeVisible();
});

test('a manager rebalances a grid left too small by a split with its neighbour: only those two change', async ({ page }, info) => {
  const map = await openDraftCopy(page);
  const grids = Number(await map.getAttribute('data-grids'));

  // Split some grid in two so that its smaller half is under 20 and, with its fullest neighbour
  // other than the other half, over 40 (two grids' worth: a rebalance of 40 or fewer rightly
  // makes one grid of them).
  const third = async (halves: { cut: string; added: string }) => {
    const n = await counts(map);
    const small = n[halves.added] <= n[halves.cut] ? halves.added : halves.cut;
    const next: string[] = await map.evaluate((el: any, [small, halves]: [string, { cut: string; added: string }]) => {
      const st = el._pgEditor;
      const corners = (g: any) => new Set((g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates).flat(2).map((c: any) => c[0] + ',' + c[1]));
      const mine = corners(st.grids.find((g: any) => g.code === small));
      return st.grids
        .filter((g: any) => g.code !== halves.cut && g.code !== halves.added)
        .filter((g: any) => [...corners(g)].filter((c) => mine.has(c)).length >= 2)
        .sort((a: any, b: any) => b.enterprise_count - a.enterprise_count)
        .map((g: any) => g.code);
    }, [small, halves] as [string, { cut: string; added: string }]);
    return { small, other: next[0], n };
  };
  const halves = await splitSomeGrid(page, map, grids, async (h) => {
    const { small, other, n } = await third(h);
    return other !== undefined && n[small] < 20 && n[small] + n[other] > 40;
  });
  await expect(map).toHaveAttribute('data-grids', String(grids + 1));
  const { small, other, n } = await third(halves);
  const pick = { a: small, b: other, pa: await pointOf(map, small), pb: await pointOf(map, other), ca: n[small], cb: n[other] };
  expect(pick.ca).toBeLessThan(20);

  await page.getByTestId('mode-rebalance').click();
  await page.mouse.click(pick.pa.x, pick.pa.y);
  await page.mouse.click(pick.pb.x, pick.pb.y);
  await expect(page.getByTestId('rebalance')).toHaveText('再平衡所选 2 个网格');
  await page.getByTestId('rebalance').click();
  await expect(page.getByText('正在处理…')).toHaveCount(0);
  await expect(page.getByTestId('moved-count')).toBeVisible();
  // Enterprises moved, all of them between the two grids; the small one is within 20–40 now.
  const moves = await page.getByTestId('moves').locator('li').allInnerTexts();
  expect(moves.length).toBeGreaterThan(0);
  for (const m of moves) {
    expect([`${pick.a} → ${pick.b}`, `${pick.b} → ${pick.a}`].some((x) => m.includes(x))).toBe(true);
  }
  await expect(map).toHaveAttribute('data-grids', String(grids + 1));
  const after = await map.evaluate((el: any, code: string) => el._pgEditor.grids.find((g: any) => g.code === code).enterprise_count, pick.a);
  expect(after).toBeGreaterThanOrEqual(20);
  expect(after + (await map.evaluate((el: any, code: string) => el._pgEditor.grids.find((g: any) => g.code === code).enterprise_count, pick.b))).toBe(pick.ca + pick.cb);
  await page.screenshot({ path: info.outputPath('editor-rebalanced.png') });
});
