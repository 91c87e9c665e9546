// Where the profile lives, and what happens when storage misbehaves: it is kept in IndexedDB;
// an older version's localStorage profile is moved in; damaged data is set aside with a notice;
// with no storage at all the store still works for the visit and says so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { collectErrors, itemIds, openStore } from './harness.mjs';

let store;
before(async () => {
  store = await openStore();
});
after(async () => {
  await store?.close();
});

/** The text under `key` in the store's IndexedDB (`aisle` / `profiles`), or null. */
function readIndexedDb(page, key = 'aisle.events') {
  return page.evaluate(
    (key) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('aisle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('profiles').objectStore('profiles').get(key);
          request.onsuccess = () => resolve(request.result ?? null);
          request.onerror = () => reject(request.error);
        };
      }),
    key,
  );
}

function writeIndexedDb(page, text) {
  return page.evaluate(
    (text) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('aisle');
        open.onsuccess = () => {
          const transaction = open.result.transaction('profiles', 'readwrite');
          transaction.objectStore('profiles').put(text, 'aisle.events');
          transaction.oncomplete = () => resolve();
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    text,
  );
}

async function viewAndReturn(page, id) {
  await page.goto(`${store.url}#/product/${id}`);
  await page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();
  await page.goto(`${store.url}#/`);
  await page.locator('[data-testid="rec-recent"]').waitFor();
}

test('the profile is kept in IndexedDB, not localStorage', async () => {
  const context = await store.browser.newContext();
  const page = await context.newPage();
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  await viewAndReturn(page, '85123A');
  const stored = JSON.parse(await readIndexedDb(page));
  assert.equal(stored.schema, 2);
  assert.ok('85123A' in stored.profile.items);
  assert.equal(await page.evaluate(() => localStorage.getItem('aisle.events')), null);
  await context.close();
});

test('a profile an older version kept in localStorage is moved into IndexedDB', async () => {
  const context = await store.browser.newContext();
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('aisle.events', '{"schema":1,"events":[{"at_ms":1,"kind":"view","item":"22633"}]}');
    }
  });
  const page = await context.newPage();
  await page.goto(store.url);
  assert.deepEqual(await itemIds(page, 'rec-recent'), ['22633']);
  assert.equal(await page.evaluate(() => localStorage.getItem('aisle.events')), null);
  assert.ok(JSON.parse(await readIndexedDb(page)).profile.items['22633']);
  await page.reload();
  assert.deepEqual(await itemIds(page, 'rec-recent'), ['22633']);
  await context.close();
});

test('damaged stored data is set aside, the shopper is told, and the store works', async () => {
  const context = await store.browser.newContext();
  const page = await context.newPage();
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  await writeIndexedDb(page, '{"schema":2,"profile":{"items":');
  await page.reload();
  const notice = page.locator('[data-testid="notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be read .*kept aside/);
  assert.equal(await readIndexedDb(page, 'aisle.events.unreadable'), '{"schema":2,"profile":{"items":');
  await viewAndReturn(page, '85123A');
  assert.deepEqual(await itemIds(page, 'rec-recent'), ['85123A']);
  await context.close();
});

test('with no storage at all the visit still works, and the shopper is told', async () => {
  const context = await store.browser.newContext();
  await context.addInitScript(() => {
    const denied = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
    Object.defineProperty(window, 'indexedDB', { get: denied });
    Object.defineProperty(window, 'localStorage', { get: denied });
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  const notice = page.locator('[data-testid="notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /does not allow this site to store data/);
  const before = await itemIds(page, 'rec-for-you');
  await viewAndReturn(page, '85123A');
  assert.notDeepEqual(await itemIds(page, 'rec-for-you'), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a full disk: the shopper is told their activity was not saved, and the store goes on', async () => {
  const context = await store.browser.newContext();
  await context.addInitScript(() => {
    IDBObjectStore.prototype.put = function put() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const page = await context.newPage();
  await page.goto(store.url);
  const before = await itemIds(page, 'rec-for-you');
  await viewAndReturn(page, '85123A');
  const notice = page.locator('[data-testid="notice"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be saved on this device .*QuotaExceededError/);
  assert.notDeepEqual(await itemIds(page, 'rec-for-you'), before);
  await context.close();
});

test('a product viewed just before a reload is kept, though its save had not finished', async () => {
  const context = await store.browser.newContext();
  const page = await context.newPage();
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  // Another tab holds the profile store busy, so the view's save waits behind it and the reload
  // comes while it is unfinished (the window a shopper's quick reload falls into).
  const holder = await context.newPage();
  await holder.goto(store.url);
  await holder.evaluate(
    () =>
      new Promise((held) => {
        const open = indexedDB.open('aisle');
        open.onsuccess = () => {
          const store = open.result.transaction('profiles', 'readwrite').objectStore('profiles');
          const spin = () => {
            if (!window.released) store.get('nothing').onsuccess = spin;
          };
          spin();
          held();
        };
      }),
  );
  await page.goto(`${store.url}#/product/85123A`);
  await page.locator('[data-testid="product-page"][data-item-id="85123A"]').waitFor();
  // The reload opens the home page: reloaded, the product page would be on screen again, a
  // second view, as soon as the store renders, which it may or may not do before the test
  // could move on. The address changes without the store noticing, so the product page stays.
  await page.evaluate(() => history.replaceState(null, '', '#/'));
  await page.reload({ waitUntil: 'domcontentloaded' });
  await holder.evaluate(() => {
    window.released = true;
  });
  await page.locator('[data-testid="rec-recent"]').waitFor();
  assert.deepEqual(await itemIds(page, 'rec-recent'), ['85123A']);
  const stored = JSON.parse(await readIndexedDb(page));
  assert.equal(stored.profile.items['85123A'].views, 1, 'saved once');
  await context.close();
});
