// The JS package on a plain HTML page (www/embed, with the package as built, which
// scripts/build-site puts in dist/embed) against the demo bundle: views change the
// recommendations, export shows them, wipe forgets them; under a strict CSP, with no error and
// no request but for the page's own static files.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { BASE, collectErrors, openStore } from './harness.mjs';

let store;
before(async () => {
  if (!existsSync('dist/embed/pkg/aisle.js')) {
    throw new Error('dist/embed/pkg is missing: run scripts/build-site first');
  }
  store = await openStore();
});
after(async () => {
  await store?.close();
});

const ids = (page, testid) =>
  page.locator(`[data-testid="${testid}"] li`).evaluateAll((items) => items.map((item) => item.dataset.itemId));

test('the embed page tracks views, recommends, exports and wipes', async () => {
  const context = await store.browser.newContext();
  const requests = [];
  context.on('request', (request) => requests.push(`${request.method()} ${request.url()}`));
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${store.url}embed/`);
  const status = page.locator('[data-testid="embed-status"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="embed-status"]').textContent !== 'Loading…');
  assert.equal(await status.textContent(), 'Ready.');

  const first = await ids(page, 'embed-for-you');
  assert.equal(first.length, 8);
  const products = await ids(page, 'embed-products');
  for (const id of products.slice(3, 5)) {
    await page.locator(`[data-testid="embed-products"] li[data-item-id="${id}"] button`).click();
  }
  const after = await ids(page, 'embed-for-you');
  assert.notDeepEqual(after, first);
  const reasons = await page.locator('[data-testid="embed-for-you"] li small').allTextContents();
  assert.ok(reasons.some((reason) => /Because you viewed/.test(reason)), reasons.join('; '));

  await page.locator('[data-testid="embed-export"]').click();
  const exported = JSON.parse(await page.locator('[data-testid="embed-exported"]').textContent());
  assert.deepEqual(
    exported.profile.recent.map((event) => `${event.kind}:${event.item}`),
    products.slice(3, 5).map((id) => `view:${id}`),
  );

  await page.locator('[data-testid="embed-wipe"]').click();
  assert.deepEqual(await ids(page, 'embed-for-you'), first);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="embed-status"]').textContent === 'Ready.');
  assert.deepEqual(await ids(page, 'embed-for-you'), first, 'the wipe was saved');
  await context.close();

  assert.deepEqual(errors, []);
  const origin = new URL(store.url).origin;
  for (const request of requests) {
    assert.ok(request.startsWith(`GET ${origin}${BASE}`), request);
  }
});

test('the package runs in a Web Worker (www/embed/worker.js) and ranks there as on the page', async () => {
  const context = await store.browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${store.url}embed/`);
  await page.waitForFunction(() => document.querySelector('[data-testid="embed-status"]').textContent === 'Ready.');
  const onPage = await ids(page, 'embed-for-you');
  const inWorker = await page.evaluate(async () => {
    const worker = new Worker('worker.js', { type: 'module' });
    let next = 0;
    const call = (method, ...args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        const listener = ({ data }) => {
          if (data.id !== id) return;
          worker.removeEventListener('message', listener);
          if ('error' in data) reject(new Error(data.error));
          else resolve(data.result);
        };
        worker.addEventListener('message', listener);
        worker.postMessage({ id, method, args });
      });
    const forYou = async () => (await call('recommend', { placement: 'for-you', k: 8 })).map((item) => item.id);
    const before = await forYou();
    const trending = (await call('recommend', { placement: 'trending', k: 12 })).map((item) => item.id);
    for (const item of trending.slice(3, 5)) await call('track', { kind: 'view', item });
    const after = await forYou();
    const exported = JSON.parse(await call('exportProfile'));
    const unknown = await call('fly').catch((error) => error.message);
    await call('wipe');
    worker.terminate();
    return { before, after, viewed: trending.slice(3, 5), exported, unknown };
  });
  assert.deepEqual(inWorker.before, onPage, 'the worker ranks as the page does');
  assert.notDeepEqual(inWorker.after, inWorker.before, 'views in the worker change its ranking');
  assert.deepEqual(
    inWorker.exported.profile.recent.map((event) => `${event.kind}:${event.item}`),
    inWorker.viewed.map((id) => `view:${id}`),
  );
  assert.match(inWorker.unknown, /no method fly/);
  assert.deepEqual(errors, []);
  await context.close();
});
