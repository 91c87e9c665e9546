// A shopper's journey through every page of the store: search, product, cart, checkout, the
// home page's personal shelves with their reasons, "Not interested", and the privacy center's
// export and wipe. Each test uses a fresh browser context (a new shopper).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { collectErrors, itemIds, openStore } from './harness.mjs';

let store;
before(async () => {
  store = await openStore();
});
after(async () => {
  await store?.close();
});

/** A new shopper: a fresh context has empty storage. Closing it asserts the page logged no
 * error (so nothing was blocked by the Content-Security-Policy either). */
async function newShopper() {
  const context = await store.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  return {
    page,
    context: {
      async close() {
        await context.close();
        assert.deepEqual(errors, []);
      },
    },
  };
}

const byTestId = (page, testid) => page.locator(`[data-testid="${testid}"]`);

async function search(page, query) {
  await byTestId(page, 'search-input').fill(query);
  await byTestId(page, 'search-input').press('Enter');
  await byTestId(page, 'search-results').waitFor();
}

async function openProduct(page, id) {
  await page.goto(`${store.url}#/product/${encodeURIComponent(id)}`);
  await page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();
}

async function goHome(page) {
  await page.goto(`${store.url}#/`);
  await byTestId(page, 'rec-for-you').waitFor();
}

async function titlesIn(page, testid) {
  return page.locator(`[data-testid="${testid}"] .card-title`).allTextContents();
}

test('a new shopper sees sensible sections, never an empty one', async () => {
  const { context, page } = await newShopper();
  await byTestId(page, 'banner').waitFor();
  assert.equal((await itemIds(page, 'rec-for-you')).length, 8);
  assert.equal((await itemIds(page, 'rec-trending')).length, 8);
  // Personal shelves with nothing in them are not shown at all.
  assert.equal(await byTestId(page, 'rec-buy-again').count(), 0);
  assert.equal(await byTestId(page, 'rec-recent').count(), 0);
  assert.equal(await byTestId(page, 'cart-count').textContent(), '0');
  // The demo's data credit is its bundle's (scripts/demo-bundle), not the store's.
  assert.match(await byTestId(page, 'credit').textContent(), /^Demo catalog: the Online Retail data set .* CC BY 4\.0\.$/);
  await context.close();
});

test('search forgives plurals and typos, and each result opens its page', async () => {
  const { context, page } = await newShopper();
  await search(page, 'lantern');
  const exact = await titlesIn(page, 'search-results');
  assert.ok(exact.length >= 10, `${exact.length} results`);
  assert.ok(exact.slice(0, 10).every((title) => /lantern/i.test(title)), exact.slice(0, 10).join(' | '));

  await search(page, 'lantrens');
  const typo = await titlesIn(page, 'search-results');
  assert.ok(typo.slice(0, 10).every((title) => /lantern/i.test(title)), typo.slice(0, 10).join(' | '));

  const first = page.locator('[data-testid="search-results"] [data-testid="product-card"]').first();
  const id = await first.getAttribute('data-item-id');
  await first.locator('a').click();
  await page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();

  await search(page, 'zzzzqqq');
  await byTestId(page, 'search-empty').waitFor();
  await context.close();
});

test('viewing lanterns makes "For you" mostly lanterns, and says why', async () => {
  const { context, page } = await newShopper();
  await search(page, 'lantern');
  const lanterns = await itemIds(page, 'search-results');
  for (const id of lanterns.slice(0, 4)) {
    await openProduct(page, id);
  }
  await goHome(page);
  const titles = await titlesIn(page, 'rec-for-you');
  const lanternish = titles.filter((title) => /lantern/i.test(title));
  assert.ok(lanternish.length >= 5, titles.join(' | '));

  const card = page.locator('[data-testid="rec-for-you"] [data-testid="rec-card"]').first();
  await card.locator('[data-testid="why"]').click();
  assert.match(await card.locator('[data-testid="why-text"]').textContent(), /^Because you (viewed|searched for)/);

  // What was viewed is under "Recently viewed", latest first.
  assert.deepEqual((await itemIds(page, 'rec-recent')).slice(0, 4), lanterns.slice(0, 4).reverse());
  await context.close();
});

test('add to cart, check out, and the purchase appears under "Buy it again"', async () => {
  const { context, page } = await newShopper();
  assert.equal(await byTestId(page, 'banner').getAttribute('data-audience'), 'New visitor');
  await openProduct(page, '85123A');
  await byTestId(page, 'add-to-cart').click();
  await byTestId(page, 'add-to-cart').click();
  await byTestId(page, 'in-cart').waitFor();
  assert.equal(await byTestId(page, 'cart-count').textContent(), '2');

  await byTestId(page, 'cart-link').click();
  await page.locator('[data-testid="cart-line"][data-item-id="85123A"]').waitFor();
  assert.match(await byTestId(page, 'cart-total').textContent(), /^£\d+\.\d\d$/);
  await byTestId(page, 'checkout').click();
  await byTestId(page, 'order-placed').waitFor();
  await byTestId(page, 'cart-empty').waitFor();
  assert.equal(await byTestId(page, 'cart-count').textContent(), '0');

  // Before the first order the banner speaks to a visitor; after it, to the shopper's segment.
  await goHome(page);
  const audience = await byTestId(page, 'banner').getAttribute('data-audience');
  assert.equal(audience, 'Promising', 'one small order today is a promising start');
  assert.equal(await byTestId(page, 'rec-buy-again').count(), 1);
  assert.deepEqual(await itemIds(page, 'rec-buy-again'), ['85123A']);
  const card = page.locator('[data-testid="rec-buy-again"] [data-testid="rec-card"]').first();
  await card.locator('[data-testid="why"]').click();
  assert.equal(await card.locator('[data-testid="why-text"]').textContent(), 'You bought this before');
  // Bought, so no longer a discovery.
  assert.ok(!(await itemIds(page, 'rec-for-you')).includes('85123A'));

  await page.reload();
  assert.deepEqual(await itemIds(page, 'rec-buy-again'), ['85123A']);
  await byTestId(page, 'privacy-link').click();
  assert.match(await byTestId(page, 'segment').textContent(), /^[A-Z][a-z]+( [a-z]+)?( \d+)?: worked out on this device/);
  await context.close();
});

test('"Complete your order" offers what goes with everything in the cart, and says with what', async () => {
  const { context, page } = await newShopper();
  const inCart = { '85123A': '', '22633': '' };
  for (const id of Object.keys(inCart)) {
    await openProduct(page, id);
    inCart[id] = (await byTestId(page, 'product-title').textContent()).trim();
    await byTestId(page, 'add-to-cart').click();
    await byTestId(page, 'in-cart').waitFor();
  }
  await byTestId(page, 'cart-link').click();
  await byTestId(page, 'rec-complete-order').waitFor();
  const offered = await itemIds(page, 'rec-complete-order');
  assert.equal(offered.length, 8);
  assert.deepEqual(offered.filter((id) => id in inCart), [], 'nothing already in the cart');
  const cards = page.locator('[data-testid="rec-complete-order"] [data-testid="rec-card"]');
  for (let index = 0; index < offered.length; index += 1) {
    await cards.nth(index).locator('[data-testid="why"]').click();
    const why = await cards.nth(index).locator('[data-testid="why-text"]').textContent();
    assert.ok(Object.values(inCart).some((title) => why === `Often bought with ${title}`), `${offered[index]}: ${why}`);
  }
  // Checked out, the cart is empty and there is nothing to complete.
  await byTestId(page, 'checkout').click();
  await byTestId(page, 'cart-empty').waitFor();
  assert.equal(await byTestId(page, 'rec-complete-order').count(), 0);
  await context.close();
});

test('"Not interested" removes a product, and it stays removed after reload', async () => {
  const { context, page } = await newShopper();
  const before = await itemIds(page, 'rec-for-you');
  const dismissed = before[0];
  // The dismissed product's shard is fetched before the shelf is ranked again; meanwhile the
  // shelf keeps its other cards, in place, rather than leaving the page or being pushed down.
  await page.evaluate(() => {
    const shelf = () => document.querySelector('[data-testid="rec-for-you"]');
    const top = shelf().getBoundingClientRect().top;
    window.forYouLeft = false;
    window.forYouMoved = false;
    new MutationObserver(() => {
      if (!shelf()?.querySelector('[data-testid="rec-card"]')) window.forYouLeft = true;
      else if (Math.abs(shelf().getBoundingClientRect().top - top) > 0.5) window.forYouMoved = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await page
    .locator(`[data-testid="rec-for-you"] [data-testid="rec-card"][data-item-id="${dismissed}"] [data-testid="dismiss"]`)
    .click();
  await page.locator(`[data-testid="rec-for-you"] [data-item-id="${dismissed}"]`).waitFor({ state: 'detached' });
  assert.ok(!(await itemIds(page, 'rec-trending')).includes(dismissed));
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="rec-for-you"] [data-testid="rec-card"]').length === 8);
  assert.equal(await page.evaluate(() => window.forYouLeft), false, 'the shelf stayed while it was ranked again');
  assert.equal(await page.evaluate(() => window.forYouMoved), false, 'nothing pushed the shelf while it was ranked again');

  await page.reload();
  assert.ok(!(await itemIds(page, 'rec-for-you')).includes(dismissed));
  assert.ok(!(await itemIds(page, 'rec-trending')).includes(dismissed));
  await context.close();
});

test('the privacy center exports what was just done, forgets, and wipes', async () => {
  const { context, page } = await newShopper();
  await search(page, 'tea towel');
  await openProduct(page, '85123A');
  await openProduct(page, '22633');
  await byTestId(page, 'privacy-link').click();
  await byTestId(page, 'privacy').waitFor();
  assert.equal(await page.locator('[data-testid="event-counts"] tr[data-kind="view"] td').textContent(), '2');
  assert.equal(await page.locator('[data-testid="event-counts"] tr[data-kind="search"] td').textContent(), '1');

  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export').click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.schema, 2);
  const kinds = exported.profile.recent.map((event) => `${event.kind}:${event.item ?? event.query}`);
  assert.deepEqual(
    kinds.filter((kind) => !kind.startsWith('dwell')),
    ['search:tea towel', 'view:85123A', 'view:22633'],
  );

  // The five features a marketer asks for, from this browser's own record.
  const feature = (name) => page.locator(`[data-testid="shopper-features"] tr[data-feature="${name}"] td`).textContent();
  assert.equal(await feature('browse-frequency'), '2.0');
  assert.equal(await feature('purchase-frequency'), '0');
  assert.equal(await feature('search-keywords'), 'tea, towel');
  assert.match(await feature('browse-duration'), /^\d+ s$/);
  assert.equal(await feature('purchase-amount'), '£0.00');

  // Interests by category: a T-light holder and a hand warmer.
  const categories = await byTestId(page, 'category-interests').textContent();
  assert.match(categories, /^By category: .*Candles & lighting \d+%/);
  assert.match(categories, /Bags & accessories \d+%/);

  // Forget one product: it leaves the interests (and their categories) and the recently viewed
  // shelf.
  await page.locator('[data-testid="interest"][data-item-id="85123A"] [data-testid="forget-item"]').click();
  await page.locator('[data-testid="interest"][data-item-id="85123A"]').waitFor({ state: 'detached' });
  assert.equal(await byTestId(page, 'category-interests').textContent(), 'By category: Bags & accessories 100%');
  await goHome(page);
  assert.deepEqual(await itemIds(page, 'rec-recent'), ['22633']);
  // One card on a shelf is as wide as each of a full shelf's eight.
  const width = async (testid) =>
    (await page.locator(`[data-testid="${testid}"] [data-testid="rec-card"]`).first().boundingBox()).width;
  assert.ok(Math.abs((await width('rec-recent')) - (await width('rec-for-you'))) < 1);

  // Wipe, after confirming: back to the new-shopper state, also after a reload.
  await byTestId(page, 'privacy-link').click();
  await byTestId(page, 'wipe').click();
  await byTestId(page, 'wipe-confirm').click();
  await byTestId(page, 'wiped').waitFor();
  await goHome(page);
  await page.reload();
  await byTestId(page, 'rec-for-you').waitFor();
  assert.equal(await byTestId(page, 'rec-recent').count(), 0);
  const stranger = await newShopper();
  assert.deepEqual(await itemIds(page, 'rec-for-you'), await itemIds(stranger.page, 'rec-for-you'));
  await stranger.context.close();
  await context.close();
});
