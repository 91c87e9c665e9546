// Times aisle-core's kernels compiled to wasm, with and without simd128, in this browser.
// scripts/bench.mjs opens this page and reads `window.benchResults`.
const runs = 15;
// Each Lloyd run is a whole fit of 30 iterations, so fewer runs give as steady a median.
const lloydRuns = 5;
const results = {};
for (const variant of ['simd128', 'scalar']) {
  const module = await import(`./${variant}/aisle_bench.js`);
  await module.default();
  // Warm up first, as criterion does natively: V8 compiles a wasm function at its top tier
  // only after it has run a while, in the background, and a call already running never
  // switches to the new code. Untimed, then a pause for that compilation to land.
  module.lloyd_iteration_ms(1);
  module.top_twenty_ms(3);
  await new Promise((resolve) => setTimeout(resolve, 500));
  results[variant] = {
    lloyd_iteration_ms: module.lloyd_iteration_ms(lloydRuns),
    top_twenty_ms: module.top_twenty_ms(runs),
  };
}
const simd = await import('./simd128/aisle_bench.js');
const [recordMs, storedBytes, loadMs] = simd.million_events();
results.million_events = { record_ms: recordMs, stored_bytes: storedBytes, load_ms: loadMs };
window.benchResults = results;
document.getElementById('results').textContent = JSON.stringify(results, null, 2);
