// Zero egress: a whole shopper session (search, views, cart, checkout, "Not interested", "Why
// this?", the privacy center's export, forget and wipe) makes only GET requests for the site's
// own static files. Nothing carries what the shopper did, and no other origin is contacted: past
// the first load, the only files asked for are the shards the history needs, each named by its
// shard of at least 500 products, never by a product. The service worker (www/sw.js) asks for
// nothing the page did not, and the server sends each file of the first load once.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, itemIds, openStore } from './harness.mjs';

let store;
before(async () => {
  store = await openStore();
});
after(async () => {
  await store?.close();
});

/** Is this URL one of dist/'s files, fetched plainly from the store's own origin and path? */
function isOwnStaticFile(url, origin) {
  const parsed = new URL(url);
  if (parsed.origin !== origin || parsed.search !== '' || !parsed.pathname.startsWith(BASE)) return false;
  const relative = decodeURIComponent(parsed.pathname.slice(BASE.length)) || 'index.html';
  const file = join('dist', relative);
  return existsSync(file) && statSync(file).isFile();
}

test('a whole session requests nothing but the site\'s own static files', async () => {
  const context = await store.browser.newContext({ acceptDownloads: true });
  const requests = [];
  const workerRequests = [];
  context.on('request', (request) => {
    // The service worker's own requests: its script, the copies it keeps of what the page
    // fetched, and the page's requests it passes on once it is in control.
    if (request.serviceWorker()) {
      workerRequests.push(request);
      return;
    }
    requests.push({
      url: request.url(),
      method: request.method(),
      body: request.postData(),
      headers: request.headers(),
    });
  });
  const sent = [];
  const countSent = (request) => sent.push(request.url);
  store.server.on('request', countSent);
  const page = await context.newPage();
  const origin = new URL(store.url).origin;
  const byTestId = (testid) => page.locator(`[data-testid="${testid}"]`);

  await page.goto(store.url);
  await byTestId('rec-for-you').waitFor();
  await page.waitForLoadState('networkidle');
  const loaded = requests.length;

  await byTestId('search-input').fill('lantern');
  await byTestId('search-input').press('Enter');
  await byTestId('search-results').waitFor();
  const [first] = await itemIds(page, 'search-results');
  await page.locator(`[data-testid="search-results"] [data-item-id="${first}"] a`).click();
  await byTestId('add-to-cart').click();
  await byTestId('cart-link').click();
  await byTestId('checkout').click();
  await byTestId('order-placed').waitFor();
  await page.goto(`${store.url}#/`);
  const card = page.locator('[data-testid="rec-for-you"] [data-testid="rec-card"]').first();
  await card.locator('[data-testid="why"]').click();
  await card.locator('[data-testid="dismiss"]').click();
  await byTestId('privacy-link').click();
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId('export').click()]);
  await download.path();
  await page.locator('[data-testid="forget-item"]').first().click();
  await byTestId('wipe').click();
  await byTestId('wipe-confirm').click();
  await byTestId('wiped').waitFor();
  await page.reload();
  await byTestId('privacy').waitFor();
  await context.close();
  store.server.off('request', countSent);

  assert.ok(requests.length > loaded, 'the reload fetched the site again');
  for (const request of requests) {
    // The export is a download from memory (a blob: URL of this origin), not a request out.
    if (request.url.startsWith(`blob:${origin}/`)) continue;
    assert.equal(request.method, 'GET', request.url);
    assert.equal(request.body, null, request.url);
    assert.ok(isOwnStaticFile(request.url, origin), `not one of the site's files: ${request.url}`);
    for (const [name, value] of Object.entries(request.headers)) {
      assert.ok(!/lantern|85123A|aisle\.events/i.test(value), `${request.url}: header ${name} carries ${value}`);
    }
  }
  // Between loading and the reload, nothing new was fetched but files the manifest marks on
  // demand, the shards (Chromium re-requests the favicon on navigation, a file it already had):
  // the session itself ran on the device.
  const atLoad = new Set(requests.slice(0, loaded).map((request) => request.url));
  // Each file once: the bundle's preloads are the very requests the app makes, and the service
  // worker's copies of them come from the HTTP cache.
  assert.equal(atLoad.size, loaded, requests.slice(0, loaded).map((request) => request.url).join('\n'));
  // Over the whole session the server sent each file once, but for what the reload asked again
  // because a deploy may have changed it: the rest came from the worker's copies. (Chromium
  // fetches the favicon outside the page's HTTP cache, so the worker's copy of it may be a
  // second download of that one small file.)
  const timesSent = new Map();
  for (const path of sent.filter((path) => !path.includes('favicon'))) {
    timesSent.set(path, (timesSent.get(path) ?? 0) + 1);
  }
  const again = [...timesSent].filter(([, times]) => times > 1);
  assert.deepEqual(again.sort(), [[BASE, 2], [`${BASE}bundle/manifest.json`, 2]], sent.join('\n'));
  const pageRequested = new Set(requests.map((request) => request.url));
  assert.ok(workerRequests.length > 0, 'the service worker was installed');
  for (const request of workerRequests) {
    assert.equal(request.method(), 'GET', request.url());
    assert.ok(
      request.url() === new URL('sw.js', store.url).href || pageRequested.has(request.url()),
      `the service worker asked for what the page did not: ${request.url()}`,
    );
  }
  const during = requests.slice(loaded).filter((request) => !request.url.startsWith('blob:'));
  const reloadStart = during.findIndex((request) => new URL(request.url).pathname === BASE);
  const session = during.slice(0, reloadStart === -1 ? during.length : reloadStart);
  const manifest = JSON.parse(readFileSync(join('dist', 'bundle', 'manifest.json'), 'utf8'));
  const onDemand = new Set(
    manifest.files.filter((file) => file.on_demand).map((file) => new URL(`bundle/${file.name}`, store.url).href),
  );
  const fetchedInSession = session.filter((request) => !atLoad.has(request.url)).map((request) => request.url);
  assert.ok(fetchedInSession.length > 0, 'the product viewed needed its shard');
  assert.deepEqual(fetchedInSession.filter((url) => !onDemand.has(url)), []);
  for (const url of fetchedInSession) {
    assert.match(new URL(url).pathname, /\/bundle\/history-\d+\.[0-9a-f]{16}\.bin$/);
  }
  assert.ok(reloadStart > -1, 'the reload was seen');
});
