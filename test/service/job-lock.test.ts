// A long extraction keeps its job's lock: pdf.js reads the carrier in a thread of its own
// (src/extract/pdf/pdf-threads.ts), so the worker process's event loop stays free and BullMQ renews
// the lock on time. Two real `grif worker` processes with a 1.5 s lock, each looking for stalled
// jobs every 0.5 s; one carrier whose extraction takes many times the lock (two 300 dpi scanned
// pages, each with 200 000 hairlines drawn over it, rendered at 300 dpi). Read on the main thread,
// as before, pdf.js held that thread for about 4 s at a time (measured by hand: the longest
// event-loop stall, 4019 ms against 97 ms in the thread); the other worker then took the job over.
import type { ChildProcess } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { QueueEvents } from 'bullmq';
import { PDFDocument, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/app/service.js';
import { silentLogger } from '../../src/service/log.js';
import { jobIdFor, queueName, STAGES, workerConnection } from '../../src/service/queues.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { drop, spawnWorker, stopProcess, tempDataDir, waitAllEnded } from '../helpers/service.js';

const LOCK_MS = 1500;

/** The scan, `pages` times, each page with `lines` short hairlines drawn over its middle. */
async function slowScan(pages: number, lines: number): Promise<Uint8Array> {
  const scan = await PDFDocument.load(await readFile(join(FIXTURES, 'scan-ru-secret-300.pdf')));
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) {
    const [page] = await doc.copyPages(scan, [0]);
    doc.addPage(page!);
    const body = deflateSync(Buffer.from(`q 0.1 w 1 0 0 1 150 350 cm\n${'0 0 m 0.5 0.5 l S\n'.repeat(lines)}Q\n`));
    page!.node.addContentStream(doc.context.register(PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode', Length: body.length }), body)));
  }
  return doc.save({ useObjectStreams: false });
}

let redis: TestRedis;
let dir: string;
let intake: RunningService;
const workers: ChildProcess[] = [];
const events: QueueEvents[] = [];
const stalled: string[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await tempDataDir();
  // The drop-folder watcher here; the workers are processes of their own.
  intake = await startService({ dir, redisUrl: redis.url, log: silentLogger(), agent: 'grif test', watcher: { rescanMs: 500, stableMs: 200 } });
  for (const stage of STAGES) {
    const e = new QueueEvents(queueName(stage), { connection: workerConnection(redis.url) });
    e.on('stalled', ({ jobId }) => stalled.push(`${stage}:${jobId}`));
    await e.waitUntilReady();
    events.push(e);
  }
  for (let i = 0; i < 2; i++) workers.push(spawnWorker(dir, redis.url, { GRIF_LOCK_MS: String(LOCK_MS), GRIF_STALLED_MS: '500' }));
}, 60_000);

afterAll(async () => {
  for (const w of workers) await stopProcess(w);
  await Promise.all(events.map((e) => e.close()));
  await intake?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a long extraction keeps its job lock', () => {
  it('a carrier read for many times the lock is processed once, and no job stalls', async () => {
    const source = join(dir, 'slow-scan.pdf');
    await writeFile(source, await slowScan(2, 200_000));
    await drop(dir, 'KZ', source, 'slow-scan.pdf');
    await waitAllEnded(dir, ['slow-scan.pdf'], 240_000);
    // QueueEvents' 'stalled' arrives from Redis's stream: give it a moment, then none may be there.
    await new Promise((r) => setTimeout(r, 1000));
    expect(stalled).toEqual([]);

    const [entry, ...others] = await intake.register.list({ limit: 10 });
    expect(others).toEqual([]);
    // One event of each kind (registered, extracted, the verdict note, to-stamp, stamped), none twice.
    const kinds = entry!.events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['registered', 'extracted', 'to-stamp', 'stamped']));
    expect(new Set(kinds).size, kinds.join(', ')).toBe(kinds.length);
    expect(entry!.events.at(-1)!.state).toBe('stamped');
    const outbox = await readdir(join(dir, 'outbox'));
    expect(outbox.filter((f) => f.startsWith('slow-scan') && f.endsWith('.stamped.pdf'))).toHaveLength(1);

    // The extraction took many times the lock, in one go.
    const job = await intake.queues.extract.getJob(jobIdFor(entry!.id, false));
    expect(job?.finishedOn).toBeDefined();
    const ms = job!.finishedOn! - job!.processedOn!;
    expect(job!.attemptsStarted).toBe(1);
    expect(ms, `extraction took ${ms} ms`).toBeGreaterThan(4 * LOCK_MS);
    expect(job!.failedReason ?? null).toBeNull();
    for (const w of workers) expect(w.exitCode).toBeNull();
  }, 300_000);
});
