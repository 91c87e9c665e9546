// The JS package as a shop's developer meets it: `npm pack` of crates/js/pkg, installed from the
// tarball into an empty project, the README's example type-checked by `tsc --strict` against
// the package's own types, bundled by esbuild (which resolves it through the `exports` map and
// leaves the wasm beside the bundle), and run in Chromium against the demo bundle.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { collectErrors, openStore } from './harness.mjs';

/** The package README's first example, as written but for the bundle's address (the test's
 * site lives under a sub-path), and a line that reports what it got. */
const README_EXAMPLE = readFileSync('crates/js/README.md', 'utf8').match(/```js\n([\s\S]*?)```/)[1];
const EXAMPLE = `${README_EXAMPLE.replace("'/bundle/manifest.json'", "'../bundle/manifest.json'")}
const status = document.getElementById('status')!;
status.textContent = JSON.stringify({ shelf: shelf.map(({ id }) => id), banner, saved: saved.length });
`;

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src data:" />
<title>aisle-recommender, installed</title><link rel="icon" href="data:," />
<script type="module" src="example.js"></script></head>
<body><p id="status">Loading…</p></body></html>`;

let work;
let store;
before(async () => {
  work = mkdtempSync(join(tmpdir(), 'aisle-package-'));
  const project = join(work, 'project');
  mkdirSync(project);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', resolve('crates/js/pkg'), '--json', '--pack-destination', work], { encoding: 'utf8' }),
  );
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-shop', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed[0].filename)], {
    cwd: project,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeFileSync(join(project, 'example.ts'), EXAMPLE);

  // The site: the bundled example and its wasm under shop/, the demo bundle beside it.
  const site = join(work, 'site');
  mkdirSync(join(site, 'shop'), { recursive: true });
  writeFileSync(join(site, 'shop', 'index.html'), PAGE);
  await build({
    entryPoints: [join(project, 'example.ts')],
    absWorkingDir: project,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(site, 'shop', 'example.js'),
    logLevel: 'error',
  });
  copyFileSync(join(project, 'node_modules', 'aisle-recommender', 'aisle_bg.wasm'), join(site, 'shop', 'aisle_bg.wasm'));
  cpSync('dist/bundle', join(site, 'bundle'), { recursive: true });
  store = await openStore({ root: site });
});
after(async () => {
  await store?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the packed package installs with its version, exports and files', () => {
  const installed = JSON.parse(readFileSync(join(work, 'project', 'node_modules', 'aisle-recommender', 'package.json'), 'utf8'));
  const crate = readFileSync('crates/js/Cargo.toml', 'utf8').match(/^version = "(.+)"$/m)[1];
  assert.equal(installed.version, crate, 'the version is the crate\'s');
  assert.equal(installed.exports['.'].types, './aisle.d.ts');
  for (const file of installed.files) readFileSync(join(work, 'project', 'node_modules', 'aisle-recommender', file));
});

test('the README example type-checks with tsc --strict against the installed types', () => {
  const tsc = resolve('node_modules/typescript/bin/tsc');
  const args = ['--strict', '--noEmit', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler',
    // The generated types use `Symbol.dispose` (TypeScript 5.2's esnext.disposable).
    '--lib', 'es2022,esnext.disposable,dom', 'example.ts'];
  try {
    execFileSync(process.execPath, [tsc, ...args], { cwd: join(work, 'project'), encoding: 'utf8' });
  } catch (failure) {
    assert.fail(`tsc --strict: ${failure.stdout}${failure.stderr}`);
  }
  // The check can fail: a wrong call is an error against these types.
  writeFileSync(join(work, 'project', 'wrong.ts'), `${EXAMPLE}\naisle.recommend({ placement: 'for-you', k: '8' });\n`);
  assert.throws(
    () => execFileSync(process.execPath, [tsc, ...args.slice(0, -1), 'wrong.ts'], { cwd: join(work, 'project'), stdio: 'pipe' }),
    'a string for k is a type error',
  );
});

test('the README example, bundled from the installed package, runs in the browser', async () => {
  const context = await store.browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${store.url}shop/`);
  await page.waitForFunction(() => document.getElementById('status').textContent !== 'Loading…');
  const result = JSON.parse(await page.locator('#status').textContent());
  assert.equal(result.shelf.length, 8);
  assert.ok(!result.shelf.includes('22633'), 'the excluded product is left out');
  assert.ok(result.banner.headline.length > 0);
  assert.ok(result.saved > 0);
  assert.deepEqual(errors, []);
  await context.close();
});
