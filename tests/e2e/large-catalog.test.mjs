// A catalog larger than the demo's ships most of its products' titles apart from the catalog:
// the first page loads without them, they are fetched once it is painted (one request, the same
// for every shopper), and then every product shows its title and search finds any product.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, buildBundle, collectErrors, openStore, siteWithoutBundle } from './harness.mjs';

/** More products than a bundle ships with their texts in the catalog (TEXTS_APART_ABOVE). */
const PRODUCTS = 6000;
const KINDS = ['VASE', 'MUG', 'LANTERN', 'CUSHION', 'CANDLE', 'BOWL', 'CLOCK', 'BAG'];

/** A word of letters naming product `n` alone (`n` in base 26). */
function nameOf(n) {
  let word = '';
  for (let rest = n + 26 * 26 * 26; rest > 0; rest = Math.floor(rest / 26)) {
    word = String.fromCharCode(65 + (rest % 26)) + word;
  }
  return word;
}

/** A title as the catalog writes an order line's description: each word capitalised. */
function readable(description) {
  return description.split(' ').map((word) => word[0] + word.slice(1).toLowerCase()).join(' ');
}

/** Product `p` (ids 10000 onwards: codes of five digits, as Online Retail's) is bought by 1 + 3000 / (p + 1) customers, the first
 * thousand in April 2011 and the rest in January: the best sellers trend too, and the last
 * products sell once, long ago. */
function orders() {
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID'];
  let invoice = 500000;
  for (let p = 0; p < PRODUCTS; p += 1) {
    const buyers = 1 + Math.floor(3000 / (p + 1));
    for (let b = 0; b < buyers; b += 1) {
      invoice += 1;
      const customer = 12000 + ((p * 7 + b) % 400);
      const date = `2011-0${p < 1000 ? 4 : 1}-${String(1 + ((p + b) % 27)).padStart(2, '0')} 10:00:00`;
      lines.push([invoice, 10000 + p, `${KINDS[p % KINDS.length]} ${nameOf(p)}`, 1, date, '2.50', customer].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The settings a shop gives so the build skips the search (docs/scale.md). */
const SETTINGS = {
  coPurchase: 1, content: 0.1, trending: 0.1, popularity: 0.05, historyDays: 180, historyFrequency: 0,
  repeat: 0.4, repeatDays: 365, repeatFrequency: 1, repeatItemRate: 0, repeatUserRate: 0, season: 1,
  trendingDays: 7, easeLambda: 300, easeDays: 365, easeWeights: 25,
};

let work;
let site;
let manifest;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'aisle-large-'));
  site = join(work, 'site');
  siteWithoutBundle(site);
  const settings = join(work, 'settings.json');
  writeFileSync(settings, JSON.stringify(SETTINGS));
  manifest = buildBundle(join(work, 'orders.csv'), orders(), site, ['--settings', settings]);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('a large catalog shows its first page without most titles, then every title and search', async () => {
  const texts = manifest.files.find((file) => file.part === 'texts');
  assert.ok(texts, 'a catalog of 6,000 products ships its texts apart');
  assert.equal(texts.on_demand, true);
  const firstPageParts = new Set(['catalog', 'popularity', 'trending']);
  const store = await openStore({ root: site });
  try {
    const page = await store.browser.newPage();
    const errors = collectErrors(page);
    // When each bundle file was asked for, and when each of the first page's arrived.
    const asked = new Map();
    const arrived = [];
    const partOf = (url) => manifest.files.find((file) => url.endsWith(`/bundle/${file.name}`))?.part;
    page.on('request', (request) => asked.set(partOf(request.url()) ?? request.url(), Date.now()));
    page.on('requestfinished', (request) => {
      if (firstPageParts.has(partOf(request.url()))) arrived.push(Date.now());
    });

    const textsArrived = page.waitForResponse((response) => response.url().endsWith(texts.name));
    await page.goto(store.url);
    const forYou = page.locator('[data-testid="rec-for-you"] .card-title');
    await forYou.first().waitFor();
    // The first page's products are named from the catalog itself.
    for (const title of await forYou.allTextContents()) assert.match(title, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
    // The texts are asked for once the first page had everything it needed, and only then.
    await textsArrived;
    assert.equal(arrived.length, firstPageParts.size);
    assert.ok(asked.get('texts') >= Math.max(...arrived), 'the texts came after the first page');

    // A product that sold once, long ago, is not on the first page: its title comes with them.
    const last = PRODUCTS - 1;
    await page.goto(`${store.url}#/product/${10000 + last}`);
    const title = page.locator('[data-testid="product-title"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="product-title"]')?.textContent !== '');
    assert.equal(await title.textContent(), readable(`${KINDS[last % KINDS.length]} ${nameOf(last)}`));

    // Search reads every title.
    await page.goto(`${store.url}#/search/${nameOf(last).toLowerCase()}`);
    const results = page.locator('[data-testid="search-results"] [data-testid="product-card"]');
    await results.first().waitFor();
    assert.equal(await results.first().getAttribute('data-item-id'), String(10000 + last));
    assert.deepEqual(errors, []);
    assert.ok(new URL(page.url()).pathname.startsWith(BASE));
  } finally {
    await store.close();
  }
});
