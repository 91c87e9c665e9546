// Trunk post-build hook for release builds (the store's and the studio's): shrinks the wasm with
// binaryen's wasm-opt and the JavaScript with esbuild (both from npm, so trunk never downloads a
// tool), moves trunk's inline start-up script into a file (the store's begins with
// www/preload-bundle.js and ends with www/register-offline.js), copies the store's service worker
// (www/sw.js), adds a strict Content-Security-Policy, and recomputes the integrity hashes of what
// changed.
//
// The JavaScript is minified because it counts against the store's download budget beside the
// wasm: wasm-bindgen's glue and the hand-written scripts keep their comments and long names in
// the source, where they explain, and drop them in what the shopper downloads.
//
// Without the inline script the page runs under `script-src 'self'`: no inline code can execute,
// even if a product title ever smuggled some into the page. Debug builds (`trunk serve`) are left
// as trunk made them, live-reload script included.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { optimiseWasm } from './wasm-opt.mjs';

/** The policy every page of the store ships with. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const shortHash = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

function fail(message) {
  console.error(`finish-build: ${message}`);
  process.exit(1);
}

/** `code` minified: an ES module keeps its exports, a classic script (a service worker) is
 * wrapped so that its names stay its own. */
const minified = (code, { module = true } = {}) =>
  transformSync(code, { minify: true, format: module ? 'esm' : 'iife', target: 'es2022', legalComments: 'none' }).code;

const wwwFile = (file) => readFileSync(new URL(`../www/${file}`, import.meta.url), 'utf8');

/** Rewrites index.html: the inline module script becomes a file, the CSP goes in, and every
 * integrity attribute is recomputed from the files as they now are. */
function finishHtml(dir) {
  const htmlPath = join(dir, 'index.html');
  let html = readFileSync(htmlPath, 'utf8');
  const inline = /<script type="module">([\s\S]*?)<\/script>/;
  const match = html.match(inline);
  if (!match) fail('index.html has no inline start-up script: did trunk change its output?');
  // The store's page preloads its bundle and registers its service worker from the start-up
  // script; the studio has neither.
  const store = html.includes('bundle/manifest.json');
  const script = minified(
    store ? `${wwwFile('preload-bundle.js')}${match[1].trim()}\n${wwwFile('register-offline.js')}` : match[1],
  );
  const scriptFile = `start-${shortHash(script)}.js`;
  writeFileSync(join(dir, scriptFile), script);
  html = html.replace(
    inline,
    `<script type="module" src="./${scriptFile}" integrity="${sri(script)}" crossorigin="anonymous"></script>`,
  );
  html = html.replace(/(href="\.\/([^"]+)"[^>]*?integrity=")[^"]+(")/g, (_, head, file, tail) =>
    `${head}${sri(readFileSync(join(dir, file)))}${tail}`,
  );
  const meta = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;
  html = html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    ${meta}`);
  if (!html.includes(meta)) fail('index.html has no <meta charset="utf-8" /> to put the CSP after');
  writeFileSync(htmlPath, html);
}

if (process.env.TRUNK_PROFILE === 'release') {
  const dir = process.env.TRUNK_STAGING_DIR ?? fail('TRUNK_STAGING_DIR is not set: run through trunk');
  // The page's wasm, and the studio's worker beside it.
  const wasm = readdirSync(dir).filter((file) => file.endsWith('_bg.wasm'));
  if (wasm.length === 0) fail(`no *_bg.wasm in ${dir}: did trunk change its output?`);
  // The worker crunches whole order files: it is optimised for speed, the pages for size.
  wasm.forEach((file) => optimiseWasm(join(dir, file), file.includes('worker') ? '-O3' : '-Oz'));
  // wasm-bindgen's glue (and the studio's worker loader); the integrity hashes follow below.
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
    writeFileSync(join(dir, file), minified(readFileSync(join(dir, file), 'utf8')));
  }
  finishHtml(dir);
  // The store's service worker: index.html has trunk copy it to the site's top.
  const serviceWorker = join(dir, 'sw.js');
  if (existsSync(serviceWorker)) writeFileSync(serviceWorker, minified(wwwFile('sw.js'), { module: false }));
}
