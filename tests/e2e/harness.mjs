// Shared set-up for the end-to-end tests: the built store (dist/) served by the plain static
// server under a sub-path, and Debian's Chromium driven by playwright-core. Nothing here
// downloads a browser or contacts anything but loopback.

import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../scripts/serve.mjs';

/** The sub-path the store is mounted under, to prove relative URLs work. */
export const BASE = '/shop/';

/** Serves `root` (the built site, dist/ by default) on a free loopback port and launches
 * Chromium; `close()` undoes both. `server` is Node's, for a test that counts what it sent. */
export async function openStore({ root = 'dist' } = {}) {
  const { server, url } = await startServer({ root, port: 0, base: BASE });
  const browser = await launchChromium();
  return {
    url,
    browser,
    server,
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

/** The `data-item-id`s of the cards inside the element with this `data-testid`, in order. */
export async function itemIds(page, testid) {
  const cards = page.locator(`[data-testid="${testid}"] [data-item-id]`);
  await cards.first().waitFor();
  return cards.evaluateAll((nodes) => nodes.map((node) => node.dataset.itemId));
}

/** Collects the page's console errors and uncaught exceptions (a blocked script or a broken
 * Content-Security-Policy shows up here), so a test can assert there were none. */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return errors;
}
