// The example collector (docs/examples/collector.mjs) stores what a store sends and nothing
// else: hostile bodies (too long, other fields, other values, not JSON), other methods and a
// flood beyond its rate are refused, and `aisle report` reads the file it writes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCollector } from '../../docs/examples/collector.mjs';

const REPORT = '{"schema":1,"period":"2026-W49","epsilon":1.0,"arm":"with","answer":"opened"}';

test('the example collector keeps valid reports only, and aisle report reads them', async () => {
  const work = mkdtempSync(join(tmpdir(), 'aisle-collector-'));
  const file = join(work, 'reports.jsonl');
  const { server, url } = await startCollector({ file, port: 0, origin: 'https://shop.example', perMinute: 3 });
  const post = async (body, method = 'POST') => {
    const response = await fetch(url, { method, body: method === 'GET' ? undefined : body });
    return [response.status, response.headers.get('access-control-allow-origin')];
  };
  try {
    assert.deepEqual(await post(REPORT), [204, 'https://shop.example']);
    const hostile = [
      REPORT.replace('}', ',"user":"u-123"}'),
      REPORT.replace('"opened"', '"viewed 85123A"'),
      REPORT.replace('"with"', '"<script>"'),
      REPORT.replace('2026-W49', '2026-12-03T10:00'),
      REPORT.replace('1.0', '"1"'),
      REPORT.replace('"schema":1', '"schema":2'),
      '[1,2,3]',
      'null',
      '{"schema":1',
      `{"arm":"${'a'.repeat(300)}"}`,
    ];
    for (const body of hostile) {
      const [status] = await post(body);
      assert.ok(status === 400 || status === 413, `${status} for ${body.slice(0, 60)}`);
    }
    assert.equal((await post('', 'GET'))[0], 405);
    assert.equal((await post(REPORT.replace('"opened"', '"bought"')))[0], 204);
    assert.equal((await post(REPORT))[0], 204);
    assert.equal((await post(REPORT))[0], 429, 'beyond the rate');
    const stored = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(stored.length, 3);
    const estimates = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'aisle-cli', '--',
      'report', file, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    assert.equal(estimates.reports, 3);
    assert.deepEqual(Object.keys(estimates.arms), ['with']);
  } finally {
    await new Promise((done) => server.close(done));
    rmSync(work, { recursive: true, force: true });
  }
});
