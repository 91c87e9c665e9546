// The segmentation studio, end to end in Chromium: a committed sample and the full demo data (as
// "Try it with the demo store's orders" downloads it from the site) go from file to segments; every step renders; the exports download and parse; a file in another
// layout is mapped; broken files get a clear message and the page stays usable; cancelling
// works; the worker built with wasm SIMD runs where the browser has it and the plain one where
// it does not; and nothing but the studio's own files is requested.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { collectErrors, openStore } from './harness.mjs';

const FIXTURES = 'tests/fixtures/studio';
const SAMPLE = `${FIXTURES}/online-retail-sample.csv`;
const DEMO = [
  'data/online_retail_part1_2010-12-01_to_2011-05-09.csv.gz',
  'data/online_retail_part2_2011-05-10_to_2011-09-27.csv.gz',
  'data/online_retail_part3_2011-09-28_to_2011-12-09.csv.gz',
];

let store;
before(async () => {
  store = await openStore();
});
after(() => store.close());

async function openStudio() {
  const page = await store.browser.newPage();
  const errors = collectErrors(page);
  await page.goto(`${store.url}studio/`);
  await page.getByTestId('studio-file').waitFor();
  return { page, errors };
}

const byTestId = (page, id) => page.getByTestId(id);
/** The customers the map draws: one path per segment, holding its dots' count. */
const dotsDrawn = (page) =>
  page.locator('[data-testid="studio-scatter"] path.dot').evaluateAll((paths) =>
    paths.reduce((sum, path) => sum + Number(path.dataset.dots), 0));

/** Picks `files` and waits for the segment cards (or the given test id). */
async function load(page, files, { waitFor = 'segment-card' } = {}) {
  await byTestId(page, 'studio-file-input').setInputFiles(files);
  await byTestId(page, waitFor).first().waitFor({ timeout: 120_000 });
}

async function downloaded(page, testid) {
  const [download] = await Promise.all([page.waitForEvent('download'), byTestId(page, testid).click()]);
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
}

/** Rows of a CSV without quoted newlines (ours never have one). */
const csvRows = (text) => text.trim().split('\n');

test('a sample file goes through every step, and the exports parse', async () => {
  const { page, errors } = await openStudio();
  const requests = [];
  page.on('request', (request) => requests.push(request));
  await load(page, SAMPLE);

  // Cleaning report: every row of the file is accounted for.
  const cleaning = byTestId(page, 'studio-cleaning');
  // Counts are written by Intl in the studio's language: English groups thousands with commas.
  const count = async (row) => Number((await cleaning.locator(`tr[data-row="${row}"] td`).textContent()).replaceAll(',', ''));
  assert.equal(await count('read'), 3000);
  const dropped = ['skipped', 'duplicates', 'blank-dropped', 'no-customer', 'cancelled', 'quantity', 'price', 'not-product'];
  let accounted = await count('kept');
  for (const row of dropped) accounted += await count(row);
  assert.equal(accounted, 3000, 'kept + dropped = read');
  assert.ok((await count('no-customer')) > 0);
  assert.match(await cleaning.textContent(), /91 customers/);

  // Features: five distributions drawn as charts, and the ranking.
  assert.equal(await page.locator('[data-testid="studio-feature"] svg rect.bar').count(), 5 * 20);
  assert.equal(await page.locator('[data-testid="studio-ranking"] tbody tr').count(), 5);

  // Choosing k: two charts over k = 2..10, the suggestion marked.
  const kChart = byTestId(page, 'studio-k-chart');
  assert.equal(await kChart.locator('svg').count(), 2);
  assert.equal(await kChart.locator('circle.point').count(), 2 * 9);
  const suggested = await page.locator('[data-testid="studio-k-choice"] button.chosen').textContent();
  // A k a marketer can act on, with its reason beside the charts.
  assert.ok(Number(suggested) >= 3 && Number(suggested) <= 8, `suggested k = ${suggested}`);
  assert.match(await byTestId(page, 'studio-k-suggestion').textContent(), new RegExp(`^Suggested k = ${suggested}: the highest silhouette \\(0\\.\\d{3}\\) among 3 to 8 segments`));

  // Segments: a map with a legend, and one card per segment with products and copy.
  const cards = byTestId(page, 'segment-card');
  assert.equal(await cards.count(), Number(suggested));
  assert.ok((await dotsDrawn(page)) >= 90);
  assert.equal(await page.locator('[data-testid="studio-legend"] li').count(), Number(suggested));
  const first = cards.first();
  assert.ok((await first.locator('[data-testid="segment-products"] li').count()) > 0);
  assert.equal(await first.locator('[data-testid="segment-copy"] .copy').count(), 4);

  // The marketer's choices: another k, then regenerate one card's copy.
  const other = suggested === '3' ? 4 : 3;
  await byTestId(page, `studio-k-${other}`).click();
  await page.waitForFunction((k) => document.querySelectorAll('[data-testid="segment-card"]').length === k, other);
  const copyBefore = await cards.first().locator('[data-testid="segment-copy"]').textContent();
  await cards.first().getByTestId('segment-regenerate').click();
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid="segment-copy"]').textContent !== before,
    copyBefore,
  );

  // Exports.
  const customers = await downloaded(page, 'studio-export-customers');
  assert.equal(customers.name, 'aisle-customers.csv');
  const lines = csvRows(customers.text);
  assert.equal(lines[0], 'customer,segment,recency_days,frequency,monetary,distinct_items,mean_basket_value');
  assert.equal(lines.length, 1 + 91);
  const names = new Set(lines.slice(1).map((line) => line.split(',')[1]));
  assert.equal(names.size, other);

  const summary = JSON.parse((await downloaded(page, 'studio-export-summary')).text);
  assert.equal(summary.k, other);
  assert.equal(summary.segments.length, other);
  assert.equal(summary.segments.reduce((sum, segment) => sum + segment.size, 0), 91);
  assert.deepEqual(new Set(summary.segments.map((segment) => segment.name)), names);

  const copy = csvRows((await downloaded(page, 'studio-export-copy')).text);
  assert.equal(copy[0], 'segment,channel,headline,body');
  assert.equal(copy.length, 1 + other * 4);

  // Nothing left the page: only GETs for the studio's own files (and blob: downloads).
  const origin = new URL(store.url).origin;
  for (const request of requests) {
    if (request.url().startsWith(`blob:${origin}/`)) continue;
    assert.equal(request.method(), 'GET', request.url());
    assert.ok(request.url().startsWith(`${store.url}studio/`), `not one of the studio's files: ${request.url()}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("the studio speaks the marketer's language, and another they pick", async () => {
  const context = await store.browser.newContext({ locale: 'de-AT' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${store.url}studio/`);
  await page.getByTestId('studio-file').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'de');
  assert.equal(await page.title(), 'Aisle Segmentierungsstudio');
  assert.equal(await page.locator('h1').textContent(), 'Segmentierungsstudio');
  assert.equal(await byTestId(page, 'studio-locale').inputValue(), 'de');
  await load(page, SAMPLE);

  // Counts and dates as Intl writes them in German; the reason for k in German.
  const summary = await byTestId(page, 'studio-summary').textContent();
  assert.match(summary, /^91 Kunden und [\d.]+ Produkte, Bestellungen vom \d{1,2}\. [A-Za-zä]+ \d{4} bis \d{1,2}\. [A-Za-zä]+ \d{4}\.$/);
  assert.equal(await page.locator('[data-testid="studio-cleaning"] tr[data-row="read"] td').textContent(), '3.000');
  assert.match(await byTestId(page, 'studio-k-suggestion').textContent(), /^Vorschlag k = \d: die höchste Silhouette \(0,\d{3}\) unter 3 bis 8 Segmenten\./);
  const german = ['Champions', 'Treue', 'Vielversprechende', 'Gefährdete', 'Schlafende'];
  const names = await page.locator('[data-testid="segment-card"] h3').allTextContents();
  assert.ok(names.every((name) => german.includes(name.replace(/ \d+$/, ''))), names.join(', '));
  // The card's data attribute keeps the rule's own name, which the exports use.
  assert.ok(await page.locator('[data-testid="segment-card"][data-segment]').count() > 0);
  assert.match(await page.locator('[data-testid="studio-feature"][data-feature="monetary"] figcaption').textContent(), /^Gesamtausgaben$/);

  // Picking 简体中文 writes the page again in Chinese, and the choice outlives a reload.
  await byTestId(page, 'studio-locale').selectOption('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await page.locator('h1').textContent(), '客户分群工作室');
  assert.match(await byTestId(page, 'studio-k-suggestion').textContent(), /^建议 k = \d：/);
  const chinese = ['冠军客户', '忠诚客户', '潜力客户', '流失风险客户', '沉睡客户'];
  const inChinese = await page.locator('[data-testid="segment-card"] h3').allTextContents();
  assert.ok(inChinese.every((name) => chinese.includes(name.replace(/ \d+$/, ''))), inChinese.join(', '));
  await page.reload();
  await page.getByTestId('studio-file').waitFor();
  assert.equal(await page.locator('h1').textContent(), '客户分群工作室');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the worker runs with wasm SIMD; without it, or without its build, the plain one finds the same segments', async () => {
  const segmentsWith = async ({ simd, simdBuild = true }) => {
    const page = await store.browser.newPage();
    // A browser without wasm SIMD rejects the studio's probe module (the only thing the page
    // asks WebAssembly.validate).
    if (!simd) await page.addInitScript(() => { WebAssembly.validate = () => false; });
    // A site built without scripts/build-simd-worker (trunk serve) has no simd128/ directory.
    if (!simdBuild) await page.context().route('**/simd128/**', (route) => route.fulfill({ status: 404, body: '' }));
    const errors = collectErrors(page);
    await page.goto(`${store.url}studio/`);
    await load(page, SAMPLE);
    const workers = page.workers().map((worker) => worker.url().slice(`${store.url}studio/`.length));
    // Where there is a second core, the worker starts its sweep helper from its own module.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const summary = JSON.parse((await downloaded(page, 'studio-export-summary')).text);
    assert.deepEqual(errors, []);
    await page.close();
    return { workers, cores, k: summary.k, segments: summary.segments.map(({ name, size }) => [name, size]) };
  };
  const fast = await segmentsWith({ simd: true });
  const plain = await segmentsWith({ simd: false });
  const unbuilt = await segmentsWith({ simd: true, simdBuild: false });
  const each = ({ cores }, script) => Array(cores >= 2 ? 2 : 1).fill(script);
  assert.deepEqual(fast.workers, each(fast, 'simd128/loader.js'));
  assert.deepEqual(plain.workers, each(plain, 'aisle-studio-worker_loader.js'));
  assert.deepEqual(unbuilt.workers, each(unbuilt, 'aisle-studio-worker_loader.js'));
  for (const other of [plain, unbuilt]) {
    assert.deepEqual(other.k, fast.k);
    assert.deepEqual(other.segments, fast.segments);
  }
});

test('features and scaling can be changed and the segments follow', async () => {
  const { page, errors } = await openStudio();
  await load(page, SAMPLE);
  await byTestId(page, 'studio-feature-recency_days').uncheck();
  await byTestId(page, 'studio-scaling-robust').check();
  await page.waitForFunction(() => {
    const table = document.querySelector('.segment-card table.centroid');
    return table && !table.textContent.includes('recency_days');
  });
  const centroidRows = await page.locator('[data-testid="segment-card"]').first().locator('table.centroid tr').count();
  assert.equal(centroidRows, 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an export in another layout is mapped by the marketer, and blanks can be filled', async () => {
  const { page, errors } = await openStudio();
  await load(page, `${FIXTURES}/shop-export.csv`, { waitFor: 'studio-mapping' });
  // The guesses are filled in; the date column has a name the studio does not know.
  assert.equal(await byTestId(page, 'studio-map-customer').inputValue(), 'Client');
  assert.equal(await byTestId(page, 'studio-map-item').inputValue(), 'SKU');
  assert.equal(await byTestId(page, 'studio-map-timestamp').inputValue(), '');
  assert.ok(await byTestId(page, 'studio-map-confirm').isDisabled());
  await byTestId(page, 'studio-map-timestamp').selectOption('Purchased On');
  await byTestId(page, 'studio-map-confirm').click();
  await byTestId(page, 'segment-card').first().waitFor({ timeout: 60_000 });

  const cleaning = byTestId(page, 'studio-cleaning');
  const cell = (selector) => cleaning.locator(selector).textContent();
  assert.equal(await cell('tr[data-row="dates"] td'), '3,000');
  // Every date (12/1/2010 ...) reads both ways and none decides: read month-first, and said.
  assert.equal(await cell('tr[data-row="dates-month-first"] td'), '3,000');
  assert.equal(await cell('tr[data-row="prices"] td'), '3,000');
  assert.match(await cleaning.textContent(), /91 customers/);
  // Three blank quantities, dropped by default; filling them with the median keeps them.
  assert.equal(await cell('tr[data-field="quantity"] td >> nth=0'), '3');
  assert.equal(await cell('tr[data-row="blank-dropped"] td'), '3');
  await byTestId(page, 'studio-missing-quantity').selectOption('median');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="studio-cleaning"] tr[data-row="filled"] td')?.textContent === '3');
  await byTestId(page, 'segment-card').first().waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('the marketer can say how prices and slash dates are written', async () => {
  const { page, errors } = await openStudio();
  await load(page, `${FIXTURES}/shop-export.csv`, { waitFor: 'studio-mapping' });
  // The studio's guess: each value as it reads, the file's dates deciding their order.
  assert.equal(await byTestId(page, 'studio-map-number-format').inputValue(), 'auto');
  assert.equal(await byTestId(page, 'studio-map-date-order').inputValue(), 'auto');
  await byTestId(page, 'studio-map-timestamp').selectOption('Purchased On');
  await byTestId(page, 'studio-map-number-format').selectOption('decimal-point');
  await byTestId(page, 'studio-map-date-order').selectOption('day-first');
  await byTestId(page, 'studio-map-confirm').click();
  await byTestId(page, 'segment-card').first().waitFor({ timeout: 60_000 });
  const cleaning = byTestId(page, 'studio-cleaning');
  assert.equal(await cleaning.locator('tr[data-row="dates"] td').textContent(), '3,000');
  assert.equal(await cleaning.locator('tr[data-row="prices"] td').textContent(), '3,000');
  // Stated day-first, no date was read month-first for want of a decision.
  assert.equal(await cleaning.locator('tr[data-row="dates-month-first"] td').textContent(), '0');
  assert.deepEqual(errors, []);
  await page.close();
});

test('broken files get a clear message, and the page stays usable', async () => {
  const { page } = await openStudio();
  const error = byTestId(page, 'studio-error');

  await byTestId(page, 'studio-file-input').setInputFiles({
    name: 'orders.csv.gz', mimeType: 'application/gzip',
    buffer: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  });
  await error.waitFor();
  assert.match(await error.textContent(), /^orders\.csv\.gz: cannot read input/);

  await byTestId(page, 'studio-file-input').setInputFiles({
    name: 'cancelled.csv', mimeType: 'text/csv',
    buffer: Buffer.from('InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n'
      + 'C1,10001,MUG,-2,2011-01-01 10:00:00,1.50,7\n'),
  });
  await page.waitForFunction(() => /no usable order rows/.test(document.querySelector('[data-testid="studio-error"]')?.textContent));

  await load(page, SAMPLE);
  assert.equal(await error.count(), 0);
  await page.close();
});

test('the full demo data is segmented, and a long run can be cancelled', async () => {
  const { page, errors } = await openStudio();
  // Cancel while reading: the studio says so and starts over.
  await byTestId(page, 'studio-file-input').setInputFiles(DEMO);
  await byTestId(page, 'studio-cancel').click();
  await byTestId(page, 'studio-error').waitFor();
  assert.match(await byTestId(page, 'studio-error').textContent(), /Cancelled/);
  assert.equal(await byTestId(page, 'studio-progress').count(), 0);

  // "Try it with the demo store's orders": the same three files, from the studio's own site.
  await byTestId(page, 'studio-demo-orders').click();
  await byTestId(page, 'segment-card').first().waitFor({ timeout: 120_000 });
  assert.equal(await byTestId(page, 'studio-file-names').textContent(), DEMO.map((path) => path.slice('data/'.length)).join(', '));
  const cleaning = await byTestId(page, 'studio-cleaning').textContent();
  // Numbers and dates as Intl writes them in English.
  assert.match(cleaning, /4,334 customers and 3,659 products, orders from December 1, 2010 to December 9, 2011\./);
  assert.ok((await byTestId(page, 'segment-card').count()) >= 2);
  assert.ok((await dotsDrawn(page)) <= 2000);
  assert.deepEqual(errors, []);
  await page.close();
});
