// Times aisle-core's kernels compiled to wasm, with and without simd128, in this browser.
// scripts/bench.mjs opens this page and reads `window.benchResults`.
const runs = 15;
const results = {};
for (const variant of ['simd128', 'scalar']) {
  const module = await import(`./${variant}/aisle_bench.js`);
  await module.default();
  results[variant] = {
    lloyd_iteration_ms: module.lloyd_iteration_ms(runs),
    top_twenty_ms: module.top_twenty_ms(runs),
  };
}
const simd = await import('./simd128/aisle_bench.js');
const [recordMs, storedBytes, loadMs] = simd.million_events();
results.million_events = { record_ms: recordMs, stored_bytes: storedBytes, load_ms: loadMs };
window.benchResults = results;
document.getElementById('results').textContent = JSON.stringify(results, null, 2);
