// The end of the store's start-up code (scripts/finish-build.mjs puts it there): offline use.
// The service worker (www/sw.js) is registered once the page has loaded and is idle, so it
// does not compete with the first recommendations. This first load ran before it was in
// control; when it takes control, it is told what the load fetched (and, through the preloads,
// what it is still fetching, such as a large bundle part), and copies those files from the
// HTTP cache.
const registerOffline = () => {
  const worker = navigator.serviceWorker;
  if (!worker) return;
  if (!worker.controller) {
    worker.addEventListener('controllerchange', () => worker.controller.postMessage({
      loaded: [
        location.href,
        ...performance.getEntriesByType('resource').map((entry) => entry.name),
        ...[...document.querySelectorAll('link[rel=preload]')].map((link) => link.href),
      ],
    }), { once: true });
  }
  // No service worker (a private window, a browser without one): the store works online only.
  worker.register('sw.js').catch(() => {});
};
// The store fetches the shards a shopper's history needs after its first page
// (crates/browser/src/bundle_loader.rs), perhaps before the worker is in control and after the
// list above was sent: once they have arrived, it names them here, and a worker in control
// copies them from the HTTP cache too.
window.aisleKeepOffline = (url) => navigator.serviceWorker?.controller?.postMessage({ loaded: [new URL(url, location.href).href] });
// The start-up code above awaits the wasm, so the page may have finished loading already; the
// store may still be decoding its bundle, so registering waits for the page to be idle (copying
// the first visit competes for the same cores).
const registerWhenIdle = () => (window.requestIdleCallback ?? setTimeout)(registerOffline, { timeout: 5000 });
if (document.readyState === 'complete') registerWhenIdle();
else addEventListener('load', registerWhenIdle);
