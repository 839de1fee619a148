// Loads the graph view, clicks the node of a function, and prints the
// URL and node count before and after: the click must focus the graph.
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
  const node = page.locator('#graph g.node', { hasText: name }).first();
  await Promise.all([page.waitForNavigation(), node.click()]);
  const after = await page.locator('#graph g.node').count();
  console.log(JSON.stringify({ before, after, url: page.url(), legend: await page.locator('#legend').textContent() }));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
