// A minimal collector for Aisle's weekly reports (docs/measuring.md): it accepts POSTs of one
// report, checks each body against the report's fixed schema, and appends the body, and
// nothing else, as one line of a JSON Lines file that `aisle report` reads. It keeps no IP
// address, no header and no time of arrival. Node only, no packages.
//
//   node docs/examples/collector.mjs reports.jsonl [--port 8787] [--origin https://shop.example]
//
// --origin names the store's origin when the collector is on another one (the store sends a
// CORS simple request; the answer must allow its origin for the store to see it arrived).
// Hardening: bodies over MAX_BODY_BYTES are cut off, anything but the schema is refused, and at
// most MAX_PER_MINUTE reports are stored a minute in all (a limit per sender would need to
// remember senders).

import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** A report is about 80 bytes; anything much longer is not one. */
export const MAX_BODY_BYTES = 256;
/** Reports stored per minute, from everyone together. */
export const MAX_PER_MINUTE = 600;

const ANSWERS = new Set(['nothing', 'opened', 'bought']);
const FIELDS = ['answer', 'arm', 'epsilon', 'period', 'schema'];

/** The report in `text`, or null when it is not exactly one of the schema's (crates/core/src/measure/report.rs). */
export function parseReport(text) {
  let report;
  try {
    report = JSON.parse(text);
  } catch {
    return null;
  }
  if (report === null || typeof report !== 'object' || Array.isArray(report)) return null;
  const keys = Object.keys(report).sort();
  if (keys.length !== FIELDS.length || keys.some((key, i) => key !== FIELDS[i])) return null;
  const { schema, period, epsilon, arm, answer } = report;
  const week = /^\d{4}-W(\d{2})$/.exec(period);
  const fits = schema === 1
    && week !== null && Number(week[1]) >= 1 && Number(week[1]) <= 53
    && typeof epsilon === 'number' && epsilon > 0 && epsilon <= 10
    && typeof arm === 'string' && /^[A-Za-z0-9_-]{1,32}$/.test(arm)
    && ANSWERS.has(answer);
  return fits ? report : null;
}

/** Starts the collector, appending to `file` at most `perMinute` reports a minute; resolves to
 * { server, url } once listening. */
export function startCollector({ file, port = 8787, host = '127.0.0.1', origin = null, perMinute = MAX_PER_MINUTE }) {
  let minute = 0;
  let stored = 0;
  const server = createServer((request, response) => {
    const headers = origin ? { 'access-control-allow-origin': origin } : {};
    const answer = (status) => response.writeHead(status, headers).end();
    if (request.method !== 'POST') {
      answer(405);
      return;
    }
    const chunks = [];
    let length = 0;
    request.on('data', (chunk) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        answer(413);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (length > MAX_BODY_BYTES) return;
      const report = parseReport(Buffer.concat(chunks).toString('utf8'));
      if (report === null) {
        answer(400);
        return;
      }
      const now = Math.floor(Date.now() / 60000);
      if (now !== minute) {
        minute = now;
        stored = 0;
      }
      if (stored >= perMinute) {
        answer(429);
        return;
      }
      stored += 1;
      // Written again from the parsed fields, so what is stored is exactly the schema.
      appendFileSync(file, `${JSON.stringify(report)}\n`);
      answer(204);
    });
  });
  return new Promise((ready) => {
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      ready({ server, url: `http://${host}:${bound}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, ...flags] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node docs/examples/collector.mjs FILE [--port N] [--origin URL]');
    process.exit(2);
  }
  const flag = (name) => {
    const at = flags.indexOf(name);
    return at >= 0 ? flags[at + 1] : undefined;
  };
  const { url } = await startCollector({ file, port: Number(flag('--port') ?? 8787), origin: flag('--origin') ?? null });
  console.error(`collecting reports into ${file} at ${url}`);
}
