// Opens a batch gallery (index.html) in headless Chromium, filters and
// sorts its cards, and prints what it saw as JSON for tests/batch.rs.
//   node gallery.js FILE_URL
const { chromium } = require('playwright-core');

(async () => {
  const [url] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  const visible = () => page.$$eval('.card:not(.hidden)', (cs) => cs.map((c) => c.dataset.name));
  const out = {};
  await page.fill('#filter', 't3');
  out.filtered = await visible();
  await page.fill('#filter', '');
  await page.selectOption('#sort', 'total');
  await page.check('#descending');
  out.byTotalDescending = await visible();
  await page.uncheck('#descending');
  await page.selectOption('#sort', 'name');
  out.byName = await visible();
  // Thumbnails show the top of the graph at the picture's own pixels
  // (96 dpi), not the whole graph shrunk.
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete && i.style.width));
  out.readableThumbnails = await page.$$eval('.thumb img', (imgs) => imgs.every((i) =>
    Math.abs(i.getBoundingClientRect().width - Math.max(i.parentNode.clientWidth, i.naturalWidth)) < 2));
  console.log(JSON.stringify(out));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
