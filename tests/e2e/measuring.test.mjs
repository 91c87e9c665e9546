// Measuring without tracking: the privacy center counts what each shelf showed, what was
// opened from it and what was added to the cart and bought after, and shows the arm of the
// demo's experiment (docs/examples/experiment.json), which hides "Popular with customers like
// you" in one arm; the shopper can leave it. The arm is drawn with Math.random, which each test
// fixes. With a report endpoint in the bundle, the only requests beyond the site's own files
// are one POST a week, without cookies, whose body holds the randomized fields only.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, buildBundle, collectErrors, openStore, siteWithoutBundle, smallShopOrders } from './harness.mjs';

let store;
before(async () => {
  store = await openStore();
});
after(async () => {
  await store?.close();
});

/** A new shopper whose browser draws `uniform` for its arm (the demo's arms split at 0.5). */
async function newShopper(uniform) {
  const context = await store.browser.newContext();
  await context.addInitScript((value) => {
    Math.random = () => value;
  }, uniform);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(store.url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  return { context, page, errors };
}

const byTestId = (page, testid) => page.locator(`[data-testid="${testid}"]`);

/** Opens the first "For you" product, puts it in the cart and checks out; its id. */
async function buyFromForYou(page) {
  const card = page.locator('[data-testid="rec-for-you"] [data-testid="rec-card"]').first();
  const id = await card.getAttribute('data-item-id');
  await card.locator('a').first().click();
  await page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();
  await byTestId(page, 'add-to-cart').click();
  await byTestId(page, 'in-cart').waitFor();
  await byTestId(page, 'cart-link').click();
  await byTestId(page, 'checkout').click();
  await byTestId(page, 'order-placed').waitFor();
  return id;
}

/** The privacy center's attribution row of `placement`: shown, opened, added, bought. */
async function counts(page, placement) {
  const row = page.locator(`[data-testid="attribution"] tr[data-row="${placement}"] td`);
  return (await row.allTextContents()).map(Number);
}

test('a purchase after opening a recommendation counts for its shelf on "Your data"', async () => {
  const { context, page, errors } = await newShopper(0.25);
  await buyFromForYou(page);
  await page.goto(`${store.url}#/privacy`);
  await byTestId(page, 'attribution').waitFor();
  const [shown, opened, added, bought] = await counts(page, 'for-you');
  assert.ok(shown >= 8, `shown ${shown}`);
  assert.deepEqual([opened, added, bought], [1, 1, 1]);
  // "Trending" showed products on the home page too; none was opened from it.
  assert.deepEqual((await counts(page, 'trending')).slice(1), [0, 0, 0]);
  // The counts are kept: a reload reads them back from storage.
  await page.reload();
  await byTestId(page, 'attribution').waitFor();
  assert.deepEqual((await counts(page, 'for-you')).slice(1), [1, 1, 1]);
  await context.close();
  assert.deepEqual(errors, []);
});

test('the arm drawn decides a shelf, shows on "Your data", and the shopper can leave', async () => {
  for (const [uniform, arm, likeYouShelves] of [[0.25, 'with', 1], [0.75, 'without', 0]]) {
    const { context, page, errors } = await newShopper(uniform);
    await buyFromForYou(page);
    await page.goto(`${store.url}#/`);
    await byTestId(page, 'rec-buy-again').waitFor();
    assert.equal(await byTestId(page, 'rec-customers-like-you').count(), likeYouShelves, arm);

    await page.goto(`${store.url}#/privacy`);
    await byTestId(page, 'experiment-arm').waitFor();
    assert.equal(await byTestId(page, 'experiment-arm').getAttribute('data-arm'), arm);
    assert.match(await byTestId(page, 'experiment-arm').textContent(), new RegExp(`“like-you-shelf”.*“${arm}”`));
    await byTestId(page, 'leave-experiment').click();
    await byTestId(page, 'experiment-left').waitFor();
    // Leaving holds across a reload (no new draw), and the store shows every shelf again.
    await page.reload();
    await byTestId(page, 'experiment-left').waitFor();
    await page.goto(`${store.url}#/`);
    await byTestId(page, 'rec-customers-like-you').waitFor();
    await context.close();
    assert.deepEqual(errors, []);
  }
});

/** Opens the first "For you" product of the page's store. */
async function openFromForYou(page) {
  const card = page.locator('[data-testid="rec-for-you"] [data-testid="rec-card"]').first();
  const id = await card.getAttribute('data-item-id');
  await card.locator('a').first().click();
  await page.locator(`[data-testid="product-page"][data-item-id="${id}"]`).waitFor();
}

test('with a report endpoint, the only extra requests are weekly POSTs of randomized fields, without cookies', async () => {
  const work = mkdtempSync(join(tmpdir(), 'aisle-reports-'));
  const site = join(work, 'site');
  siteWithoutBundle(site);
  const declaration = join(work, 'measuring.json');
  const demo = JSON.parse(readFileSync('docs/examples/experiment.json', 'utf8'));
  const endpoint = `${BASE}aisle-reports`;
  writeFileSync(declaration, JSON.stringify({ ...demo, reports: { endpoint, epsilon: 1 } }));
  const titles = ['Red Tea Cup', 'Blue Tea Cup', 'Green Lantern', 'White Lantern', 'Candle Set', 'Tea Towel'];
  buildBundle(join(work, 'orders.csv'), smallShopOrders(titles, 2), site, ['--measuring', declaration]);
  const reportsStore = await openStore({ root: site });
  const origin = new URL(reportsStore.url).origin;
  const context = await reportsStore.browser.newContext();
  // A cookie of the store's own origin, which a report must not carry.
  await context.addCookies([{ name: 'session', value: 'secret', url: reportsStore.url }]);
  // The arm "without"; and a clock the test moves on by whole days, kept across reloads.
  await context.addInitScript(() => {
    Math.random = () => 0.75;
    const days = Number(localStorage.getItem('test-clock-days') || 0);
    const realNow = Date.now;
    Date.now = () => realNow() + days * 86400000;
  });
  const requests = [];
  context.on('request', (request) => {
    if (!request.serviceWorker()) requests.push(request);
  });
  const received = [];
  await context.route(`**${endpoint}`, async (route) => {
    received.push({ headers: await route.request().allHeaders(), body: route.request().postData(), method: route.request().method() });
    await route.fulfill({ status: 204 });
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const byTestId = (testid) => page.locator(`[data-testid="${testid}"]`);
  const later = async (days) => {
    await page.evaluate((value) => localStorage.setItem('test-clock-days', String(value)), days);
    await page.goto(`${reportsStore.url}#/privacy`);
    await page.reload();
    await byTestId('reports-state').waitFor();
    await page.waitForLoadState('networkidle');
  };

  await page.goto(reportsStore.url);
  await openFromForYou(page);
  await later(0);
  assert.equal(received.length, 0, 'nothing is owed for a week not over');
  assert.match(await page.locator('.promise').textContent(), /weekly report/);

  await later(7);
  await page.locator('[data-testid="sent-reports"] tr[data-row="arrived"]').waitFor();
  assert.equal(received.length, 1, 'one report for the week with the open');
  const [report] = received;
  assert.equal(report.method, 'POST');
  assert.equal(report.headers.cookie, undefined, 'no cookie');
  assert.equal(report.headers.referer, undefined, 'no referrer');
  const body = JSON.parse(report.body);
  assert.deepEqual(Object.keys(body).sort(), ['answer', 'arm', 'epsilon', 'period', 'schema']);
  assert.equal(body.arm, 'without');
  assert.equal(body.epsilon, 1);
  assert.match(body.period, /^\d{4}-W\d{2}$/);
  assert.ok(['nothing', 'opened', 'bought'].includes(body.answer), body.answer);
  // "Your data" shows exactly what left, and that it arrived.
  assert.equal(await page.locator('[data-testid="sent-reports"] tr[data-row="arrived"] td').nth(1).textContent(), report.body);

  // The same week again sends nothing more.
  await openFromForYouAt(page, reportsStore.url);
  await later(7);
  assert.equal(received.length, 1, 'at most one report a week');
  // Turned off, the next week's report is not sent; turned on again, it is.
  await byTestId('reports-switch').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="reports-state"]').textContent.includes('off'));
  await later(14);
  assert.equal(received.length, 1, 'nothing sent while reports are off');
  await byTestId('reports-switch').click();
  await later(14);
  await page.locator('[data-testid="sent-reports"] tr[data-row="arrived"]').nth(1).waitFor();
  assert.equal(received.length, 2);

  // Every other request was a GET of the store's own origin.
  for (const request of requests) {
    if (new URL(request.url()).pathname === endpoint) continue;
    assert.equal(new URL(request.url()).origin, origin, request.url());
    assert.equal(request.method(), 'GET', request.url());
  }
  await context.close();
  await reportsStore.close();
  rmSync(work, { recursive: true, force: true });
  assert.deepEqual(errors, []);
});

/** Goes to the store's home page and opens a "For you" product (an event in this week). */
async function openFromForYouAt(page, url) {
  await page.goto(url);
  await page.locator('[data-testid="rec-for-you"]').waitFor();
  await openFromForYou(page);
}
