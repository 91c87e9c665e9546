// A shop whose product file names photos: `aisle build --products --images` resizes them into
// the bundle's images/, cards and the product page show them, a product without one keeps the
// drawn placeholder, and every request the store makes, photos included, goes to the shop's
// own origin (the address in the product file is never fetched).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { buildBundle, collectErrors, openStore, smallShopOrders, siteWithoutBundle } from './harness.mjs';

const TITLES = ['Red Teapot', 'Blue Mug', 'White Lantern', 'Cake Stand'];

/** A PNG of one colour, `width` x `height` (8-bit RGB). */
function png(width, height, [r, g, b]) {
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(height).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let work;
let store;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'aisle-photos-'));
  const site = join(work, 'site');
  siteWithoutBundle(site);
  const photos = join(work, 'photos');
  mkdirSync(photos);
  writeFileSync(join(photos, 'teapot.png'), png(1200, 900, [200, 40, 40]));
  writeFileSync(join(photos, 'mug.png'), png(300, 500, [40, 40, 200]));
  writeFileSync(join(photos, 'lantern.png'), png(600, 600, [230, 230, 220]));
  const products = join(work, 'products.csv');
  writeFileSync(products, [
    'id,title,Image Src',
    // An address, as Shopify exports it: looked up by its file name in --images, never fetched.
    '10001,Red Teapot,https://cdn.example/files/teapot.png?v=7',
    '10002,Blue Mug,mug.png',
    '10003,White Lantern,lantern.png',
    '10004,Cake Stand,',
  ].join('\n'));
  buildBundle(join(work, 'orders.csv'), smallShopOrders(TITLES, 12), site,
    ['--currency', 'GBP', '--products', products, '--images', photos]);
  store = await openStore({ root: site });
});
after(async () => {
  await store?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The loaded photo's natural size once it has loaded, after scrolling it into view (photos
 * load lazily). */
async function loadedSize(image) {
  await image.scrollIntoViewIfNeeded();
  await image.evaluate((node) => (node.complete ? null : new Promise((done) => {
    node.addEventListener('load', done, { once: true });
    node.addEventListener('error', done, { once: true });
  })));
  return image.evaluate((node) => [node.naturalWidth, node.naturalHeight]);
}

test('cards and the product page show the shop\'s photos, all from its own origin', async () => {
  const page = await store.browser.newPage();
  const errors = collectErrors(page);
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(store.url);
  const catalog = page.locator('[data-testid="catalog"]');
  await catalog.locator('[data-item-id]').first().waitFor();

  const card = (id) => catalog.locator(`[data-item-id="${id}"]`);
  // Fitted into the card's 400 x 300 box, keeping proportions; a small photo is not enlarged.
  assert.deepEqual(await loadedSize(card('10001').locator('img.art')), [400, 300]);
  assert.deepEqual(await loadedSize(card('10002').locator('img.art')), [180, 300]);
  assert.deepEqual(await loadedSize(card('10003').locator('img.art')), [300, 300]);
  // The photo reserves its place before it loads, and is decorative beside the title.
  const teapot = card('10001').locator('img.art');
  assert.equal(await teapot.getAttribute('width'), '400');
  assert.equal(await teapot.getAttribute('alt'), '');
  // No photo: the drawn initials.
  assert.equal(await card('10004').locator('img').count(), 0);
  assert.equal((await card('10004').locator('.art').textContent()).trim(), 'CS');

  await card('10001').locator('a').first().click();
  const photo = page.locator('[data-testid="product-page"] img.art-large');
  assert.deepEqual(await loadedSize(photo), [840, 630]);
  assert.match(await photo.getAttribute('src'), /^bundle\/images\/10001-page\.[0-9a-f]{16}\.webp$/);

  const origin = new URL(store.url).origin;
  const photoRequests = requests.filter((url) => url.includes('/images/'));
  assert.ok(photoRequests.length >= 4, photoRequests.join('\n'));
  assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
  assert.ok(photoRequests.every((url) => url.startsWith(`${store.url}bundle/images/`)), photoRequests.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});
