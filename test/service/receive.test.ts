// grif receive: a clerk's command-line intake into the running service's drop folder, with the
// transfer (Art. 5.3), the sender's reference and joint production in a sidecar. Against a real
// service (watcher, workers, Redis, SQLite register) and real files: the carriers are registered
// with their transfer and confirmed by grif confirm's own function.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../../src/app/service.js';
import { addReceiveCommand } from '../../src/cli/receive-command.js';
import { confirmTransfer, transferOf } from '../../src/service/confirm.js';
import { silentLogger } from '../../src/service/log.js';
import { ROOT } from '../helpers/carriers.js';
import { runInProcess } from '../helpers/cli-in-process.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

let redis: TestRedis;
let dir: string;
let service: RunningService;

beforeAll(async () => {
  redis = await startTestRedis();
  dir = await mkdtemp(join(tmpdir(), 'grif-receive-'));
  service = await startService({
    dir,
    redisUrl: redis.url,
    log: silentLogger(),
    agent: 'grif test',
    workers: { ocrWorkers: 1, concurrency: { extract: 2, decide: 2, stamp: 2 } },
    watcher: { rescanMs: 500, stableMs: 200 },
  });
}, 60_000);

afterAll(async () => {
  await service?.close(true);
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

const receive = (...args: string[]) => runInProcess(addReceiveCommand, ['receive', ...args]);

describe('grif receive', () => {
  it('hands carriers to the drop folder with their transfer and references; the service registers them so, and their receipt is confirmed', async () => {
    const a = join(ROOT, 'samples', 'carriers', 'digital-kk-top-secret.pdf');
    const b = join(ROOT, 'samples', 'carriers', 'scan-conflict-kk-ru.pdf');
    const before = await readFile(a);
    const r = await receive(a, b, '--dir', dir, '--from', 'KZ', '--transfer', 'Опись № 9', '--sender-reference', '44/1', '--joint');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/digital-kk-top-secret\.pdf: handed to inbox\/from-KZ\/digital-kk-top-secret\.pdf \(transfer Опись № 9\)/);
    // The files given are left as they were.
    expect((await readFile(a)).equals(before)).toBe(true);

    const t0 = Date.now();
    for (;;) {
      const entries = await service.register.list();
      const done = entries.filter((e) => ['stamped', 'review', 'unchanged'].includes(e.events.filter((x) => x.state).at(-1)?.state ?? ''));
      if (done.length === 2) break;
      if (Date.now() - t0 > 120_000) throw new Error(`only ${done.length} of 2 through intake`);
      await new Promise((res) => setTimeout(res, 250));
    }
    const entries = await service.register.list();
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(transferOf(byName.get('digital-kk-top-secret.pdf')!)).toMatchObject({ transfer: 'Опись № 9', senderReference: '44/1' });
    expect(transferOf(byName.get('scan-conflict-kk-ru.pdf')!)).toMatchObject({ transfer: 'Опись № 9', senderReference: null });
    for (const e of entries) expect(e.events.some((x) => x.kind === 'jointly-produced'), e.name).toBe(true);
    // The inbox empties: nothing left behind, the sidecars taken with their carriers (an inbox file
    // goes only after its carrier's result is published, a moment after its state is final).
    await expect.poll(() => readdir(join(dir, 'inbox', 'from-KZ')), { timeout: 20_000 }).toEqual([]);
    const confirmed = await confirmTransfer(service.register, 'Опись № 9', { authority: 'ГКНБ КР', by: 'Н. Алиева' });
    expect(confirmed.carriers).toHaveLength(2);
  }, 180_000);

  it('refuses a file of a name already waiting (its sidecar untouched), and says what is wrong with the flags', async () => {
    const a = join(ROOT, 'samples', 'carriers', 'photo-ru-secret-upside-down.png');
    // A data directory no service watches: what waits there stays.
    const quiet = await mkdtemp(join(tmpdir(), 'grif-receive-quiet-'));
    try {
      await mkdir(join(quiet, 'inbox', 'from-KG'), { recursive: true });
      await writeFile(join(quiet, 'inbox', 'from-KG', 'photo-ru-secret-upside-down.png'), 'the one waiting');
      await writeFile(join(quiet, 'inbox', 'from-KG', 'photo-ru-secret-upside-down.png.json'), '{"from": "KG", "transfer": "theirs"}');
      const r = await receive(a, '--dir', quiet, '--from', 'KG', '--transfer', 'mine');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/is waiting in the drop folder already; rename the file or wait until it is taken/);
      expect(await readFile(join(quiet, 'inbox', 'from-KG', 'photo-ru-secret-upside-down.png.json'), 'utf8')).toBe('{"from": "KG", "transfer": "theirs"}');
      expect(String((await receive(a, '--dir', quiet, '--from', 'XX')).error)).toMatch(/--from must be KZ or KG/);
      expect(String((await receive(a, '--dir', quiet, '--from', 'KZ', '--to', 'KZ')).error)).toMatch(/--to must be the other Party/);
      const missing = await receive(join(quiet, 'no-such.pdf'), '--dir', quiet, '--from', 'KG');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/no-such\.pdf/);
    } finally {
      await rm(quiet, { recursive: true, force: true });
    }
  });
});
