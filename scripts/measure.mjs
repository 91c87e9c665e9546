// What the benchmarks measure alike, shared by scripts/bench.mjs and scripts/bench-scale.mjs:
// a file's size as a host compressing it sends it, and the frame that first shows a "For you"
// card. The page notes that frame itself (a script that runs before the store's), so the figure
// holds none of the driver's polling and round trips: asking the page for the time once the
// driver had seen the card added 40 to 150 ms.

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** The file's bytes after gzip at level 9. */
export const gzipped = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/** Makes `page` note the first frame with a "For you" card; call before navigating. */
export async function noteFirstForYou(page) {
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('[data-testid="rec-for-you"] [data-testid="rec-card"]')) {
        observer.disconnect();
        requestAnimationFrame(() => { window.firstForYouShown = performance.now(); });
      }
    }).observe(document, { childList: true, subtree: true });
  });
}

/** Waits for that frame; its time in ms from the start of the navigation. */
export async function firstForYouMs(page, timeout = 30_000) {
  await page.waitForFunction(() => window.firstForYouShown, null, { timeout });
  return page.evaluate(() => window.firstForYouShown);
}
