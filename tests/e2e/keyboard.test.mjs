// Keyboard and screen-reader users: each navigation titles the document after the page and moves
// focus to its main heading, as a page load would; the skip link jumps past the masthead; the
// wipe question takes focus on its safe answer and gives it back when it closes.

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

const SITE = 'Aisle demo store';
const focused = (page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return { tag: element.tagName.toLowerCase(), testid: element.dataset.testid ?? null, text: element.textContent.trim() };
  });

test('a navigation titles the page and focuses its heading; the first page keeps the browser\'s focus', async () => {
  const page = await store.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  assert.equal(await page.title(), SITE);
  assert.equal((await focused(page)).tag, 'body', 'arriving moves no focus');

  const [first] = await itemIds(page, 'rec-for-you');
  await page.locator(`[data-testid="rec-for-you"] [data-item-id="${first}"] a`).first().click();
  const heading = page.locator(`[data-testid="product-page"][data-item-id="${first}"] h1`);
  await heading.waitFor();
  const title = (await heading.textContent()).trim();
  await page.waitForFunction((expected) => document.title === expected, `${title} · ${SITE}`);
  assert.deepEqual(await focused(page), { tag: 'h1', testid: 'product-title', text: title });
  // Focusable by script only: Tab never stops on the heading.
  assert.equal(await heading.getAttribute('tabindex'), '-1');

  await page.locator('[data-testid="cart-link"]').click();
  await page.waitForFunction((expected) => document.title === expected, `Your cart · ${SITE}`);
  assert.equal((await focused(page)).text, 'Your cart');

  await page.goBack();
  await page.goBack();
  await page.waitForFunction((expected) => document.title === expected, SITE);
  assert.equal((await focused(page)).tag, 'h1', 'the banner headline is the home page\'s heading');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the skip link is the first stop of Tab and jumps to the page\'s heading', async () => {
  const page = await store.browser.newPage();
  await page.goto(`${store.url}#/privacy`);
  await page.locator('[data-testid="privacy"]').waitFor();
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Skip to content');
  await page.keyboard.press('Enter');
  assert.deepEqual(await focused(page), { tag: 'h1', testid: null, text: 'Your data' });
  assert.ok(page.url().endsWith('#/privacy'), `the route stays: ${page.url()}`);
  await page.close();
});

test('the wipe question takes focus on "Cancel", and Escape closes it and gives focus back', async () => {
  const page = await store.browser.newPage();
  await page.goto(`${store.url}#/privacy`);
  await page.locator('[data-testid="wipe"]').click();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'wipe-cancel');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="wipe-confirm"]').waitFor({ state: 'detached' });
  assert.equal((await focused(page)).testid, 'wipe');
  await page.close();
});
