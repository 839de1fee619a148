// Drives the web UI in headless Chromium and prints what it saw as JSON,
// one key per behaviour; tests/web.rs asserts on each.
//   node ui.js BASE_URL
const { chromium } = require('playwright-core');

(async () => {
  const [base, diffBase] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  const out = {};
  const menu = async (name, entry) => {
    await page.click(`#menu-${name.toLowerCase()} > button`);
    await page.click(`#menu-${name.toLowerCase()} .submenu >> text=${entry}`);
  };

  // Graph: the search box highlights, a tag box and a drag do nothing
  // but pan, a click selects, REFINE > Focus applies the selection.
  await page.goto(`${base}/ui/graph`);
  out.graphNodes = await page.locator('#graph g.node').count();
  await page.fill('#search', 'Debugf');
  out.searchHilite = await page.locator('#graph g.node.hilite').count();
  out.searchMatches = await page.locator('#matches').textContent();
  await page.fill('#search', '');
  const tag = page.locator('#graph g.node[id^="NN"]').first();
  out.tagBoxes = await page.locator('#graph g.node[id^="NN"]').count();
  await tag.click();
  out.tagClickSelected = await page.locator('#graph g.node.selected').count();
  out.tagClickSearch = await page.inputValue('#search');
  const node = page.locator('#graph g.node', { hasText: 'Debugf' }).first();
  const box = await node.boundingBox();
  const before = await page.locator('#viewport').getAttribute('transform');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  out.dragPanned = (await page.locator('#viewport').getAttribute('transform')) !== before;
  out.dragSelected = await page.locator('#graph g.node.selected').count();
  await node.click();
  out.clickSelected = await page.locator('#graph g.node.selected').count();
  out.selectionRegex = await page.inputValue('#search');
  await Promise.all([page.waitForNavigation(), menu('REFINE', 'Focus')]);
  out.focusUrl = page.url();
  out.focusLegend = await page.locator('#legend').textContent();
  out.focusedNodes = await page.locator('#graph g.node').count();
  await Promise.all([page.waitForNavigation(), menu('REFINE', 'Reset')]);
  out.resetUrl = page.url();

  // SAMPLE switches the sample type; CONFIG saves and restores settings.
  await Promise.all([page.waitForNavigation(), menu('SAMPLE', 'alloc_space')]);
  out.sampleUrl = page.url();
  await page.click('#menu-config > button');
  await page.fill('#config-name', 'allocs');
  await page.click('#config-save');
  await page.goto(`${base}/ui/top`);
  await page.click('#menu-config > button');
  out.savedConfigs = await page.locator('#configs a.config').allTextContents();
  await Promise.all([page.waitForNavigation(), page.click('#configs a.config')]);
  out.restoredUrl = page.url();

  // Top: a row click selects, REFINE > Ignore drops it.
  await page.goto(`${base}/ui/top`);
  const row = page.locator('#top tbody tr', { hasText: 'fmt.Sprintf' }).first();
  await row.click();
  out.rowSelected = await page.locator('#top tbody tr.selected').count();
  await Promise.all([page.waitForNavigation(), menu('REFINE', 'Ignore')]);
  out.ignoreUrl = page.url();
  out.ignoredRowGone = (await page.locator('#top tbody tr', { hasText: 'fmt.Sprintf' }).count()) === 0;

  // The first click on a number column sorts largest first; VIEW > Source
  // lists what is selected.
  await page.goto(`${base}/ui/top`);
  await page.click('#top thead th:nth-child(4)');
  out.cumFirst = await page.locator('#top tbody tr').first().getAttribute('data-name');
  await page.locator('#top tbody tr', { hasText: 'Debugf' }).first().click();
  await Promise.all([page.waitForNavigation(), menu('VIEW', 'Source')]);
  out.sourceUrl = page.url();
  out.sourceRoutines = await page.locator('main h2').count();

  // Flame graph: fills the window, zooms on click, searches in place.
  await page.goto(`${base}/ui/flamegraph`);
  const flameWidth = (await page.locator('#flame').boundingBox()).width;
  const rootWidth = (await page.locator('#flame .frame').first().boundingBox()).width;
  out.flameFills = Math.abs(flameWidth - rootWidth) < 2 && flameWidth > 1300;
  const frame = page.locator('#flame .frame', { hasText: 'handleSubmit' }).first();
  const narrow = (await frame.boundingBox()).width;
  await frame.click();
  const zoomedFrame = page.locator('#flame .frame', { hasText: 'handleSubmit' }).first();
  out.zoomWidens = narrow < (await zoomedFrame.boundingBox()).width - 1;
  await page.fill('#search', 'Sprintf');
  out.flameHilite = await page.locator('#flame .frame.hilite').count();
  out.dialogs = dialogs;

  // On a -diff_base server the flame graph draws each frame's change.
  if (diffBase) {
    await page.goto(`${diffBase}/ui/flamegraph`);
    // Visible: what the page shows at the bar's left edge is the bar.
    out.diffBars = await page.$$eval('#flame .frame .change', (bars) => bars.filter((b) => {
      const r = b.getBoundingClientRect();
      return r.width > 1 && document.elementFromPoint(r.left + 1, r.bottom - 2) === b;
    }).length);
    out.diffRoot = await page.locator('#flame .frame').first().textContent();
  }

  // An empty result says why.
  await page.goto(`${base}/ui/top?f=nothing-matches-this`);
  out.note = await page.locator('.note').allTextContents();
  console.log(JSON.stringify(out));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
