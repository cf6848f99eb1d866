// Incoming numbers under load: 200 carriers received at once by two processes (the drop-folder
// watcher here, and a `grif serve` process taking uploads), worked by two `grif worker` processes,
// get the incoming numbers 1…200 of the year, each once, and each is printed in its own stamp.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/app/service.js';
import { extractCarrier } from '../../src/extract/read-carrier.js';
import { createExtractSession } from '../../src/extract/context.js';
import { formatIncoming } from '../../src/register/incoming.js';
import { lastTransition } from '../../src/register/register.js';
import { storedName } from '../../src/service/data-dir.js';
import { silentLogger } from '../../src/service/log.js';
import { buildPdf, stampedPage } from '../../scripts/make-fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { CLI, drop, spawnWorker, stopProcess, tempDataDir, waitFor } from '../helpers/service.js';

const N = 200;
const TOKEN = 'numbering-test-token-0123456789';

let redis: TestRedis;
let dir: string;
let service: RunningService;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await tempDataDir();
  service = await startService({ dir, redisUrl: redis.url, log: silentLogger(), agent: 'grif test', watcher: { rescanMs: 1000, stableMs: 200 } });
}, 60_000);

afterAll(async () => {
  for (const c of children) await stopProcess(c, 'SIGKILL');
  await service?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A `grif serve` process on a free port; resolves with its URL once it listens. */
function serve(): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', '--dir', dir, '--redis', redis.url, '--port', '0', '--log-level', 'warn'], {
    env: { ...process.env, GRIF_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`grif serve exited with ${code}: ${err}`)));
  });
}

describe('incoming numbers', () => {
  it(`${N} carriers through two intake and two worker processes get the numbers 1…${N}, each once, each in its own stamp`, async () => {
    const url = await serve();
    for (let i = 0; i < 2; i++) children.push(spawnWorker(dir, redis.url));
    // Each carrier its own bytes: the copy number on its first page.
    const carriers = await Promise.all(Array.from({ length: N }, (_, i) => buildPdf(`numbering ${i}`, [{ text: stampedPage('ru', 'secret', 0, i + 1) }])));
    const tmp = join(dir, 'carriers');
    await mkdir(tmp);
    await Promise.all(
      carriers.map(async (pdf, i) => {
        const name = `n${String(i + 1).padStart(3, '0')}.pdf`;
        if (i % 2 === 0) {
          await writeFile(join(tmp, name), pdf);
          await drop(dir, 'KZ', join(tmp, name), name);
        } else {
          const form = new FormData();
          form.set('from', 'KZ');
          form.set('file', new Blob([pdf], { type: 'application/pdf' }), name);
          const r = await fetch(`${url}/carriers`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
          expect(r.status, name).toBe(202);
        }
      }),
    );
    await waitFor(
      `${N} carriers to be stamped`,
      async () => {
        const all = await service.register.list({ limit: 1000 });
        return all.length === N && all.every((e) => lastTransition(e)?.state === 'stamped');
      },
      600_000,
      1000,
    );
    const entries = await service.register.list({ limit: 1000 });
    const seqs = entries.map((e) => e.incoming!.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.incoming!.year)).size).toBe(1);
    expect(new Set(entries.map((e) => e.intake))).toEqual(new Set(['inbox', 'http']));
    expect((await service.register.verify()).ok).toBe(true);

    // The number is the one in the stamp: read back from a sample of the stamped PDFs.
    const session = createExtractSession({ workers: 1 });
    try {
      for (const e of entries.filter((_, i) => i % 40 === 0)) {
        const out = e.events.find((x) => x.kind === 'stamped')!.outputSha256!;
        const pdf = await readFile(join(service.dir.store, storedName(out, 'x.pdf')));
        const text = await extractCarrier('stamped.pdf', pdf, session);
        const lines = text.pages[0]!.lines.map((l) => l.text).join('\n');
        expect(lines, e.name).toContain(`№ ${formatIncoming(e.incoming)}`);
      }
    } finally {
      await session.close();
    }
  }, 900_000);
});
