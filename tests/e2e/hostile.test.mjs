// Product titles holding HTML or script, from a shop's own export, render as text: no element
// is created from them and nothing runs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectErrors, itemIds, openStore } from './harness.mjs';

const HOSTILE = [
  ['10001', '<img src=x onerror="window.pwned=1">'],
  ['10002', '<script>window.pwned=2</script>'],
  ['10003', '"><svg onload="window.pwned=3">'],
];

let root;
let store;
before(async () => {
  root = mkdtempSync(join(tmpdir(), 'aisle-hostile-'));
  const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
  const rows = HOSTILE.flatMap(([code, title], n) =>
    ['A', 'B', 'C'].map((customer, c) => `${n}${c},${code},"${title.replaceAll('"', '""')}",1,2011-01-0${c + 1} 10:00,1.00,${customer},UK`),
  );
  writeFileSync(join(root, 'orders.csv'), [header, ...rows].join('\n') + '\n');
  cpSync('dist', join(root, 'site'), { recursive: true });
  rmSync(join(root, 'site', 'bundle'), { recursive: true });
  execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'aisle-cli', '--', 'build', '--quiet',
    '--orders', join(root, 'orders.csv'), '--out', join(root, 'site', 'bundle')], { stdio: 'inherit' });
  store = await openStore({ root: join(root, 'site') });
});
after(async () => {
  await store?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('HTML and script in product titles show as text and never run', async () => {
  const page = await store.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  assert.deepEqual((await itemIds(page, 'catalog')).sort(), HOSTILE.map(([code]) => code));
  const titles = await page.locator('[data-testid="catalog"] .card-title').allTextContents();
  assert.ok(titles.some((title) => title.toLowerCase().includes('<img src=x')), titles.join(' | '));
  assert.ok(titles.some((title) => title.toLowerCase().includes('<script>')), titles.join(' | '));
  await page.goto(`${store.url}#/product/10002`);
  assert.match(await page.locator('[data-testid="product-title"]').textContent(), /<script>/i);
  assert.equal(await page.locator('main img, main script, main svg').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(errors, []);
});
