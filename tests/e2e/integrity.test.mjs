// A tampered bundle: the store says so plainly, names the file, and still lets the shopper
// browse when only a personal part is broken; a broken catalog stops it with the file named.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemIds, openStore } from './harness.mjs';

/** A copy of dist/ with one byte flipped in each of the bundle's files holding `part`. */
function tamperedSite(part) {
  const root = mkdtempSync(join(tmpdir(), 'aisle-tampered-'));
  cpSync('dist', root, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(root, 'bundle', 'manifest.json'), 'utf8'));
  for (const file of manifest.files.filter((file) => file.part === part)) {
    const path = join(root, 'bundle', file.name);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
  }
  return root;
}

const sites = [];
after(() => sites.forEach((root) => rmSync(root, { recursive: true, force: true })));

async function visit(part, run) {
  const root = tamperedSite(part);
  sites.push(root);
  const store = await openStore({ root });
  try {
    const page = await store.browser.newPage();
    await page.goto(store.url);
    await run(page);
  } finally {
    await store.close();
  }
}

test('a tampered history shard: browsing goes on, unpersonalised, and the file is named', async () => {
  // Every shard of what products bring to a history: the first product viewed needs its own.
  await visit('history', async (page) => {
    assert.equal((await itemIds(page, 'rec-trending')).length, 8);
    const grid = await itemIds(page, 'catalog');
    await page.locator(`[data-testid="product-card"][data-item-id="${grid[0]}"] a`).click();
    await page.locator(`[data-testid="product-page"][data-item-id="${grid[0]}"]`).waitFor();
    const notice = page.locator('[data-testid="unpersonalised"]');
    await notice.waitFor();
    assert.match(await notice.textContent(), /not personalised/);
    assert.match(await notice.textContent(), /bundle file `history-\d+\.[0-9a-f]{16}\.bin`: sha256 is [0-9a-f]{64}, the manifest says/);
    // The shelves stop waiting: look-alikes by title need no co-purchase weights.
    assert.ok((await itemIds(page, 'rec-similar')).length > 0);
    await page.locator('[data-testid="personalising"]').waitFor({ state: 'detached' });
  });
});

test('a tampered catalog stops the store with the file named', async () => {
  await visit('catalog', async (page) => {
    const error = page.locator('[data-testid="load-error"]');
    await error.waitFor();
    assert.match(await error.textContent(), /bundle file `catalog\.[0-9a-f]{16}\.bin`: sha256 is/);
    assert.equal(await page.locator('[data-testid="rec-for-you"]').count(), 0);
  });
});
