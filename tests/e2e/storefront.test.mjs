// The walking skeleton, end to end: the store loads its verified bundle, "For you" starts as
// what sells across the shop, viewing products changes it, and a reload keeps what the shopper
// did.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectErrors, itemIds, openStore, shardOf } from './harness.mjs';

let store;
before(async () => {
  store = await openStore();
});
after(async () => {
  await store?.close();
});

test('viewing products reshapes "For you", and a reload keeps it', async () => {
  const page = await store.browser.newPage();
  await page.goto(store.url);

  const grid = await itemIds(page, 'catalog');
  const firstForYou = await itemIds(page, 'rec-for-you');
  assert.equal(firstForYou.length, 8);
  // A new shopper is shown what sells now, spread over the categories; "Trending" below shows
  // what sells beside it, so no product is offered twice.
  const trending = await itemIds(page, 'rec-trending');
  assert.equal(trending.length, 8);
  assert.deepEqual(firstForYou.filter((id) => trending.includes(id)), []);

  // View two products from further down the grid, through the page as a shopper would.
  for (const id of [grid[10], grid[20]]) {
    await page.locator(`[data-testid="product-card"][data-item-id="${id}"]`).click();
    await page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();
    await page.goBack();
    await page.locator('[data-testid="rec-for-you"]').waitFor();
  }
  const afterViews = await itemIds(page, 'rec-for-you');
  assert.notDeepEqual(afterViews, firstForYou);
  assert.ok(!afterViews.includes(grid[10]) && !afterViews.includes(grid[20]), 'viewed items are not re-offered');

  await page.reload();
  assert.deepEqual(await itemIds(page, 'rec-for-you'), afterViews);
  await page.close();
});

test('a new shopper\'s first "For you" fetches no shard; a product viewed fetches its own shard only, and waits for it', async () => {
  const manifest = JSON.parse(readFileSync(join('dist', 'bundle', 'manifest.json'), 'utf8'));
  assert.ok(manifest.shards.length > 1, 'the demo catalog is large enough for several shards');
  // A context of its own, without service workers: every request reaches the route below.
  const context = await store.browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  const asked = [];
  await page.route(/\/bundle\/history-\d+\.[0-9a-f]{16}\.bin$/, async (route) => {
    asked.push(new URL(route.request().url()).pathname.split('/').pop());
    await held;
    await route.continue();
  });
  await page.goto(store.url);
  assert.equal((await itemIds(page, 'rec-for-you')).length, 8, 'shown with no shard fetched');
  assert.equal(await page.locator('[data-testid="personalising"]').count(), 0);
  assert.deepEqual(asked, []);

  // A product page ranks from the product viewed: its shelves wait for that product's shard, and
  // the page says what it is waiting for.
  const grid = await itemIds(page, 'catalog');
  await page.locator(`[data-testid="product-card"][data-item-id="${grid[3]}"]`).click();
  await page.locator('[data-testid="personalising"]').waitFor();
  assert.equal(await page.locator('[data-testid="rec-similar"]').count(), 0);
  assert.equal(await page.locator('[data-testid="rec-bought-together"]').count(), 0);
  release();
  assert.ok((await itemIds(page, 'rec-similar')).length > 0);
  await page.locator('[data-testid="personalising"]').waitFor({ state: 'detached' });
  const shard = shardOf(manifest, grid[3]);
  const named = (part) => new RegExp(`^${part}\\.[0-9a-f]{16}\\.bin$`);
  assert.equal(asked.length, 1, asked.join());
  assert.ok(named(`history-${shard}`).test(asked[0]), asked.join());
  await context.close();
});

test('a deep link to a product page works from a plain static server', async () => {
  const page = await store.browser.newPage();
  await page.goto(`${store.url}#/product/85123A`);
  const title = page.locator('[data-testid="product-page"] [data-testid="product-title"]');
  assert.equal(await title.textContent(), 'White Hanging Heart T-Light Holder');

  // Look-alikes are shown (other T-light holders), never the product itself.
  const similar = await itemIds(page, 'rec-similar');
  assert.ok(similar.length > 0 && !similar.includes('85123A'), similar.join());
  const firstSimilar = page.locator('[data-testid="rec-similar"] [data-testid="rec-card"]').first();
  assert.match(await firstSimilar.textContent(), /T-Light/i);

  // Its basket partners are shown, and each leads to its own page.
  const partners = await itemIds(page, 'rec-bought-together');
  assert.ok(partners.length > 0 && !partners.includes('85123A'), partners.join());
  await page.locator(`[data-testid="rec-bought-together"] [data-item-id="${partners[0]}"]`).click();
  await page.locator(`[data-testid="product-page"][data-item-id="${partners[0]}"]`).waitFor();
  await page.close();
});

test('a category link narrows the best sellers to it, keeps it on the way back, and "All" undoes it', async () => {
  const page = await store.browser.newPage();
  await page.goto(store.url);
  const everything = await itemIds(page, 'catalog');
  const filter = page.locator('[data-testid="category-filter"]');
  await filter.getByRole('link', { name: 'Kitchen & dining' }).click();
  await page.locator('[data-testid="catalog"] h2', { hasText: 'Kitchen & dining' }).waitFor();
  const kitchen = await itemIds(page, 'catalog');
  assert.equal(kitchen.length, 24, 'a full first page');
  assert.notDeepEqual(kitchen, everything);
  assert.equal(await filter.locator('[aria-current="page"]').textContent(), 'Kitchen & dining');
  // Each shown product is of that category, as its own page says; going back keeps the choice.
  for (const id of [kitchen[0], kitchen[23]]) {
    await page.locator(`[data-testid="catalog"] [data-item-id="${id}"]`).click();
    assert.equal(await page.locator('[data-testid="product-category"]').textContent(), 'Kitchen & dining');
    await page.goBack();
    assert.deepEqual(await itemIds(page, 'catalog'), kitchen);
  }
  await filter.getByRole('link', { name: 'All' }).click();
  await page.locator('[data-testid="catalog"] h2', { hasText: 'Best sellers' }).waitFor();
  assert.deepEqual(await itemIds(page, 'catalog'), everything);
  await page.close();
});

test('the store runs under a strict Content-Security-Policy with no inline script', async () => {
  const page = await store.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const directive of [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
  ]) {
    assert.ok(policy.includes(directive), `${directive} in ${policy}`);
  }
  assert.equal(await page.locator('script:not([src])').count(), 0);
  // The policy is enforced: an inline script injected now does not run.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
  });
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.ok(errors.every((error) => /Content Security Policy/.test(error)), errors.join('\n'));
  assert.equal(errors.length, 1, 'only the injected script was refused');
  await page.close();
});

test('an unknown product says so and links home', async () => {
  const page = await store.browser.newPage();
  await page.goto(`${store.url}#/product/NO-SUCH-ITEM`);
  await page.locator('[data-testid="not-found"]').waitFor();
  await page.locator('[data-testid="not-found"] a').click();
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  await page.close();
});
