// "For you" in the store ranks exactly as `aisle evaluate` measures the blend: with the same
// settings and the same shopper, the same list. And a bundle whose settings differ ranks
// differently.
//
// A generated shop (three tastes of four products, ninety customers ordering monthly) is split at
// a cut-off. `aisle evaluate --rankings` writes the blend's task-`new` list for each customer;
// `aisle build` turns the lines before the cut-off into a bundle with the same settings. The
// store then opens, its clock at the cut-off, with one customer's orders as its profile.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemIds, openStore, siteWithoutBundle } from './harness.mjs';

const CUTOFF = '2011-06-01';
const SHELF = 8;

/** Settings as a shop's history could teach them: co-purchase leads. */
const LEARNED = {
  coPurchase: 1, content: 0.1, trending: 0.05, popularity: 0.02, historyDays: 90,
  historyFrequency: 0.5, repeat: 0.4, repeatDays: 120, repeatFrequency: 1, repeatItemRate: 0,
  repeatUserRate: 0, season: 1, trendingDays: 14, easeLambda: 5, easeDays: 90, easeWeights: 20,
};
/** Settings a shop where only what sells counts would learn. */
const SELLING = { ...LEARNED, coPurchase: 0, content: 0, trending: 1, popularity: 1 };

/** The generated shop's order lines: [invoice, code, title, quantity, date, price, customer]. */
function shopLines() {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const titles = ['Tea Cup', 'Tea Towel', 'Teapot', 'Sugar Bowl', 'Red Lantern', 'White Lantern',
    'Candle Holder', 'Tealight Set', 'Pencil Case', 'Notebook', 'Sticker Sheet', 'Pen Set'];
  const lines = [];
  let invoice = 500000;
  for (let month = 1; month <= 7; month += 1) {
    for (let customer = 0; customer < 90; customer += 1) {
      if (random() < 0.3) continue;
      const taste = customer % 3;
      const day = String(1 + Math.floor(random() * 27)).padStart(2, '0');
      const date = `2011-0${month}-${day} ${String(8 + (customer % 10)).padStart(2, '0')}:00:00`;
      invoice += 1;
      const picked = new Set();
      for (let n = 0; n < 2 + Math.floor(random() * 2); n += 1) {
        const own = random() < 0.85;
        const group = own ? taste : Math.floor(random() * 3);
        picked.add(group * 4 + Math.floor(random() * 4));
      }
      for (const product of picked) {
        lines.push([invoice, String(10001 + product), titles[product].toUpperCase(),
          1 + Math.floor(random() * 6), date, (1 + product * 0.25).toFixed(2), String(17000 + customer)]);
      }
    }
  }
  return lines;
}

function writeOrders(path, lines) {
  const header = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID';
  writeFileSync(path, [header, ...lines.map((line) => line.join(','))].join('\n') + '\n');
}

function aisle(args) {
  return execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'aisle-cli', '--', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

let work;
let lines;
let rankings;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'aisle-ranking-'));
  lines = shopLines();
  writeOrders(join(work, 'all.csv'), lines);
  writeOrders(join(work, 'train.csv'), lines.filter((line) => line[4] < CUTOFF));
  for (const [name, settings] of [['learned', LEARNED], ['selling', SELLING]]) {
    writeFileSync(join(work, `${name}.json`), JSON.stringify(settings));
    const site = join(work, name);
    siteWithoutBundle(site);
    aisle(['build', '--quiet', '--orders', join(work, 'train.csv'), '--settings',
      join(work, `${name}.json`), '--out', join(site, 'bundle')]);
  }
  aisle(['evaluate', '--quiet', '--orders', join(work, 'all.csv'), '--cutoff', CUTOFF, '--k',
    String(SHELF), '--settings', join(work, 'learned.json'), '--models', 'aisle', '--rankings',
    join(work, 'rankings.jsonl')]);
  rankings = readFileSync(join(work, 'rankings.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The customer's orders before the cut-off as the store's profile records them: one purchase
 * event per product and order. */
function profileOf(customer) {
  const events = lines
    .filter((line) => line[6] === customer && line[4] < CUTOFF)
    .map(([, item, , quantity, date, price]) => ({
      at_ms: Date.parse(`${date.replace(' ', 'T')}Z`),
      kind: 'purchase',
      item,
      quantity,
      price: Number(price),
    }));
  return JSON.stringify({ schema: 1, events });
}

/** "For you" in the store built in `site`, for `customer`, with the clock at the cut-off. */
async function forYou(site, customer) {
  const store = await openStore({ root: join(work, site) });
  try {
    const context = await store.browser.newContext();
    await context.clock.setFixedTime(new Date(`${CUTOFF}T00:00:00Z`));
    await context.addInitScript((profile) => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('aisle.events', profile);
      }
    }, profileOf(customer));
    const page = await context.newPage();
    await page.goto(store.url);
    await page.locator('[data-testid="rec-buy-again"]').waitFor();
    return await itemIds(page, 'rec-for-you');
  } finally {
    await store.close();
  }
}

test('for a fixed profile, the store shows the list aisle evaluate ranked', async () => {
  const listed = rankings.filter((row) => row.model === 'aisle' && row.task === 'new');
  assert.ok(listed.length > 30, `${listed.length} customers ranked`);
  for (const row of listed.slice(0, 3)) {
    const shown = await forYou('learned', row.user);
    assert.deepEqual(shown, row.items.slice(0, SHELF), `customer ${row.user}`);
  }
});

test('a bundle with other settings ranks For you otherwise', async () => {
  const customer = rankings.find((row) => row.task === 'new').user;
  const learned = await forYou('learned', customer);
  const selling = await forYou('selling', customer);
  assert.notDeepEqual(selling, learned);
});
