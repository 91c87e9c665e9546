// A shop that sells in Simplified Chinese: its bundle (built with `--locale zh-CN --currency
// CNY` from a small order log with Chinese product names) gives the store Aisle's Chinese
// marketing copy, prices in yuan, product titles marked as Chinese, and a search that finds
// Chinese words inside titles written without spaces.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, collectErrors, itemIds, openStore, smallShopOrders, siteWithoutBundle } from './harness.mjs';

/** Product 10001 onwards: a ceramic teacup, a red teapot, a white metal lantern, a cake stand,
 * a cotton tea towel and a sugar bowl. */
const TITLES = ['陶瓷茶杯', '红色茶壶', '白色金属灯笼', '蛋糕架', '棉质茶巾', '糖罐'];
const id = (title) => String(10001 + TITLES.indexOf(title));

let work;
let store;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'aisle-zh-'));
  const site = join(work, 'site');
  siteWithoutBundle(site);
  buildBundle(join(work, 'orders.csv'), smallShopOrders(TITLES, 12), site, [
    '--currency', 'CNY', '--locale', 'zh-CN', '--credit', '图片：茶叶小店',
  ]);
  store = await openStore({ root: site });
});
after(async () => {
  await store?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function search(page, query) {
  await page.locator('[data-testid="search-input"]').fill(query);
  await page.locator('[data-testid="search-input"]').press('Enter');
  await page.locator('[data-testid="search-results"]').waitFor();
  return itemIds(page, 'search-results');
}

test('a Chinese shop writes its copy in Chinese, its prices in yuan, and finds words in titles', async () => {
  const context = await store.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  const banner = page.locator('[data-testid="banner"]');
  await banner.waitFor();
  // A new shopper's banner, from copy/zh-CN.txt, featuring one of the shop's products.
  const headline = await banner.locator('h1').textContent();
  const body = await banner.locator('p').first().textContent();
  assert.match(headline, /欢迎光临|在您的设备上为您挑选/);
  assert.ok(TITLES.some((title) => body.includes(title)), body);
  assert.match(await page.locator('.card-price').first().textContent(), /¥\s?1\d\.\d\d/);
  // Product titles are marked as the shop's language, so a screen reader reads them as Chinese.
  assert.equal(await page.locator('.card-title').first().getAttribute('lang'), 'zh-CN');

  // "茶杯" (teacup) is inside "陶瓷茶杯": found first, though no space sets it apart.
  const teacup = await search(page, '茶杯');
  assert.equal(teacup[0], id('陶瓷茶杯'));
  // "灯笼" (lantern) is in one title only.
  assert.deepEqual(await search(page, '灯笼'), [id('白色金属灯笼')]);
  // "茶" (tea) is in the cup, the pot and the towel.
  assert.deepEqual(
    (await search(page, '茶')).sort(),
    [id('陶瓷茶杯'), id('红色茶壶'), id('棉质茶巾')].sort(),
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("the store's own words are Chinese too, and the page says so", async () => {
  const context = await store.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  // Screen readers and translation tools read the page as Chinese.
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.locator('[data-testid="rec-for-you"] h2').textContent(), '为您推荐');
  assert.equal(await page.locator('[data-testid="privacy-link"]').textContent(), '您的数据');
  assert.equal(await page.locator('form[role="search"] button').textContent(), '搜索');
  // The foot carries the shop's own line, and not the demo's.
  assert.equal(await page.locator('[data-testid="credit"]').textContent(), '图片：茶叶小店');
  // A reason names the product in a Chinese sentence.
  const card = page.locator('[data-testid="rec-card"]').first();
  await card.locator('[data-testid="why"]').click();
  assert.match(await card.locator('[data-testid="why-text"]').textContent(), /热门|畅销|为您|因为|相似/);
  // A count reads as Chinese writes it: the results heading of a search.
  await search(page, '茶');
  assert.match(await page.locator('[data-testid="search-results"] h1').textContent(), /^3 件商品与“茶”匹配$/);
  await page.locator('[data-testid="privacy-link"]').click();
  assert.equal(await page.locator('#privacy-title').textContent(), '您的数据');
  assert.deepEqual(errors, []);
  await context.close();
});
