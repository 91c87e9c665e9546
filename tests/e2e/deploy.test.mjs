// A shop deploys a new bundle while a shopper has the store open: no error shows, the tab
// notices the new manifest on its own, the next navigation renders with the new bundle (a
// product retitled, prices now in euros written the German way), and the shopper's profile is
// intact. The files of the bundle being replaced stay beside the new ones, so a page that read
// the old manifest still finds them.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, collectErrors, openStore, smallShopOrders, siteWithoutBundle } from './harness.mjs';

const TITLES = ['TEA CUP', 'TEA TOWEL', 'TEAPOT', 'SUGAR BOWL', 'RED LANTERN', 'WHITE LANTERN'];
/** How often the store looks for a new deploy (src/deploy.rs), and a little more. */
const CHECK_EVERY_MS = 5 * 60 * 1000 + 1000;

function build(work, site, name, title, money) {
  return buildBundle(join(work, `${name}.csv`), smallShopOrders([title, ...TITLES.slice(1)], 1.5), site, money);
}

let work;
let site;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'aisle-deploy-'));
  site = join(work, 'site');
  siteWithoutBundle(site);
  build(work, site, 'first', 'TEA CUP', ['--currency', 'GBP', '--locale', 'en-GB']);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('a deploy while the store is open switches at the next navigation and loses nothing', async () => {
  const store = await openStore({ root: site });
  try {
    const context = await store.browser.newContext();
    await context.clock.install({ time: new Date('2011-05-01T10:00:00Z') });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const title = page.locator('[data-testid="product-title"]');
    const price = page.locator('.product-price');

    await page.goto(`${store.url}#/product/10002`);
    await title.waitFor();
    await page.goto(`${store.url}#/product/10001`);
    assert.equal(await title.textContent(), 'Tea Cup');
    assert.equal(await price.textContent(), '£1.50');

    const first = JSON.parse(readFileSync(join(site, 'bundle', 'manifest.json'), 'utf8'));
    const second = build(work, site, 'second', 'BLUE TEA CUP', ['--currency', 'EUR', '--locale', 'de-DE']);
    const catalog = (manifest) => manifest.files.find((file) => file.part === 'catalog').name;
    assert.notEqual(catalog(second), catalog(first));
    // The replaced bundle's files are still served, for pages that read its manifest.
    for (const file of first.files) assert.ok(existsSync(join(site, 'bundle', file.name)), file.name);

    // Until the tab looks again, it keeps rendering with the bundle it has.
    await page.locator('a.brand').click();
    await page.locator('[data-testid="rec-trending"]').waitFor();
    await page.goto(`${store.url}#/product/10001`);
    assert.equal(await title.textContent(), 'Tea Cup');

    // The tab's own check fetches the new manifest and every file it lists, in the background.
    const fetched = page.waitForResponse((response) => response.url().endsWith(catalog(second)));
    await page.clock.fastForward(CHECK_EVERY_MS);
    await fetched;
    assert.equal(await title.textContent(), 'Tea Cup', 'the page on screen does not change under the shopper');

    // The new bundle is decoded moments after its last file arrives: navigate until a page
    // renders with it, every page before it wholly with the old one.
    const shown = [];
    for (let tries = 0; tries < 50 && shown.at(-1) !== 'Blue Tea Cup'; tries += 1) {
      await page.evaluate(() => { window.location.hash = '#/product/10002'; });
      await page.locator('[data-testid="product-page"][data-item-id="10002"]').waitFor();
      await page.evaluate(() => { window.location.hash = '#/product/10001'; });
      await page.locator('[data-testid="product-page"][data-item-id="10001"]').waitFor();
      shown.push(await title.textContent());
    }
    assert.equal(shown.at(-1), 'Blue Tea Cup', shown.join(', '));
    assert.ok(shown.slice(0, -1).every((text) => text === 'Tea Cup'), shown.join(', '));
    assert.equal(await price.textContent(), '1,50\u00a0€');

    await page.evaluate(() => { window.location.hash = '#/privacy'; });
    const views = page.locator('[data-testid="event-counts"] tr[data-kind="view"] td');
    // Three product pages before the deploy, two per navigation round after it.
    const viewed = String(3 + 2 * shown.length);
    await page.waitForFunction(
      (viewed) => document.querySelector('[data-testid="event-counts"] tr[data-kind="view"] td')?.textContent === viewed,
      viewed,
    );
    assert.equal(await views.textContent(), viewed);
    assert.equal(await page.locator('[data-testid="load-error"]').count(), 0);
    assert.equal(await page.locator('[data-testid="unpersonalised"]').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await store.close();
  }
});
