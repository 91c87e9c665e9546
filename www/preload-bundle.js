// The start of the store's start-up script (scripts/finish-build.mjs puts it there): the bundle
// downloads while the wasm compiles. Its files are named by their content and change with every
// deploy, so the page cannot list them; this reads the manifest once (from the page's preload),
// hands its bytes to the store as `window.aisleManifest`, and preloads the files it lists, which
// the store's own requests for them then take from the preload cache. Not the files the manifest
// marks `on_demand` (the shards of what products bring to a history: EASE weights, basket
// partners, re-order rates; and a large catalog's texts but its first page's): they are most of a
// large shop's bundle, the first page does not wait for them, and the store fetches the texts
// once it is painted and the shards a shopper's history needs
// (crates/browser/src/bundle_loader.rs).
window.aisleManifest = fetch('bundle/manifest.json')
  .then((response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.arrayBuffer();
  })
  .then((bytes) => {
    try {
      for (const file of JSON.parse(new TextDecoder().decode(bytes)).files) {
        if (file.on_demand) continue;
        const link = document.createElement('link');
        Object.assign(link, { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous' });
        link.href = `bundle/${encodeURI(file.name)}`;
        document.head.append(link);
      }
    } catch {
      // Not a manifest this script can read: the store reads it and says what is wrong.
    }
    // The page's first Intl.NumberFormat, in any locale, loads the browser's number formatting
    // data: 13 to 25 ms in V8, against under 1 ms for every later one. Made here, while the
    // wasm still downloads and compiles, the store's first prices do not wait for it (in
    // Chromium's profiler, the demo's first price took 29 ms without this and 4 ms with it).
    new Intl.NumberFormat();
    return bytes;
  });
