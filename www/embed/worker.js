// Aisle in a Web Worker: the recommender loads and ranks off the page's main thread, so a page
// that does heavy work of its own stays responsive. Start it as a module worker,
//   const worker = new Worker('worker.js', { type: 'module' });
// and send `{ id, method, args }` for any of the Recommender's methods (`track`, `recommend`,
// `exportProfile`, ...); the answer is `{ id, result }` or `{ id, error }`.
//
// Everything the package needs is in a worker too: the global `fetch` for the bundle, IndexedDB
// for the profile, BroadcastChannel to share it with the shop's other tabs.
import init, { Recommender } from './pkg/aisle.js';

const ready = init().then(() => Recommender.load('../bundle/manifest.json'));

addEventListener('message', async ({ data: { id, method, args = [] } }) => {
  try {
    const aisle = await ready;
    if (typeof aisle[method] !== 'function') throw new Error(`Recommender has no method ${method}`);
    postMessage({ id, result: await aisle[method](...args) });
  } catch (error) {
    postMessage({ id, error: String(error?.message ?? error) });
  }
});
