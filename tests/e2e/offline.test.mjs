// Offline use: after one visit, the store reloads with no network at all (the server gone and
// the browser offline) and still shows "For you" built from what the shopper did, and "Your data".
// The service worker fetches only the site's own files, each of them at most once more (copied
// from the HTTP cache), and the installed store has a web app manifest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { BASE, collectErrors, itemIds, shardOf } from './harness.mjs';

const CACHE = 'aisle-offline';

test('after one visit the store works with no network', async () => {
  const { server, url } = await startServer({ root: 'dist', port: 0, base: BASE });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    const byServiceWorker = [];
    const byPage = new Set();
    context.on('request', (request) => {
      if (request.serviceWorker()) byServiceWorker.push(request.url());
      else byPage.add(request.url());
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(url);
    const [viewed] = await itemIds(page, 'rec-for-you');
    await page.goto(`${url}#/product/${viewed}`);
    await page.locator(`[data-testid="product-page"][data-item-id="${viewed}"]`).waitFor();
    await page.goto(`${url}#/`);
    await page.locator('[data-testid="rec-recent"]').waitFor();

    // Everything the store needs is kept: the page, its code, every file of the bundle its first
    // page loads, and the shard of the product viewed.
    const manifest = JSON.parse(readFileSync('dist/bundle/manifest.json', 'utf8'));
    const shard = shardOf(manifest, viewed);
    const needed = [
      '',
      'bundle/manifest.json',
      ...manifest.files
        .filter((file) => !file.on_demand || file.shard === shard)
        .map((file) => `bundle/${file.name}`),
    ];
    const kept = () => page.evaluate(
      async ([name, base]) => (await (await caches.open(name)).keys()).map((request) => request.url.slice(base.length)),
      [CACHE, url],
    );
    for (let waited = 0; ; waited += 100) {
      const paths = new Set(await kept());
      if (needed.every((path) => paths.has(path)) && [...paths].some((path) => path.endsWith('_bg.wasm'))) break;
      assert.ok(waited < 30_000, `after 30 s the service worker keeps only ${[...paths].join(', ')}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    const forYouOnline = await itemIds(page, 'rec-for-you');

    // No network: the server is gone and the browser is offline.
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
    await context.setOffline(true);
    await page.reload();
        assert.deepEqual(await itemIds(page, 'rec-for-you'), forYouOnline, '"For you" ranks as it did online');
    assert.deepEqual(await itemIds(page, 'rec-recent'), [viewed]);
    await page.locator('[data-testid="privacy-link"]').click();
    await page.locator(`[data-testid="interest"][data-item-id="${viewed}"]`).waitFor();
    assert.deepEqual(errors, []);

    // The worker asked only for its own script and the site's files the page had fetched.
    assert.ok(byServiceWorker.length > 0, 'the service worker copied the first visit');
    for (const requested of byServiceWorker.filter((requested) => requested !== `${url}sw.js`)) {
      assert.ok(requested.startsWith(url), `not one of the site's files: ${requested}`);
      assert.ok(byPage.has(requested), `fetched by the worker but never by the page: ${requested}`);
    }
    await context.close();
  } finally {
    await browser.close();
    if (server.listening) await new Promise((done) => server.close(done));
  }
});

test('the store can be installed: its web app manifest names it, its start and its icon', async () => {
  const manifest = JSON.parse(readFileSync('dist/app.webmanifest', 'utf8'));
  assert.equal(manifest.start_url, './');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) readFileSync(`dist/${icon.src}`);
  assert.match(readFileSync('dist/index.html', 'utf8'), /<link rel="manifest" href="app.webmanifest" \/>/);
});
