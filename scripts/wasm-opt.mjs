// Shrinks a wasm file in place with binaryen's wasm-opt from npm (so no build ever downloads a
// tool), with the features every current browser has. Used by the storefront's release build
// (finish-build.mjs) and the JS package build (build-js-package.mjs).

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';

const WASM_OPT_FLAGS = [
  '-Oz',
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-reference-types',
  '--enable-multivalue',
  '--enable-sign-ext',
];

/** Optimises `path` in place and reports the sizes on stderr. Throws if wasm-opt is missing. */
export function optimiseWasm(path) {
  const wasmOpt = join('node_modules', '.bin', 'wasm-opt');
  if (!existsSync(wasmOpt)) throw new Error(`${wasmOpt} is missing: run scripts/setup build (it runs npm ci)`);
  const before = readFileSync(path).length;
  execFileSync(wasmOpt, [...WASM_OPT_FLAGS, path, '-o', `${path}.opt`], { stdio: 'inherit' });
  renameSync(`${path}.opt`, path);
  const after = readFileSync(path).length;
  console.error(`wasm-opt: ${basename(path)}: ${before} -> ${after} bytes`);
}
