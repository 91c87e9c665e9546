// Shrinks a wasm file in place with binaryen's wasm-opt from npm (so no build ever downloads a
// tool), with the features every current browser has. Used by the storefront's release build
// (finish-build.mjs) and the JS package build (build-js-package.mjs).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's binaryen, wherever the calling build runs from (the studio builds from
 * crates/studio). */
const WASM_OPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.bin', 'wasm-opt');

const FEATURE_FLAGS = [
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-multivalue',
  '--enable-sign-ext',
];

/** Optimises `path` in place, for size (`-Oz`, the default: pages the visitor waits for) or
 * speed (`-O3`: the studio's worker, which crunches a whole order file), and reports the sizes
 * on stderr. `simd` allows wasm SIMD (simd128), for a module built with it. Throws if wasm-opt
 * is missing. */
export function optimiseWasm(path, level = '-Oz', { simd = false } = {}) {
  if (!existsSync(WASM_OPT)) throw new Error(`${WASM_OPT} is missing: run scripts/setup build (it runs npm ci)`);
  const before = readFileSync(path).length;
  const features = simd ? [...FEATURE_FLAGS, '--enable-simd'] : FEATURE_FLAGS;
  // --low-memory-unused: Rust lays the stack out first (wasm-ld's --stack-first), so the low 1 KB
  // of memory is never addressed, and address arithmetic folds into load offsets (the store's
  // wasm 3.8 KB smaller gzipped). --converge repeats the passes while they still shrink it.
  const flags = [level, '--converge', '--low-memory-unused', ...features];
  execFileSync(WASM_OPT, [...flags, path, '-o', `${path}.opt`], { stdio: 'inherit' });
  renameSync(`${path}.opt`, path);
  const after = readFileSync(path).length;
  console.error(`wasm-opt: ${basename(path)}: ${before} -> ${after} bytes`);
}
