// A fault of the service is never the carrier's: with the OCR language data pointed at an empty
// folder, scanned carriers are parked (after their retries), not rejected; once the data is back,
// `grif retry` takes them again and they are stamped. The register records every step, keeps its
// chain, and a parked or rejected carrier sent again is told how to retry it.
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptCarrier } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { resultWritten } from '../../src/service/outcome-files.js';
import { loadRef } from '../../src/service/intake.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { carrierStatus } from '../../src/http/carriers.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { CLI, spawnWorker, stopProcess, tempDataDir, waitFor } from '../helpers/service.js';

const run = promisify(execFile);

let redis: TestRedis | undefined;
let dir: string | undefined;
let emptyTessdata: string | undefined;
let service: RunningService | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) await stopProcess(c, 'SIGKILL');
  await service?.close();
  service = undefined;
  await redis?.stop();
  redis = undefined;
  for (const d of [dir, emptyTessdata]) if (d) await rm(d, { recursive: true, force: true });
  dir = emptyTessdata = undefined;
});

describe('parked, not rejected; then retried', () => {
  it('OCR data missing: a scan is parked after its retries; with the data back, grif retry stamps it; a born-digital carrier needs no OCR and is stamped at once', async () => {
    redis = await startTestRedis();
    dir = await tempDataDir();
    emptyTessdata = await mkdtemp(join(tmpdir(), 'grif-no-tessdata-'));
    // The intake only (no workers here): its jobs get two attempts, 100 ms apart.
    service = await startService({ dir, redisUrl: redis.url, log: silentLogger(), agent: 'grif test', queueSettings: { attempts: 2, backoffMs: 100 } });
    const broken = spawnWorker(dir, redis.url, { GRIF_TESSDATA: emptyTessdata });
    children.push(broken);

    const scan = await acceptCarrier(service.intake, { bytes: await readFile(join(FIXTURES, 'scan-ru-secret-200.pdf')), name: 'scan-ru-secret-200.pdf', from: 'KZ', to: 'KG', intake: 'http' });
    const digital = await acceptCarrier(service.intake, { bytes: await readFile(join(FIXTURES, 'digital-ru-secret.pdf')), name: 'digital-ru-secret.pdf', from: 'KZ', to: 'KG', intake: 'http' });
    const reg = service.register;
    await waitFor('the scan to be parked', async () => (await reg.stateOf(scan.carrierId))?.state === 'parked', 60_000);
    await waitFor('the born-digital carrier to be stamped', async () => (await reg.stateOf(digital.carrierId))?.state === 'stamped', 60_000);

    // Parked: never in rejected/, the reason and how to retry it in the status; the error names the missing data.
    const ref = (await loadRef(service.dir, scan.carrierId))!;
    expect(await resultWritten(service.dir, ref, 'rejected')).toBe(false);
    const parked = await carrierStatus(service.intake, service.queues, scan.carrierId);
    expect(parked).toMatchObject({ stage: 'parked', errorCode: 'ocr/unavailable', links: { retry: `/carriers/${scan.carrierId}/retry` } });
    expect(parked!.detail).toMatch(/OCR language data is missing .*parked after 2 attempts/);
    // Sent again: a duplicate that says how to take it again.
    const again = await acceptCarrier(service.intake, { bytes: await readFile(join(FIXTURES, 'scan-ru-secret-200.pdf')), name: 'again.pdf', from: 'KZ', to: 'KG', intake: 'http' });
    expect(again).toMatchObject({ status: 'duplicate', retry: expect.stringMatching(/it was parked .*grif retry/) });

    // The data back: a worker that has it, and a person's retry.
    await stopProcess(broken);
    children.push(spawnWorker(dir, redis.url));
    const retried = await run(process.execPath, [CLI, 'retry', scan.carrierId, '--reason', 'OCR data installed (tesseract-ocr-rus)', '--by', 'A. Admin', '--dir', dir, '--redis', redis.url]);
    expect(retried.stdout).toBe(`${scan.carrierId}: queued again (round 1)\n`);
    await waitFor('the retried scan to be stamped', async () => (await reg.stateOf(scan.carrierId))?.state === 'stamped', 90_000);
    // The folders follow the register: published just after the commit.
    await waitFor('the stamped scan in the outbox', () => resultWritten(service!.dir, ref, 'outbox'), 10_000);

    const entry = (await reg.carrier(scan.carrierId))!;
    const kinds = entry.events.map((e) => e.kind).filter((k) => k !== 'verdict' && k !== 'duplicate');
    expect(kinds).toEqual(['registered', 'parked', 'retried', 'extracted', 'to-stamp', 'stamped']);
    expect(entry.events.find((e) => e.kind === 'retried')).toMatchObject({ decidedBy: 'A. Admin', reference: 'OCR data installed (tesseract-ocr-rus)' });
    expect((await reg.verify()).ok).toBe(true);

    // Only a parked or rejected carrier can be taken again.
    const refused = await run(process.execPath, [CLI, 'retry', scan.carrierId, '--reason', 'again', '--by', 'A. Admin', '--dir', dir, '--redis', redis.url]).catch((e: { code: number; stderr: string }) => e);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/is stamped since .*only a parked or rejected carrier can be retried/) });
  }, 180_000);
});
