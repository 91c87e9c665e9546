// The browser half of scripts/bench-scale: serves one size's site (the store with the bundle
// built from that size's log), opens it as a new shopper in Chromium, and measures what a large
// catalog's bundle costs the shopper: the time to the first "For you", and the bundle bytes the
// host served (gzip level 9, as a host compressing them would send them) for the files the page
// had asked for by the frame that showed it, and for the others, asked for then or over the next
// 20 product views. Bytes are counted at the server, so what the store's service worker fetches
// counts too (with the page's request for the same file): it is what the host sees. Adds the
// number of shards and their gzip sizes (smallest, median, largest) to the build's figures, and
// prints one JSON object on one line.
//
//   node scripts/bench-scale.mjs <site> <JSON of the build's figures>

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { startServer } from './serve.mjs';
import { firstForYouMs, gzipped, noteFirstForYou } from './measure.mjs';

const VIEWS = 20;
// A 100,000-product bundle is tens of megabytes to fetch, verify and decode.
const TIMEOUT_MS = 600_000;
const BASE = '/shop/';

const [site, buildJson] = process.argv.slice(2);
if (!site || !buildJson) {
  console.error('usage: node scripts/bench-scale.mjs <site> <JSON of the build\'s figures>');
  process.exit(2);
}

const { server, url } = await startServer({ root: site, port: 0, base: BASE });
// Bundle files the host was asked for, in order, relative to the site.
const asked = [];
server.on('request', (request) => {
  const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
  if (path.startsWith(`${BASE}bundle/`)) asked.push(path.slice(BASE.length));
});
const gzipBytes = new Map();
const fetchedGz = (paths) =>
  paths.reduce((sum, path) => {
    if (!gzipBytes.has(path)) {
      gzipBytes.set(path, gzipped(join(site, path)));
    }
    return sum + gzipBytes.get(path);
  }, 0);

const browser = await launchChromium();
let result;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await noteFirstForYou(page);
  await page.goto(url);
  const firstForYou = await firstForYouMs(page, TIMEOUT_MS);
  // What the page had asked for by the frame that showed the first card; what it asks for after
  // (the shards each viewed product needs) counts with the views.
  const askedBefore = new Set(
    await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.startTime <= window.firstForYouShown)
        .map((entry) => decodeURIComponent(new URL(entry.name).pathname)),
    ),
  );

  // Twenty product views, each opened from a recommendation on the page, as a shopper browses.
  const viewed = [];
  for (let view = 0; view < VIEWS; view++) {
    await page.locator('[data-testid="rec-card"]').first().waitFor({ timeout: TIMEOUT_MS });
    const next = await page.evaluate(
      (seen) =>
        [...document.querySelectorAll('[data-testid="rec-card"][data-item-id]')]
          .map((card) => card.dataset.itemId)
          .find((id) => !seen.includes(id)),
      viewed,
    );
    if (!next) throw new Error(`no recommended product left to open after ${view} views`);
    await page.locator(`[data-testid="rec-card"][data-item-id="${next}"] a`).first().click();
    await page.locator(`[data-testid="product-page"][data-item-id="${next}"]`).waitFor({ timeout: TIMEOUT_MS });
    viewed.push(next);
  }
  await page.waitForLoadState('networkidle');
  await context.close();
  const before = asked.filter((path) => askedBefore.has(`${BASE}${path}`));
  const after = asked.filter((path) => !askedBefore.has(`${BASE}${path}`));

  const manifest = JSON.parse(readFileSync(join(site, 'bundle', 'manifest.json'), 'utf8'));
  const shardGz = manifest.files
    .filter((file) => file.shard !== undefined)
    .map((file) => gzipped(join(site, 'bundle', file.name)))
    .sort((a, b) => a - b);
  result = {
    ...JSON.parse(buildJson),
    shards: shardGz.length,
    shard_gz: [shardGz[0], shardGz[Math.floor(shardGz.length / 2)], shardGz.at(-1)],
    first_for_you_ms: Math.round(firstForYou),
    first_for_you_fetched_gz: fetchedGz(before),
    first_for_you_requests: before.length,
    after_20_views_fetched_gz: fetchedGz(after),
    after_20_views_requests: after.length,
  };
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(result));
