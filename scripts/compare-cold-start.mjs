// Two builds of the store side by side: each one's cold start (navigation to the first frame
// that shows a "For you" card, in a fresh context) timed in alternating pairs in one Chromium,
// so that the machine's drift falls on both alike. Optionally on a slower device: the CPU slowed
// down and the network given latency and a bandwidth, by Chromium's own emulation.
//
//   node scripts/compare-cold-start.mjs A_DIR B_DIR [--pairs N] [--cpu-slowdown R]
//        [--latency MS --mbps MBIT_PER_S]
//
// A_DIR and B_DIR are built sites (dist/ of `scripts/build-site` or `trunk build --release
// --offline`, say one from a worktree of another commit). Prints each build's median and mean,
// and in how many pairs B was faster.

import { launchChromium } from './chromium.mjs';
import { firstForYouMs, noteFirstForYou } from './measure.mjs';
import { startServer } from './serve.mjs';

function options(args) {
  const [a, b, ...rest] = args;
  if (!a || !b || a.startsWith('--') || b.startsWith('--')) {
    console.error('usage: node scripts/compare-cold-start.mjs A_DIR B_DIR [--pairs N] [--cpu-slowdown R] [--latency MS --mbps MBIT_PER_S]');
    process.exit(2);
  }
  const named = { pairs: 20, 'cpu-slowdown': 1, latency: 0, mbps: 0 };
  for (let index = 0; index < rest.length; index += 2) {
    const name = rest[index].replace(/^--/, '');
    const value = Number(rest[index + 1]);
    if (!(name in named) || !Number.isFinite(value) || value < 0) {
      console.error(`compare-cold-start: ${rest[index]} ${rest[index + 1] ?? ''}: not an option with a number`);
      process.exit(2);
    }
    named[name] = value;
  }
  if (!Number.isInteger(named.pairs) || named.pairs < 1) {
    console.error(`compare-cold-start: --pairs ${named.pairs}: a whole number of pairs, at least 1`);
    process.exit(2);
  }
  return { a, b, ...named };
}

const { a, b, pairs, 'cpu-slowdown': cpuSlowdown, latency, mbps } = options(process.argv.slice(2));
const servers = { a: await startServer({ root: a, port: 0 }), b: await startServer({ root: b, port: 0 }) };
const browser = await launchChromium();

async function coldStart(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const devtools = await context.newCDPSession(page);
  if (cpuSlowdown > 1) await devtools.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  if (latency > 0 || mbps > 0) {
    await devtools.send('Network.enable');
    // Bytes per second; -1 leaves the bandwidth alone.
    const bandwidth = mbps > 0 ? (mbps * 1e6) / 8 : -1;
    await devtools.send('Network.emulateNetworkConditions', {
      offline: false,
      latency,
      downloadThroughput: bandwidth,
      uploadThroughput: bandwidth,
    });
  }
  await noteFirstForYou(page);
  await page.goto(url);
  const ms = await firstForYouMs(page);
  await context.close();
  return ms;
}

const times = { a: [], b: [] };
try {
  for (let pair = 0; pair < pairs; pair++) {
    // Each build goes first in every other pair.
    for (const build of pair % 2 ? ['a', 'b'] : ['b', 'a']) times[build].push(await coldStart(servers[build].url));
    process.stderr.write(`\rpair ${pair + 1} of ${pairs}`);
  }
} finally {
  process.stderr.write('\n');
  await browser.close();
  servers.a.server.close();
  servers.b.server.close();
}
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
for (const [build, dir] of [['a', a], ['b', b]]) {
  console.log(`${build} (${dir}): median ${median(times[build]).toFixed(1)} ms, mean ${mean(times[build]).toFixed(1)} ms`);
}
const bFaster = times.a.filter((ms, pair) => times.b[pair] < ms).length;
console.log(`b faster in ${bFaster} of ${pairs} pairs`);
