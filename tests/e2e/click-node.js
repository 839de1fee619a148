// Loads the graph view, zooms with the wheel, clicks the node of a
// function, and prints the zoom transform, the URL and the node count
// before and after: the click must focus the graph.
const { chromium } = require('playwright-core');

(async () => {
  const [url, name] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage();
  await page.goto(url);
  const before = await page.locator('#graph g.node').count();
  const box = await page.locator('#graph svg').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForTimeout(200);
  const zoom = await page.locator('#viewport').getAttribute('transform');
  const node = page.locator('#graph g.node', { hasText: name }).first();
  await Promise.all([page.waitForNavigation(), node.click()]);
  const after = await page.locator('#graph g.node').count();
  console.log(JSON.stringify({ before, after, zoom, url: page.url(), legend: await page.locator('#legend').textContent() }));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
