// The shop's merchandising in the store: with rules in the bundle's manifest (as `aisle build
// --merchandising` writes them), a pinned product stands at its position and says the shop
// picked it, and a hidden product is on no shelf: not on the home page's, not on a product
// page's, not in the cart's.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemIds, openStore } from './harness.mjs';

const SHELVES = ['rec-for-you', 'rec-trending', 'rec-similar', 'rec-bought-together', 'rec-complete-order'];

let plain;
let work;
before(async () => {
  plain = await openStore();
  work = mkdtempSync(join(tmpdir(), 'aisle-merchandising-'));
});
after(async () => {
  await plain?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Every shelf's products on the page now. */
async function shelves(page) {
  const found = {};
  for (const shelf of SHELVES) {
    if ((await page.locator(`[data-testid="${shelf}"]`).count()) > 0) found[shelf] = await itemIds(page, shelf);
  }
  return found;
}

/** The shelves of home, the product page of `item` and the cart holding `item`. */
async function visit(store, item) {
  const context = await store.browser.newContext();
  const page = await context.newPage();
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  const home = await shelves(page);
  const grid = await itemIds(page, 'catalog');
  await page.goto(`${store.url}#/product/${item}`);
  await page.locator('[data-testid="rec-bought-together"]').waitFor();
  const product = await shelves(page);
  await page.locator('[data-testid="add-to-cart"]').click();
  await page.goto(`${store.url}#/cart`);
  await page.locator('[data-testid="rec-complete-order"]').waitFor();
  const cart = await shelves(page);
  return { page, context, home, grid, product, cart };
}

test('a pinned product stands at its position, and a hidden one is on no shelf', async () => {
  // Without rules: pick a product the shelves show, to hide, and one from far down, to pin.
  const before = await visit(plain, '85123A');
  const hidden = before.product['rec-bought-together'][0];
  const pinned = before.grid.at(-1);
  await before.context.close();

  const site = join(work, 'site');
  cpSync('dist', site, { recursive: true });
  const manifestPath = join(site, 'bundle', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.merchandising = { hide: [hidden], pin: [{ product: pinned, shelf: 'for-you', position: 2 }] };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const store = await openStore({ root: site });
  try {
    const after = await visit(store, '85123A');
    assert.equal(after.home['rec-for-you'][1], pinned);
    for (const [where, found] of Object.entries({ home: after.home, product: after.product, cart: after.cart })) {
      for (const [shelf, items] of Object.entries(found)) {
        assert.ok(!items.includes(hidden), `${hidden} is hidden, yet on ${where}'s ${shelf}`);
        assert.ok(items.length > 0, `${where}'s ${shelf} is not empty`);
      }
    }
    await after.page.goto(store.url);
    const pinnedCard = after.page.locator(`[data-testid="rec-for-you"] [data-item-id="${pinned}"]`);
    await pinnedCard.locator('[data-testid="why"]').click();
    assert.equal(await pinnedCard.locator('[data-testid="why-text"]').textContent(), 'Picked for you by the shop');
    await after.context.close();
  } finally {
    await store.close();
  }
});
