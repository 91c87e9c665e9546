// A shop in Simplified Chinese that also offers English and German (`aisle build --locale zh-CN
// --more-locales en-GB,de-DE`): each shopper is spoken to in the first of their browser's
// languages the shop offers, may pick another in the masthead, and finds it kept on their next
// visit; prices stay in the shop's currency, written the chosen locale's way; product titles stay
// in the shop's language. The choice is shown on "Your data" and wiped with the rest.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, collectErrors, openStore, smallShopOrders, siteWithoutBundle } from './harness.mjs';

const TITLES = ['陶瓷茶杯', '红色茶壶', '白色金属灯笼', '蛋糕架', '棉质茶巾', '糖罐'];

let work;
let store;
let manifest;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'aisle-locales-'));
  const site = join(work, 'site');
  siteWithoutBundle(site);
  manifest = buildBundle(join(work, 'orders.csv'), smallShopOrders(TITLES, 12), site,
    ['--currency', 'CNY', '--locale', 'zh-CN', '--more-locales', 'en-GB,de-DE']);
  assert.deepEqual(manifest.more_locales, ['en-GB', 'de-DE']);
  store = await openStore({ root: site });
});
after(async () => {
  await store?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const forYouTitle = (page) => page.locator('[data-testid="rec-for-you"] h2').textContent();

test("a shopper is spoken to in their browser's language when the shop offers it, else the shop's", async () => {
  for (const [browserLocale, forYou, lang] of [
    ['en-US', 'For you', 'en-GB'],
    ['de-AT', 'Für dich', 'de-DE'],
    ['fr-FR', '为您推荐', 'zh-CN'],
  ]) {
    const context = await store.browser.newContext({ locale: browserLocale });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(store.url);
    await page.locator('[data-testid="rec-for-you"]').waitFor();
    assert.equal(await forYouTitle(page), forYou, browserLocale);
    assert.equal(await page.locator('html').getAttribute('lang'), lang, browserLocale);
    assert.equal(await page.locator('[data-testid="locale"]').inputValue(), lang, browserLocale);
    // The products' own titles are the shop's, in Chinese, and marked so.
    assert.equal(await page.locator('.card-title').first().getAttribute('lang'), 'zh-CN');
    assert.deepEqual(errors, [], browserLocale);
    await context.close();
  }
});

test('a shopper picks another locale in the masthead, keeps it, sees it on "Your data" and wipes it', async () => {
  const context = await store.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  // A shop that gave no --credit has no credit line at its foot.
  assert.equal(await page.locator('[data-testid="credit"]').count(), 0);
  const picker = page.locator('[data-testid="locale"]');
  // Each locale is named in its own language.
  assert.deepEqual(await picker.locator('option').allTextContents(), ['简体中文', 'English', 'Deutsch']);
  const englishPrice = await page.locator('.card-price').first().textContent();
  assert.match(englishPrice, /^CN¥1\d\.\d\d$/);

  const select = await picker.elementHandle();
  await picker.focus();
  await picker.selectOption('de-DE');
  await page.waitForFunction(() => document.documentElement.lang === 'de-DE');
  // The picker is the same element, still focused: a keyboard user stays where they were.
  assert.equal(await select.evaluate((element) => element.isConnected && document.activeElement === element), true);
  assert.equal(await forYouTitle(page), 'Für dich');
  assert.equal(await page.locator('[data-testid="privacy-link"]').textContent(), 'Deine Daten');
  // The same price in the same currency, written the German way.
  assert.match(await page.locator('.card-price').first().textContent(), /^1\d,\d\d\sCN¥$/);

  // The next visit keeps the choice, though the browser still prefers English.
  await page.reload();
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  assert.equal(await forYouTitle(page), 'Für dich');
  assert.equal(await picker.inputValue(), 'de-DE');

  await page.locator('[data-testid="privacy-link"]').click();
  const chosen = page.locator('[data-testid="locale-chosen"]');
  assert.match(await chosen.textContent(), /Deutsch/);
  await page.locator('[data-testid="wipe"]').click();
  await page.locator('[data-testid="wipe-confirm"]').click();
  await page.locator('[data-testid="wiped"]').waitFor();
  assert.equal(await chosen.count(), 0);
  // Wiped: the next visit follows the browser's language again.
  await page.goto(store.url);
  await page.reload();
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  assert.equal(await forYouTitle(page), 'For you');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the grid\'s "Show more" speaks the shop\'s language and shows the next products', async () => {
  // 30 products: more than the grid's first page of 24, so the button is there.
  const titles = Array.from({ length: 30 }, (_, n) => `Teekanne ${n + 1}`);
  const site = join(work, 'german-site');
  siteWithoutBundle(site);
  buildBundle(join(work, 'german-orders.csv'), smallShopOrders(titles, 12), site,
    ['--currency', 'EUR', '--locale', 'de-DE']);
  const german = await openStore({ root: site });
  try {
    const page = await german.browser.newPage();
    const errors = collectErrors(page);
    await page.goto(german.url);
    const more = page.locator('[data-testid="show-more"]');
    await more.waitFor();
    assert.equal((await more.textContent()).trim(), 'Mehr anzeigen');
    const cards = page.locator('[data-testid="catalog"] .card');
    assert.equal(await cards.count(), 24);
    await more.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="catalog"] .card').length === 30);
    assert.equal(await more.count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await german.close();
  }
});

// Last: it damages the bundle.
test("a locale whose texts fail their check is not offered, and the store says so without calling itself unpersonalised", async () => {
  const german = manifest.files.find((file) => file.part === 'ui.de-DE');
  appendFileSync(join(work, 'site', 'bundle', german.name), '\n');
  const context = await store.browser.newContext({ locale: 'de-AT' });
  const page = await context.newPage();
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  // German is off the list, so a German browser gets the shop's own Chinese.
  assert.equal(await forYouTitle(page), '为您推荐');
  assert.deepEqual(await page.locator('[data-testid="locale"] option').allTextContents(), ['简体中文', 'English']);
  const notice = page.locator('[data-testid="extras-unused"]');
  assert.ok((await notice.textContent()).includes(german.name), await notice.textContent());
  assert.equal(await page.locator('[data-testid="unpersonalised"]').count(), 0);
  await context.close();
});
