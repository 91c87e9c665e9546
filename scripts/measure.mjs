// What the benchmarks measure alike, shared by scripts/bench.mjs, scripts/bench-scale.mjs and
// scripts/compare-cold-start.mjs: a file's size as a host compressing it sends it, and the frame
// that first shows a "For you" card. The page notes that frame itself (a script that runs before
// the store's), so the figure holds none of the driver's polling and round trips: asking the
// page for the time once the driver had seen the card added 40 to 150 ms.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The file's bytes after gzip at level 9. */
export const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/** Marks the console message that carries the first "For you" frame's time. */
const FIRST_FOR_YOU = 'aisle-bench: first "For you" at ';

/** Each page's promise of that time, made before it navigates. */
const firstForYou = new WeakMap();

/** Makes `page` note the first frame with a "For you" card; call before navigating. The page
 * says when in a console message, so the driver runs nothing in the page while it loads. Waiting
 * by evaluating in the page instead (Playwright's `waitForFunction`) puts Playwright's own script
 * and a poll every frame on the page's main thread: on the demo store, the first "For you" read
 * 19 to 30 ms later that way (medians of 20 pairs, two runs). */
export async function noteFirstForYou(page) {
  firstForYou.set(
    page,
    new Promise((resolve) => {
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith(FIRST_FOR_YOU)) resolve(Number(text.slice(FIRST_FOR_YOU.length)));
      });
    }),
  );
  await page.addInitScript((prefix) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="rec-for-you"] [data-testid="rec-card"]')) {
        observer.disconnect();
        requestAnimationFrame(() => console.debug(`${prefix}${performance.now()}`));
      }
    }).observe(document, { childList: true, subtree: true });
  }, FIRST_FOR_YOU);
}

/** Waits for that frame; its time in ms from the start of the navigation. */
export async function firstForYouMs(page, timeout = 30_000) {
  const noted = firstForYou.get(page);
  if (!noted) throw new Error('firstForYouMs: call noteFirstForYou before navigating');
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no "For you" card within ${timeout} ms`)), timeout);
  });
  try {
    return await Promise.race([noted, late]);
  } finally {
    clearTimeout(timer);
  }
}
