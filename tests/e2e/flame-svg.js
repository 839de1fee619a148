// Opens a standalone -flamegraph SVG in headless Chromium, searches it in
// place (click Search, type, Enter) and prints what it saw as JSON.
//   node flame-svg.js FILE_URL TEXT
const { chromium } = require('playwright-core');

(async () => {
  const [url, text] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await page.goto(url);
  await page.click('#search');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  const out = {
    hits: await page.locator('g.frame.hit').count(),
    frames: await page.locator('g.frame').count(),
    label: await page.locator('#search').textContent(),
    dialogs,
  };
  await page.keyboard.type('x');
  out.typingEndsWithEnter = (await page.locator('#search').textContent()) === out.label;
  await page.click('#search');
  await page.keyboard.press('Escape');
  out.cleared = await page.locator('g.frame.hit').count();
  console.log(JSON.stringify(out));
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
