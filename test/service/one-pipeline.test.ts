// One pipeline: the stages are declared once (service/pipeline.ts), and grif stamp runs the same
// steps in one go that the service's workers run as jobs. For the same carrier, registration number
// and date, the two write the same stamped PDF, byte for byte.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartyId } from '../../src/core/index.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { formatIncoming } from '../../src/register/incoming.js';
import { lastTransition } from '../../src/register/register.js';
import { TRANSITION_NAMES } from '../../src/register/states.js';
import { storedName } from '../../src/service/data-dir.js';
import { acceptCarrier } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { ON_ERROR, PIPELINE, STAGES } from '../../src/service/pipeline.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { CLI, tempDataDir, waitFor } from '../helpers/service.js';

const run = promisify(execFile);

describe('the pipeline, declared once', () => {
  it('names every transition a carrier makes without a person, each once, in stage order', () => {
    expect(STAGES).toEqual(['extract', 'decide', 'stamp']);
    const byStages = new Set(PIPELINE.flatMap((s) => s.commits));
    // A person's acts (a review decision, a retry, a level-change notice and its re-marking, a return), and the register's own: not a stage's.
    const byPeople = ['registered', 'decision', 'retried', 'notice', 'remarked', 'level-removed', 'returned', 'destroyed'];
    for (const t of TRANSITION_NAMES) expect(byStages.has(t as never) || ON_ERROR.includes(t) || byPeople.includes(t), t).toBe(true);
    // Each stage hands on only to a later one.
    PIPELINE.forEach((s, i) => {
      for (const to of Object.values(s.next)) expect(STAGES.indexOf(to as never), `${s.stage} → ${to}`).toBeGreaterThan(i);
    });
  });
});

describe('grif stamp and the service', () => {
  let redis: TestRedis;
  let service: RunningService;
  let dir: string;
  let out: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    dir = await tempDataDir();
    out = await mkdtemp(join(tmpdir(), 'grif-one-pipeline-'));
    service = await startService({ dir, redisUrl: redis.url, log: silentLogger(), agent: 'grif test', workers: { ocrWorkers: 1 } });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await redis?.stop();
    for (const d of [dir, out]) if (d) await rm(d, { recursive: true, force: true });
  });

  it.each([
    ['digital-ru-secret.pdf', 'KZ'],
    ['scan-ky-top-secret-300.pdf', 'KG'],
    ['image-kk-secret.png', 'KZ'],
  ] as const)('%s from %s: the same stamped PDF, byte for byte, for the same number and date', async (fixture: string, from: PartyId) => {
    const to = from === 'KZ' ? 'KG' : 'KZ';
    const { carrierId } = await acceptCarrier(service.intake, { bytes: await readFile(join(FIXTURES, fixture)), name: fixture, from, to, intake: 'http' });
    await waitFor(`${fixture} to be stamped`, async () => lastTransition((await service.register.carrier(carrierId))!)?.state === 'stamped', 120_000);
    const entry = (await service.register.carrier(carrierId))!;
    const stamped = entry.events.find((e) => e.kind === 'stamped')!;
    const byService = await readFile(join(service.dir.store, storedName(stamped.outputSha256!, 'x.pdf')));

    const output = join(out, `${fixture}.pdf`);
    const number = formatIncoming(entry.incoming);
    const date = entry.receivedAt.slice(0, 10);
    await run(process.execPath, [CLI, 'stamp', '--from', from, '--to', to, '--reg-number', number, '--date', date, '--out', output, join(FIXTURES, fixture)]);
    const byCli = await readFile(output);
    expect(byCli.length, fixture).toBe(byService.length);
    expect(byCli.equals(byService), fixture).toBe(true);
  }, 150_000);
});
