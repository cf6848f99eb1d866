// The stamping service end to end on real parts: redis-server, the SQLite register, the
// drop-folder watcher and the stage workers. Carriers are dropped into the inbox as a clerk would
// and must each end in exactly one of outbox/, review/ or rejected/.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartyId } from '../../src/core/index.js';
import { sha256Of } from '../../src/service/data-dir.js';
import { silentLogger } from '../../src/service/log.js';
import { startService, type RunningService } from '../../src/app/service.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { drop, readJson, tempDataDir, waitAllEnded, waitFor, whereIs } from '../helpers/service.js';

type Expect = 'stamped' | 'already-stamped' | 'unmarked' | 'review' | 'rejected';

// 20 carriers: born-digital, scanned, images, a conflict, bad input. [fixture, from, expected]
const BATCH: readonly (readonly [string, PartyId, Expect])[] = [
  ['digital-kk-top-secret.pdf', 'KZ', 'stamped'],
  ['digital-ky-special-importance.pdf', 'KG', 'stamped'],
  ['digital-ru-secret.pdf', 'KZ', 'stamped'],
  ['digital-two-pages-ru.pdf', 'KG', 'stamped'],
  ['digital-unmarked-ru.pdf', 'KZ', 'unmarked'],
  ['mixed-ru-top-secret.pdf', 'KZ', 'stamped'],
  ['scan-kk-secret-300.pdf', 'KZ', 'stamped'],
  ['scan-ky-top-secret-300.pdf', 'KG', 'stamped'],
  ['scan-ru-secret-200.pdf', 'KG', 'stamped'],
  ['stamp-bottom-kk-secret.pdf', 'KZ', 'stamped'],
  ['image-kk-secret.png', 'KZ', 'stamped'],
  ['image-ky-top-secret.jpg', 'KZ', 'already-stamped'], // a Kyrgyz stamp already, going to KG
  ['image-unmarked-ru.png', 'KG', 'unmarked'],
  ['conflict-kk-ru.pdf', 'KZ', 'review'],
  ['encrypted.pdf', 'KZ', 'rejected'],
  ['truncated.pdf', 'KG', 'rejected'],
  ['not-a-pdf.pdf', 'KG', 'rejected'], // image-kk-secret.png's bytes: from KZ it would be a duplicate
  ['empty.pdf', 'KZ', 'rejected'],
  ['garbage.pdf', 'KG', 'rejected'],
  ['pixel-bomb.png', 'KZ', 'rejected'],
];

let redis: TestRedis;
let dir: string;
let service: RunningService;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await tempDataDir();
  service = await startService({
    dir,
    redisUrl: redis.url,
    log: silentLogger(),
    agent: 'grif test',
    workers: { ocrWorkers: 2, concurrency: { extract: 2, decide: 2, stamp: 2 } },
    // The truncated and empty files are still incomplete: taken (and refused) after 3 s still.
    watcher: { rescanMs: 1000, stableMs: 300, incompleteMs: 3000 },
    queueSettings: { attempts: 3, backoffMs: 200 },
  });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const nameOf = (fixture: string, i: number): string => `c${String(i + 1).padStart(2, '0')}-${fixture}`;

describe('the service on a batch of 20 carriers dropped into the inbox', () => {
  it('ends each carrier in exactly one of outbox/review/rejected, as its content says', async () => {
    for (const [i, [fixture, from]] of BATCH.entries()) await drop(dir, from, join(FIXTURES, fixture), nameOf(fixture, i));
    const names = BATCH.map(([f], i) => nameOf(f, i));
    await waitAllEnded(dir, names, 240_000);

    for (const [i, [fixture, , expected]] of BATCH.entries()) {
      const name = nameOf(fixture, i);
      const folder = expected === 'review' ? 'review' : expected === 'rejected' ? 'rejected' : 'outbox';
      expect(await whereIs(dir, name), name).toEqual([folder]);
      const files = (await readdir(join(dir, folder))).filter((n) => n.startsWith(`${name}.`));
      const json = files.find((n) => n.endsWith('.json'))!;
      const receipt = await readJson(join(dir, folder, json));
      if (expected === 'stamped') {
        expect(receipt['status'], name).toBe('stamped');
        const pdf = files.find((n) => n.endsWith('.stamped.pdf'));
        expect(pdf, name).toBeDefined();
        const out = await readFile(join(dir, folder, pdf!));
        expect(receipt['outputSha256']).toBe(sha256Of(out));
        // A PDF input stays the stamped PDF's first bytes (incremental update).
        if (fixture.endsWith('.pdf')) {
          const input = await readFile(join(FIXTURES, fixture));
          expect(Buffer.compare(out.subarray(0, input.length), input), name).toBe(0);
        }
      } else if (expected === 'already-stamped' || expected === 'unmarked') {
        expect(receipt['status'], name).toBe(expected);
        // The carrier itself, unchanged.
        const carrier = files.find((n) => !n.endsWith('.json'))!;
        expect(sha256Of(await readFile(join(dir, folder, carrier)))).toBe(sha256Of(await readFile(join(FIXTURES, fixture))));
      } else if (expected === 'review') {
        expect(receipt['status']).toBe('review');
        expect(receipt['verdict']).toBe('conflict');
      } else {
        expect(receipt['status']).toBe('rejected');
        expect(String(receipt['error'])).toMatch(new RegExp(name.replace(/[.]/g, '\\.')));
      }
    }

    // The register: exactly one row per carrier, each with exactly one outcome (or review) event.
    const { carriers } = await service.register.count();
    expect(carriers).toBe(BATCH.length);
    for (const entry of await service.register.list({ limit: 100 })) {
      const finals = entry.events.filter((e) => e.key === `${entry.id}:outcome` || e.key === `${entry.id}:review`);
      expect(finals, entry.name).toHaveLength(1);
    }
    // Nothing is left in the inbox.
    for (const p of ['from-KZ', 'from-KG']) expect(await readdir(join(dir, 'inbox', p))).toEqual([]);
  }, 300_000);

  it('does not process a duplicate drop twice', async () => {
    const before = await service.register.count();
    const stampedBefore = (await readdir(join(dir, 'outbox'))).filter((n) => n.endsWith('.stamped.pdf')).length;
    await drop(dir, 'KZ', join(FIXTURES, 'digital-ru-secret.pdf'), 'again-digital-ru-secret.pdf');
    await waitFor('the duplicate note', async () => (await readdir(join(dir, 'outbox'))).some((n) => n.startsWith('again-digital-ru-secret.pdf.') && n.endsWith('.duplicate.json')), 60_000);
    await waitFor('the inbox to empty', async () => (await readdir(join(dir, 'inbox', 'from-KZ'))).length === 0, 10_000);
    // It ends as a duplicate note in outbox/, naming the first carrier, and leaves the inbox.
    const outbox = await readdir(join(dir, 'outbox'));
    const note = outbox.find((n) => n.startsWith('again-digital-ru-secret.pdf.') && n.endsWith('.duplicate.json'));
    expect(note).toBeDefined();
    expect(String((await readJson(join(dir, 'outbox', note!)))['detail'])).toContain('digital-ru-secret.pdf');
    expect(await readdir(join(dir, 'inbox', 'from-KZ'))).toEqual([]);
    const after = await service.register.count();
    expect(after.carriers).toBe(before.carriers);
    expect(outbox.filter((n) => n.endsWith('.stamped.pdf'))).toHaveLength(stampedBefore);
  }, 90_000);

  it('sends a translation marked lower than its source to review, naming both levels', async () => {
    // Source: digital-kk-top-secret.pdf (top secret), registered in the batch. The translation is
    // digital-ru-secret.pdf (secret), sent the other way so it is a carrier of its own.
    const source = sha256Of(await readFile(join(FIXTURES, 'digital-kk-top-secret.pdf')));
    await writeFile(join(dir, 'inbox', 'from-KG', 'translation-ru.pdf.json'), JSON.stringify({ derivedFrom: source }));
    await drop(dir, 'KG', join(FIXTURES, 'digital-ru-secret.pdf'), 'translation-ru.pdf');
    await waitAllEnded(dir, ['translation-ru.pdf'], 60_000);
    // The sidecar leaves the inbox with its carrier.
    expect(await readdir(join(dir, 'inbox', 'from-KG'))).toEqual([]);
    expect(await whereIs(dir, 'translation-ru.pdf')).toEqual(['review']);
    const reason = (await readdir(join(dir, 'review'))).find((n) => n.startsWith('translation-ru.pdf.') && n.endsWith('.reason.json'))!;
    const r = await readJson<{ reasons: string[]; derivedFrom: string }>(join(dir, 'review', reason));
    const text = r.reasons.join(' ');
    expect(text).toMatch(/top-secret/);
    expect(text).toMatch(/\bsecret\b/);
    // The register links the copy to its source.
    const copy = (await service.register.list({ search: 'translation-ru.pdf' }))[0]!;
    expect(copy.kind).toBe('copy');
    expect(copy.derivedFrom).toBe(`${source.slice(0, 32)}-KZ-KG`);
  }, 90_000);
});
