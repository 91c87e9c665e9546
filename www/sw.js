// The store's service worker: a returning shopper can browse, get recommendations and see "Your
// data" with no network, since everything after the download already runs on the device.
//
// It fetches nothing the page did not ask for, so the store's zero-egress guarantee holds: it
// answers the site's own GET requests, keeps a copy of each, and when the page first installs it,
// copies the files that page load already fetched (`cache: 'only-if-cached'` takes them from the
// HTTP cache, so nothing is downloaded twice). Other origins and other methods pass untouched.
//
// Two kinds of file, two rules:
// - Named by their content (`aisle-web-<hash>_bg.wasm`, `catalog.<hash>.bin`): they never change,
//   so the cached copy answers, and caching a new version drops the older ones of the same name.
// - Named plainly (the pages, `bundle/manifest.json`): the network answers when it can, so a
//   deploy is seen at once; the cached copy answers only when the network does not.

const CACHE = 'aisle-offline';

/** A content hash in a file name, as trunk (`-<hex>`) and `aisle build` (`.<16 hex>.`) write it.
 * Trunk writes its 64-bit hash without leading zeros, so one build in sixteen has 15 digits or
 * fewer; 8 at the least keeps a plain name with a short number in it (`page-1.html`) plain. */
const CONTENT_HASH = /[-.][0-9a-f]{8,16}(?=(_bg)?\.[a-z0-9]+$)/;

const withinScope = (url) => url.startsWith(self.registration.scope);

/** The cache key: the page's address without its query, so `./` and `./?utm=…` are one page. */
function keyOf(request) {
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  return url.href;
}

/** Keeps `response` for `key`, dropping other versions of a content-named file. Storage may be
 * full or unavailable: the response still goes to the page, only its copy is lost. */
async function keep(key, response) {
  if (!response.ok || response.type !== 'basic') return;
  try {
    const cache = await caches.open(CACHE);
    const stem = key.replace(CONTENT_HASH, '');
    if (stem !== key) {
      for (const old of await cache.keys()) {
        if (old.url !== key && old.url.replace(CONTENT_HASH, '') === stem) await cache.delete(old);
      }
    }
    await cache.put(key, response);
  } catch {
    // The shopper stays online-only for this file.
  }
}

async function answer(event) {
  const key = keyOf(event.request);
  if (CONTENT_HASH.test(key)) {
    const cached = await caches.match(key);
    if (cached) return cached;
    const response = await fetch(event.request);
    event.waitUntil(keep(key, response.clone()));
    return response;
  }
  try {
    const response = await fetch(event.request);
    event.waitUntil(keep(key, response.clone()));
    return response;
  } catch (offline) {
    const cached = await caches.match(key);
    if (cached) return cached;
    throw offline;
  }
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || !withinScope(request.url)) return;
  event.respondWith(answer(event));
});

// The page that registered this worker loaded before it was in control: it sends the addresses
// it fetched, and they are copied from the HTTP cache, never from the network. A file the HTTP
// cache does not hold (one larger than the browser keeps there, or still on its way) would
// otherwise be downloaded a second time, at the cost of the whole file for a large bundle part;
// it is kept instead the next time the page asks for it, through this worker.
self.addEventListener('message', (event) => {
  const urls = Array.isArray(event.data?.loaded) ? event.data.loaded : [];
  const copies = urls
    .filter((url) => typeof url === 'string' && withinScope(url))
    .map(async (url) => {
      try {
        const request = new Request(url, { cache: 'only-if-cached', mode: 'same-origin' });
        await keep(keyOf(request), await fetch(request));
      } catch {
        // Not in the HTTP cache: the next visit caches it.
      }
    });
  event.waitUntil(Promise.all(copies).then(() => event.source?.postMessage({ cached: urls.length })));
});
