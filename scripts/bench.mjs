// The browser half of scripts/bench, and its summary: times the wasm kernels in Chromium (with
// and without simd128), the store's cold start and "For you" refresh, the studio's whole
// pipeline on the demo data, measures the download sizes, and prints one JSON object with the native (criterion) and anchor (Python) figures
// scripts/bench gathered. Exits 1 when a size is over its budget.
//
//   node scripts/bench.mjs <anchors.json or "skipped: why"> <studio CSV> <pandas anchor JSON or "skipped: why">

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium.mjs';
import { startServer } from './serve.mjs';
import { firstForYouMs, gzipped, noteFirstForYou } from './measure.mjs';

const RUNS = 5;
/** Cards on a full shelf (`SHELF_SIZE` in src/components/shelf.rs). */
const SHELF_SIZE = 8;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const round = (value, digits = 3) => Number(value.toFixed(digits));

function criterionMs(name) {
  const estimates = JSON.parse(readFileSync(`target/criterion/${name}/new/estimates.json`, 'utf8'));
  return estimates.mean.point_estimate / 1e6;
}

/** The pandas + scikit-learn pipeline's timings (scripts/studio_anchor.py, one JSON object a
 * line, a run each): the median run, with every run's total, or why not. */
function studioAnchor() {
  const source = process.argv[4] ?? 'skipped: no pandas anchor given';
  if (source.startsWith('skipped')) return source;
  const runs = readFileSync(source, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  const middle = [...runs].sort((a, b) => a.total_s - b.total_s)[runs.length >> 1];
  return { ...middle, runs_total_s: runs.map((run) => run.total_s) };
}

function anchors() {
  const source = process.argv[2] ?? 'skipped: no anchors file given';
  if (source.startsWith('skipped')) return source;
  return JSON.parse(readFileSync(source, 'utf8'));
}

async function wasmKernels(browser) {
  const { server, url } = await startServer({ root: 'target/bench-site', port: 0, base: '/' });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.benchResults, null, { timeout: 600_000 });
    return await page.evaluate(() => window.benchResults);
  } finally {
    server.close();
  }
}

/** Navigation to the first "For you" card, in a fresh context (empty cache), RUNS times
 * (scripts/measure.mjs notes the frame). */
async function coldStart(browser, url) {
  const times = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await noteFirstForYou(page);
    await page.goto(url);
    times.push(await firstForYouMs(page));
    await context.close();
  }
  return { median_ms: round(median(times), 1), runs_ms: times.map((t) => round(t, 1)) };
}

/** From "Not interested" on the first "For you" card to two changes of the page, RUNS times:
 * `answered`, the first after which its "For you" shelf shows cards other than before (the
 * dismissed card gone), and `ranked`, the first after which it shows a full shelf (SHELF_SIZE
 * cards) other than before, ranked again once the dismissed product's shard, if it was missing,
 * has arrived. The store may render the shelf afresh, so the whole page is watched, not the
 * shelf's node. */
async function refresh(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid="rec-for-you"] [data-testid="rec-card"]').first().waitFor();
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    runs.push(
      await page.evaluate(
        ({ timeoutMs, shelfSize }) =>
          new Promise((resolve, reject) => {
            const cards = () => [...document.querySelectorAll('[data-testid="rec-for-you"] [data-testid="rec-card"]')];
            const shown = () => cards().map((card) => card.dataset.itemId).join(' ');
            const before = shown();
            let answered;
            const observer = new MutationObserver(() => {
              const now = shown();
              if (now === '' || now === before) return;
              answered ??= performance.now() - start;
              if (cards().length < shelfSize) return;
              observer.disconnect();
              clearTimeout(timer);
              resolve({ answered, ranked: performance.now() - start });
            });
            const timer = setTimeout(() => {
              observer.disconnect();
              reject(new Error(`the "For you" shelf was not full again within ${timeoutMs} ms of "Not interested"`));
            }, timeoutMs);
            observer.observe(document.body, { childList: true, subtree: true, attributes: true });
            const start = performance.now();
            document.querySelector('[data-testid="rec-for-you"] [data-testid="dismiss"]').click();
          }),
        { timeoutMs: 30_000, shelfSize: SHELF_SIZE },
      ),
    );
  }
  await context.close();
  const figures = (times) => ({ median_ms: round(median(times), 2), runs_ms: times.map((t) => round(t, 2)) });
  return {
    answered: figures(runs.map((run) => run.answered)),
    ranked: figures(runs.map((run) => run.ranked)),
    frame_ms: 16.7,
  };
}

/** A marketer's time to choose a file once the studio page shows, at the least. The page starts
 * its worker when it opens, so by then the worker is compiled and waiting, as Python's imports are
 * done before the pandas anchor starts its clock (scripts/studio_anchor.py). */
const CHOOSING_A_FILE_MS = 2000;

/** The studio on the whole Online Retail log as one uncompressed CSV (`csv`): from the file being
 * picked to the first segment card, with the time of each stage the worker reports, RUNS times (a
 * fresh page each run); `simd: false` pretends the browser has no wasm SIMD, so the studio starts
 * its plain worker. */
async function studioPipeline(browser, url, csv, { simd = true } = {}) {
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const page = await browser.newPage();
    // The studio asks WebAssembly.validate about its SIMD probe only (crates/studio/src/client.rs).
    if (!simd) await page.addInitScript(() => { WebAssembly.validate = () => false; });
    await page.goto(`${url}studio/`);
    await page.getByTestId('studio-file').waitFor();
    await page.waitForTimeout(CHOOSING_A_FILE_MS);
    await page.evaluate(() => {
      window.studioMarks = [];
      const mark = (stage) => window.studioMarks.push([stage, performance.now()]);
      document.querySelector('[data-testid="studio-file-input"]').addEventListener('change', () => mark('picked'), true);
      new MutationObserver(() => {
        const stage = document.querySelector('[data-testid="studio-stage"]')?.textContent;
        const last = window.studioMarks.at(-1)?.[0];
        if (stage && stage !== last && !(stage.startsWith('Reading') && last?.startsWith('Reading'))) mark(stage);
        if (document.querySelector('[data-testid="segment-card"]') && last !== 'rendered') mark('rendered');
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.getByTestId('studio-file-input').setInputFiles(csv);
    await page.getByTestId('segment-card').first().waitFor({ timeout: 300_000 });
    const marks = await page.evaluate(() => window.studioMarks);
    await page.close();
    const start = marks[0][1];
    const end = marks.find(([stage]) => stage === 'rendered')[1];
    // Stages by kind: reading, cleaning, features, the segmentation request's start (scaling and
    // ranking the features, before its first k), the k sweep, the rest up to the rendered cards.
    const features = marks.findIndex(([stage]) => stage.startsWith('Computing'));
    const kind = (stage, index) =>
      stage === 'Starting' && features >= 0 && index > features ? 'segment_start'
        : stage.startsWith('Reading') || stage === 'picked' || stage === 'Starting' ? 'load'
        : stage === 'Cleaning' ? 'clean'
        : stage.startsWith('Computing') ? 'features'
        : stage.startsWith('Trying') ? 'k_sweep'
        : 'kmeans_describe_render';
    const stages = {};
    marks.forEach(([stage, at], index) => {
      if (stage === 'rendered') return;
      const next = marks[index + 1]?.[1] ?? end;
      stages[kind(stage, index)] = (stages[kind(stage, index)] ?? 0) + (next - at) / 1000;
    });
    runs.push({ total_s: (end - start) / 1000, stages_s: stages });
  }
  const best = runs.reduce((a, b) => (a.total_s <= b.total_s ? a : b));
  const medianTotal = median(runs.map((r) => r.total_s));
  const rounded = (stages) => Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, round(v, 3)]));
  return {
    median_total_s: round(medianTotal, 3),
    runs_total_s: runs.map((r) => round(r.total_s, 3)),
    fastest_run_stages_s: rounded(best.stages_s),
  };
}

function sizes() {
  const code = (dir) => readdirSync(dir).filter((file) => file.endsWith('.wasm') || file.endsWith('.js'));
  const storefront = code('dist').reduce((sum, file) => sum + gzipped(join('dist', file)), 0);
  const studio = code('dist/studio').reduce((sum, file) => sum + gzipped(join('dist/studio', file)), 0);
  const simdWorker = code('dist/studio/simd128').reduce((sum, file) => sum + gzipped(join('dist/studio/simd128', file)), 0);
  // What a shopper downloads: the manifest and the files it lists.
  const manifest = JSON.parse(readFileSync('dist/bundle/manifest.json', 'utf8'));
  const bundleFiles = ['manifest.json', ...manifest.files.map((file) => file.name)].map((name) => join('dist/bundle', name));
  const bundle = bundleFiles.reduce((sum, file) => sum + gzipped(file), 0);
  const bundleRaw = bundleFiles.reduce((sum, file) => sum + statSync(file).size, 0);
  return {
    storefront_wasm_js_gzip_bytes: storefront,
    studio_page_and_worker_gzip_bytes: studio,
    // Fetched instead of the plain worker where the browser has wasm SIMD.
    studio_simd128_worker_gzip_bytes: simdWorker,
    demo_bundle_gzip_bytes: bundle,
    demo_bundle_bytes: bundleRaw,
    js_package_wasm_gzip_bytes: gzipped('crates/js/pkg/aisle_bg.wasm'),
  };
}

const browser = await launchChromium();
const { server, url } = await startServer({ root: 'dist', port: 0, base: '/shop/' });
let summary;
try {
  const native = { lloyd_iteration_ms: round(criterionMs('lloyd')), top_twenty_ms: round(criterionMs('top_twenty')) };
  const { million_events: millionEvents, ...wasm } = await wasmKernels(browser);
  for (const variant of Object.values(wasm)) {
    for (const key of Object.keys(variant)) variant[key] = round(variant[key]);
  }
  const anchor = anchors();
  const measured = sizes();
  const cold = await coldStart(browser, url);
  const studioCsv = process.argv[3];
  const studio = studioCsv ? await studioPipeline(browser, url, studioCsv) : 'skipped: no CSV given';
  const studioPlain = studioCsv ? await studioPipeline(browser, url, studioCsv, { simd: false }) : 'skipped: no CSV given';
  const pandas = studioAnchor();
  const refreshed = await refresh(browser, url);
  const best = wasm.simd128;
  const wasmLloydVsSklearn = typeof anchor === 'string' ? anchor : round(best.lloyd_iteration_ms / anchor.sklearn_lloyd_iteration_ms);
  const versusPandas = (run) => (typeof run === 'string' || typeof pandas === 'string' ? 'skipped' : round(run.median_total_s / pandas.total_s, 2));
  const targets = [
    { name: 'wasm Lloyd iteration vs scikit-learn (ratio, <= 0.6)', value: wasmLloydVsSklearn, limit: 0.6 },
    { name: 'wasm top 20 (ms, <= 2)', value: best.top_twenty_ms, limit: 2 },
    { name: 'cold start to first "For you" (ms, median of 5, <= 250)', value: cold.median_ms, limit: 250 },
    { name: 'studio pipeline in Chromium with the SIMD worker vs pandas + scikit-learn natively (ratio, <= 0.5)', value: versusPandas(studio), limit: 0.5 },
    { name: 'studio pipeline in Chromium with the plain worker vs pandas + scikit-learn natively (ratio, <= 1)', value: versusPandas(studioPlain), limit: 1 },
    { name: '"For you" answers "Not interested" (ms, <= one frame)', value: refreshed.answered.median_ms, limit: 16.7 },
    { name: 'storefront wasm + JS (gzip bytes, <= 300 KiB)', value: measured.storefront_wasm_js_gzip_bytes, limit: 300 * 1024, budget: true },
    { name: 'demo bundle (gzip bytes, <= 2 MiB)', value: measured.demo_bundle_gzip_bytes, limit: 2 * 1024 * 1024, budget: true },
    { name: 'JS package wasm (gzip bytes, <= 250 KiB)', value: measured.js_package_wasm_gzip_bytes, limit: 250 * 1024, budget: true },
  ].map((target) => ({ ...target, met: typeof target.value === 'number' ? target.value <= target.limit : 'skipped' }));
  summary = {
    native,
    wasm,
    simd128_speedup: {
      lloyd_iteration: round(wasm.scalar.lloyd_iteration_ms / wasm.simd128.lloyd_iteration_ms, 2),
      top_twenty: round(wasm.scalar.top_twenty_ms / wasm.simd128.top_twenty_ms, 2),
      studio_pipeline: typeof studio === 'string' ? studio : round(studioPlain.median_total_s / studio.median_total_s, 2),
    },
    anchors: anchor,
    ratios:
      typeof anchor === 'string'
        ? anchor
        : {
            wasm_lloyd_vs_sklearn: wasmLloydVsSklearn,
            native_lloyd_vs_sklearn: round(native.lloyd_iteration_ms / anchor.sklearn_lloyd_iteration_ms),
            wasm_top_twenty_vs_numpy: round(best.top_twenty_ms / anchor.numpy_top_twenty_ms),
            native_top_twenty_vs_numpy: round(native.top_twenty_ms / anchor.numpy_top_twenty_ms),
          },
    studio_pipeline: {
      studio_in_chromium: studio,
      studio_in_chromium_without_simd: studioPlain,
      pandas_sklearn_native: pandas,
      ratio: versusPandas(studio),
      ratio_without_simd: versusPandas(studioPlain),
    },
    profile_of_a_million_events: {
      record_ms: round(millionEvents.record_ms, 0),
      stored_bytes: millionEvents.stored_bytes,
      load_ms: round(millionEvents.load_ms, 1),
    },
    cold_start: cold,
    for_you_refresh: refreshed,
    sizes: measured,
    targets,
  };
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(summary, null, 2));
process.exit(summary.targets.some((target) => target.budget && target.met === false) ? 1 : 0);
