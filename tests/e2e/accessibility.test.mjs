// Accessibility, checked by axe-core (npm) on every kind of page a shopper or marketer meets:
// home, a product, the cart, "Your data", and the studio before and after a file is segmented.
// Any serious or critical violation fails, named with the elements it was found on.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { openStore } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let store;
before(async () => {
  store = await openStore();
});
after(async () => {
  await store?.close();
});

/** The serious and critical violations on the page as it is now, one line each. */
async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

test('the store\'s pages have no serious or critical accessibility violation', async () => {
  // The store's CSP refuses inline scripts, axe's too: the check alone is let through.
  const context = await store.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const found = {};
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  found.home = await violations(page);

  await page.goto(`${store.url}#/product/85123A`);
  await page.locator('[data-testid="product-page"]').waitFor();
  found.product = await violations(page);
  await page.locator('[data-testid="add-to-cart"]').click();

  await page.goto(`${store.url}#/cart`);
  await page.locator('[data-testid="rec-complete-order"]').waitFor();
  found.cart = await violations(page);

  await page.goto(`${store.url}#/privacy`);
  await page.locator('[data-testid="privacy"]').waitFor();
  await page.locator('[data-testid="wipe"]').click();
  found.privacy = await violations(page);
  await context.close();
  assert.deepEqual(found, { home: [], product: [], cart: [], privacy: [] });
});

test('the studio has no serious or critical accessibility violation, first step or last', async () => {
  const context = await store.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${store.url}studio/`);
  await page.getByTestId('studio-file').waitFor();
  const first = await violations(page);
  await page.getByTestId('studio-file-input').setInputFiles('tests/fixtures/studio/online-retail-sample.csv');
  await page.getByTestId('segment-card').first().waitFor({ timeout: 120_000 });
  const last = await violations(page);
  await context.close();
  assert.deepEqual({ first, last }, { first: [], last: [] });
});
