// Shared set-up for the end-to-end tests: the built store (dist/) served by the plain static
// server under a sub-path, and Debian's Chromium driven by playwright-core. Nothing here
// downloads a browser or contacts anything but loopback.

import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** A small shop's order log (Online Retail's columns): 30 customers each ordering two of the
 * products `titles` names (ids 10001 onwards, priced `firstPrice` and a unit more each) every
 * month from January to April 2011. */
export function smallShopOrders(titles, firstPrice) {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID'];
  let invoice = 600000;
  for (let month = 1; month <= 4; month += 1) {
    for (let customer = 0; customer < 30; customer += 1) {
      invoice += 1;
      const date = `2011-0${month}-${String(1 + (customer % 27)).padStart(2, '0')} 10:00:00`;
      for (const product of [customer % titles.length, (customer + month) % titles.length]) {
        const price = (firstPrice + product).toFixed(2);
        lines.push([invoice, 10001 + product, titles[product], 2, date, price, 17000 + customer].join(','));
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Copies the built site (dist/) to `site` without its bundle, for a test that builds its own
 * into `site`/bundle. */
export function siteWithoutBundle(site) {
  cpSync('dist', site, { recursive: true });
  rmSync(join(site, 'bundle'), { recursive: true });
}

/** Writes `orders` to `file` and builds a bundle from it into `site`/bundle with the CLI's
 * `flags`; the new manifest. */
export function buildBundle(file, orders, site, flags) {
  writeFileSync(file, orders);
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'aisle-cli', '--', 'build', '--quiet',
    '--orders', file, ...flags, '--out', join(site, 'bundle')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return JSON.parse(readFileSync(join(site, 'bundle', 'manifest.json'), 'utf8'));
}

/** The 32-bit FNV-1a hash of a product id, as aisle-core's `catalog::shards` computes it. */
function productHash(id) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(id)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash;
}

/** The shard holding product `id` under a bundle manifest's plan (where each shard's hashes start). */
export function shardOf(manifest, id) {
  const hash = productHash(id);
  return manifest.shards.filter((start) => start <= hash).length - 1;
}
