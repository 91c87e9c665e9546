// Three tabs of one store share one profile: thirty interleaved events (views, searches, cart,
// a purchase, "Not interested") made across them all reach "Your data" and the export, the
// other tabs see each change without a reload, and a dismissal or a wipe in one tab holds in all.

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

const byTestId = (page, testid) => page.locator(`[data-testid="${testid}"]`);

/** The "Your data" count for an event kind, read in `page`. */
async function count(page, kind) {
  return Number(await page.locator(`[data-testid="event-counts"] tr[data-kind="${kind}"] td`).textContent());
}

/** Opens "Your data" in each of `pages` (leaving product pages records their dwell first),
 * then waits until each shows `expected` for every kind listed. */
async function countsReach(pages, expected) {
  for (const page of pages) {
    await page.goto(`${store.url}#/privacy`);
    await byTestId(page, 'privacy').waitFor();
  }
  for (const page of pages) await countsShown(page, expected);
}

async function countsShown(page, expected) {
  for (const [kind, value] of Object.entries(expected)) {
    await page.waitForFunction(
      ([kind, value]) =>
        document.querySelector(`[data-testid="event-counts"] tr[data-kind="${kind}"] td`)?.textContent === String(value),
      [kind, value],
      { timeout: 5000 },
    ).catch(() => {});
    assert.equal(await count(page, kind), value, `${kind} on "Your data"`);
  }
}

test('thirty events across three tabs are all kept, and every tab sees them', async () => {
  const context = await store.browser.newContext({ acceptDownloads: true });
  const tabs = [];
  const errors = [];
  for (let n = 0; n < 3; n += 1) {
    const page = await context.newPage();
    errors.push(collectErrors(page));
    await page.goto(store.url);
    await byTestId(page, 'rec-for-you').waitFor();
    tabs.push({ page, onProduct: false });
  }
  const products = (await itemIds(tabs[0].page, 'catalog')).slice(0, 20);
  const queries = ['lantern', 'tea towel', 'heart', 'bag', 'candle'];
  const expected = { view: 0, search: 0, add_to_cart: 0, dismiss: 0, purchase: 0, dwell: 0 };
  const dismissed = [];
  let viewed = 0;

  // Leaving a product page records its dwell time: one more event of kind "dwell".
  const leave = (tab) => {
    if (tab.onProduct) expected.dwell += 1;
    tab.onProduct = false;
  };
  const actions = {
    async view(tab) {
      leave(tab);
      const id = products[viewed];
      viewed += 1;
      await tab.page.goto(`${store.url}#/product/${id}`);
      await tab.page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();
      tab.onProduct = true;
      expected.view += 1;
    },
    async cart(tab) {
      assert.ok(tab.onProduct, 'the script adds to the cart on a product page');
      await byTestId(tab.page, 'add-to-cart').click();
      await byTestId(tab.page, 'in-cart').waitFor();
      expected.add_to_cart += 1;
    },
    async search(tab) {
      leave(tab);
      await byTestId(tab.page, 'search-input').fill(queries[expected.search]);
      await byTestId(tab.page, 'search-input').press('Enter');
      await byTestId(tab.page, 'search-results').waitFor();
      expected.search += 1;
    },
    async dismiss(tab) {
      leave(tab);
      await tab.page.goto(`${store.url}#/`);
      const card = tab.page.locator('[data-testid="rec-for-you"] [data-testid="rec-card"]').first();
      const id = await card.getAttribute('data-item-id');
      await card.locator('[data-testid="dismiss"]').click();
      await tab.page.locator(`[data-testid="rec-for-you"] [data-item-id="${id}"]`).waitFor({ state: 'detached' });
      dismissed.push(id);
      expected.dismiss += 1;
    },
    async purchase(tab) {
      leave(tab);
      await tab.page.goto(`${store.url}#/cart`);
      // The cart holds what every tab added: this tab learned of the others' saves.
      const lines = tab.page.locator('[data-testid="cart-line"]');
      await tab.page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="cart-line"]').length === n,
        expected.add_to_cart,
        { timeout: 5000 },
      ).catch(() => {});
      assert.equal(await lines.count(), expected.add_to_cart, 'every tab\'s cart line, in the tab checking out');
      await byTestId(tab.page, 'checkout').click();
      await byTestId(tab.page, 'order-placed').waitFor();
      expected.purchase += expected.add_to_cart;
    },
  };
  // Ten rounds, each tab acting once per round: 15 views, 6 adds to cart, 5 searches,
  // 3 dismissals and one checkout.
  const script = [
    ['view', 'view', 'view'],
    ['cart', 'search', 'view'],
    ['view', 'dismiss', 'cart'],
    ['search', 'view', 'view'],
    ['view', 'cart', 'search'],
    ['cart', 'view', 'dismiss'],
    ['view', 'search', 'view'],
    ['dismiss', 'view', 'cart'],
    ['view', 'cart', 'search'],
    ['purchase', 'view', 'view'],
  ];
  for (const round of script) {
    for (const [n, action] of round.entries()) await actions[action](tabs[n]);
  }
  assert.equal(script.flat().length, 30);
  assert.deepEqual(
    { view: expected.view, search: expected.search, add_to_cart: expected.add_to_cart, dismiss: expected.dismiss },
    { view: 15, search: 5, add_to_cart: 6, dismiss: 3 },
  );
  for (const tab of tabs) leave(tab);

  // Every tab, none reloaded, shows every event on "Your data".
  await countsReach(tabs.map((tab) => tab.page), expected);

  // The browser was asked to keep the data, and "Your data" gives its answer.
  await tabs[1].page.waitForFunction(
    () => /keeps this data|may clear this data/.test(document.querySelector('[data-testid="storage-kept"]')?.textContent ?? ''),
  );

  // The export has them too: the counts, and each event among the recent ones.
  const page = tabs[1].page;
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, 'export').click()]);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  for (const [kind, value] of Object.entries(expected)) {
    assert.equal(exported.profile.counts[kind] ?? 0, value, `${kind} counted in the export`);
    const recent = exported.profile.recent.filter((event) => event.kind === kind).length;
    assert.equal(recent, value, `${kind} events in the export`);
  }

  // "Not interested" in one tab holds in every tab.
  for (const { page } of tabs) {
    await page.goto(`${store.url}#/`);
    const shown = await itemIds(page, 'rec-for-you');
    for (const id of dismissed) assert.ok(!shown.includes(id), `${id} dismissed in one tab, shown in another`);
  }

  // A wipe in one tab holds in every tab, also when another tab acts afterwards.
  await tabs[0].page.goto(`${store.url}#/privacy`);
  await byTestId(tabs[0].page, 'wipe').click();
  await byTestId(tabs[0].page, 'wipe-confirm').click();
  await byTestId(tabs[0].page, 'wiped').waitFor();
  await actions.view(tabs[2]);
  const afterWipe = { view: 1, search: 0, add_to_cart: 0, dismiss: 0, purchase: 0 };
  await countsReach(tabs.slice(0, 2).map((tab) => tab.page), afterWipe);

  await context.close();
  assert.deepEqual(errors.flat(), []);
});
