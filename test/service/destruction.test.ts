// Destruction by an act (Art. 6.4), end to end on real PDFs through the real pipeline (Redis,
// SQLite register, stage workers, OCR): refused with fewer than two members, without the notice,
// or while a notice or a review is pending (all or none); a carrier with two copies, a preview and
// a stray copy destroyed from the command line: afterwards no file under the data directory has
// any of their SHA-256s nor begins with their bytes, the act (Kyrgyz and Russian) lists them, the
// register verifies; no copy of it later; two acts at once on one carrier: one wins; a destruction
// killed (SIGKILL) midway through its wipe is finished by `grif destroy --resume`, one killed right
// after its commit by the reconciler.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDestroyCommand } from '../../src/cli/disposal-commands.js';
import { addInventoryCommand } from '../../src/cli/inventory-command.js';
import { returnCarriers } from '../../src/service/disposal.js';
import { preview } from '../../src/http/preview.js';
import { formatIncoming } from '../../src/register/incoming.js';
import type { RegisterEntry } from '../../src/register/register.js';
import { makeCopies } from '../../src/service/copies.js';
import { loadRef } from '../../src/service/data-dir.js';
import { destroyCarriers, finishDestructions, versionsOf } from '../../src/service/destruction.js';
import { acceptCarrier } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { recordNotice } from '../../src/service/notices.js';
import { reconcile } from '../../src/service/reconcile.js';
import { resultFilePath, resultOf } from '../../src/service/publish.js';
import type { StageContext } from '../../src/service/stages.js';
import type { PartyId } from '../../src/core/index.js';
import { ROOT } from '../helpers/carriers.js';
import { CLI } from '../helpers/service.js';
import { runInProcess } from '../helpers/cli-in-process.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

let parts: HttpTestParts;
let stages: StageContext;
const ids: Record<'withCopies' | 'noticed' | 'review' | 'resumed' | 'raced' | 'returned' | 'copyRace' | 'reconciled', string> = {
  withCopies: '',
  noticed: '',
  review: '',
  resumed: '',
  raced: '',
  returned: '',
  copyRace: '',
  reconciled: '',
};

async function received(path: string, from: PartyId, until: string): Promise<string> {
  const name = path.split('/').pop()!;
  const { carrierId } = await acceptCarrier(parts.intake, { bytes: await readFile(path), name, from, to: from === 'KZ' ? 'KG' : 'KZ', intake: 'http' });
  const t0 = Date.now();
  while ((await parts.register.stateOf(carrierId))?.state !== until) {
    if (Date.now() - t0 > 120_000) throw new Error(`${name}: not ${until} (${(await parts.register.stateOf(carrierId))?.state})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return carrierId;
}

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-destroy-' });
  stages = { dir: parts.dir, register: parts.register, extract: parts.session, log: silentLogger(), agent: 'grif test' };
  ids.withCopies = await received(join(ROOT, 'samples', 'carriers', 'digital-kk-top-secret.pdf'), 'KZ', 'stamped');
  ids.noticed = await received(join(FIXTURES, 'digital-ru-secret.pdf'), 'KZ', 'stamped');
  ids.review = await received(join(FIXTURES, 'conflict-kk-ru.pdf'), 'KZ', 'review');
  ids.resumed = await received(join(FIXTURES, 'digital-unmarked-ru.pdf'), 'KZ', 'unchanged');
  ids.raced = await received(join(FIXTURES, 'digital-ky-special-importance.pdf'), 'KZ', 'unchanged');
  ids.returned = await received(join(FIXTURES, 'digital-two-pages-ru.pdf'), 'KZ', 'stamped');
  ids.copyRace = await received(join(FIXTURES, 'stamp-middle-ru-secret.pdf'), 'KZ', 'stamped');
  ids.reconciled = await received(join(FIXTURES, 'stamp-bottom-kk-secret.pdf'), 'KZ', 'stamped');
  await recordNotice(parts.register, [ids.noticed], [{ party: 'KZ', change: 'removed', reference: '12-3/45', date: '2026-11-02', received: '2026-11-05', authority: 'Канцелярия Премьер-Министра РК' }], 'А. Регистратор');
}, 240_000);

afterAll(async () => {
  await parts?.stop();
}, 60_000);

const NOTICE = 'Уведомление № 7-2/19 от 25.11.2026';
const request = (act: string, members = ['Н. Алиева', 'Б. Осмонов']) => ({ notice: NOTICE, act, members, date: '2026-12-01', by: 'А. Регистратор' });

/** Every regular file under the folder, with its bytes. */
async function allFiles(dir: string): Promise<{ path: string; bytes: Buffer }[]> {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    const s = await lstat(path);
    if (s.isDirectory()) out.push(...(await allFiles(path)));
    else if (s.isFile()) out.push({ path, bytes: await readFile(path) });
  }
  return out;
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function runCli(args: string[]): Promise<string> {
  const r = await runInProcess((program) => {
    addDestroyCommand(program);
    addInventoryCommand(program);
  }, args);
  if (r.error) throw r.error;
  return r.stdout;
}

describe('destruction by an act (Art. 6.4)', () => {
  it('is refused with one member, without the notice, or while a notice or a review is pending; all or none', async () => {
    const c = { dir: parts.dir, register: parts.register };
    await expect(destroyCarriers(c, [ids.withCopies], request('A-1', ['Н. Алиева']))).rejects.toThrow(/at least two people/);
    await expect(destroyCarriers(c, [ids.withCopies], request('A-1', ['Н. Алиева', ' Н. Алиева ']))).rejects.toThrow(/at least two people/);
    await expect(destroyCarriers(c, [ids.withCopies], { ...request('A-1'), notice: ' ' })).rejects.toThrow(/written notice \(Art\. 6\.4\)/);
    await expect(destroyCarriers(c, [ids.withCopies, ids.noticed], request('A-1'))).rejects.toThrow(/level-change notice is pending: carry it out first/);
    await expect(destroyCarriers(c, [ids.review], request('A-1'))).rejects.toThrow(/waits for a person.s decision/);
    // An act's number is one line a URL keeps: not "..", no line break, at most 60 characters.
    await expect(destroyCarriers(c, [ids.withCopies], request('..'))).rejects.toThrow(/one line of text, not "\." or "\.\."/);
    await expect(destroyCarriers(c, [ids.withCopies], request('5\n6'))).rejects.toThrow(/one line of text/);
    await expect(destroyCarriers(c, [ids.withCopies], request('7'.repeat(61)))).rejects.toThrow(/at most 60 characters, not 61/);
    // Nothing moved, nothing went.
    expect((await parts.register.stateOf(ids.withCopies))?.state).toBe('stamped');
    const ref = (await loadRef(parts.dir, ids.withCopies))!;
    expect(await readFile(join(parts.dir.root, ref.stored))).toBeTruthy();
  });

  it('wipes the carrier, its copies, preview and a stray copy; the search and the act prove it; the register verifies', async () => {
    const id = ids.withCopies;
    await makeCopies(stages, id, { permission: 'Разрешение № 3-11/07', count: 2, by: 'Н. Алиева' });
    await preview(parts.intake, id, 'stamped', 1);
    const before = (await parts.register.carrier(id))!;
    const stamped = await readFile((await resultFilePath(resultOf(parts.dir, (await loadRef(parts.dir, id))!, before)!))!);
    // A copy a process stored and was killed before registering: found by the stamped version it begins with.
    const stray = join(parts.dir.store, `${'e'.repeat(64)}.pdf`);
    await writeFile(stray, Buffer.concat([stamped, Buffer.from('\n% a stray copy\n')]));
    const versions = versionsOf(before);
    expect(versions.map((v) => v.what)).toEqual(['received', 'stamped', 'copy', 'copy']);

    const act = join(parts.tmp, 'act-A-2.pdf');
    const out = await runCli(['destroy', id, '--dir', parts.dir.root, '--register', join(parts.tmp, 'register.sqlite'), '--notice', NOTICE, '--act', 'A-2', '--by', 'Н. Алиева', '--by', 'Б. Осмонов', '--date', '2026-12-01', '--how', 'бумажные экземпляры сожжены', '--russian', '--out', act]);
    expect(out).toMatch(/destroyed with copies № 1, 2/);
    expect(out).toMatch(/looked for 4 SHA-256 .* none found/);

    // No file under the data directory holds any version, whole or as its beginning.
    const files = await allFiles(parts.dir.root);
    const wanted = new Set(versions.map((v) => v.sha256));
    for (const f of files) {
      expect(wanted.has(sha(f.bytes)), f.path).toBe(false);
      expect(f.bytes.length >= stamped.length && f.bytes.subarray(0, stamped.length).equals(stamped), f.path).toBe(false);
    }
    expect(files.some((f) => f.path === stray)).toBe(false);
    // Nothing readable of it is left by name either: text, previews, staged documents, folders.
    expect(files.filter((f) => f.path.includes(id) && !f.path.endsWith('.ref.json')).map((f) => f.path)).toEqual([]);

    const entry = (await parts.register.carrier(id))!;
    expect(entry.events.at(-1)!.kind).toBe('wiped');
    expect(entry.events.filter((e) => e.state !== null).at(-1)).toMatchObject({ kind: 'destroyed', state: 'destroyed', reference: 'A-2', level: 'top-secret' });
    expect((await parts.register.verify()).ok).toBe(true);

    // The register's chain, checked by the command a registry runs.
    expect(execFileSync(process.execPath, [CLI, 'register', 'verify', '--register', join(parts.tmp, 'register.sqlite'), '--json'], { encoding: 'utf8' })).toMatch(/"ok":\s*true/);
    execFileSync('qpdf', ['--check', act]);
    const text = execFileSync('pdftotext', ['-layout', act, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('ЖОК КЫЛУУ ЖӨНҮНДӨ АКТ');
    expect(text).toContain('АКТ ОБ УНИЧТОЖЕНИИ');
    expect(text).toContain(formatIncoming(entry.incoming));
    expect(text).toContain('копии получателя: № 1, 2');
    expect(text).toContain('Н. Алиева');
    expect(text).toContain('Б. Осмонов');
    expect(text).toContain(NOTICE);
    expect(text).toContain('бумажные экземпляры сожжены');
    for (const v of versions) expect(text).toContain(v.sha256);
    expect(text).toMatch(/найдено файлов с их содержимым: 0/);
    // The act is kept, under the SHA-256 the register gives it.
    const note = entry.events.at(-1)!;
    expect(sha(await readFile(act))).toBe(note.outputSha256);
  }, 120_000);

  it('after it: no copy, no second act', async () => {
    await expect(makeCopies(stages, ids.withCopies, { permission: 'Разрешение № 3-11/08', count: 1, by: 'Н. Алиева' })).rejects.toThrow(/is destroyed/);
    await expect(destroyCarriers({ dir: parts.dir, register: parts.register }, [ids.withCopies], request('A-3'))).rejects.toThrow(/destroyed already by act A-2/);
    // An act's number is used once.
    await expect(destroyCarriers({ dir: parts.dir, register: parts.register }, [ids.returned], request('A-2'))).rejects.toThrow(/act A-2 was recorded already on \d{4}-\d{2}-\d{2}: give this act its own number/);
  });

  it('two acts at once on one carrier, a reconciler finishing beside them: one destroys it, the other is refused and changes nothing', async () => {
    const c = { dir: parts.dir, register: parts.register };
    // And a reconciler finishing whatever it finds destroyed and not wiped, all the while.
    let racing = true;
    const reconciler = (async () => {
      while (racing) {
        await finishDestructions(c, [ids.raced]);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const results = await Promise.allSettled([destroyCarriers(c, [ids.raced], request('R-1')), destroyCarriers(c, [ids.raced], request('R-2'))]);
    racing = false;
    await reconciler;
    const won = results.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof destroyCarriers>>> => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/nothing was destroyed|destroyed already/);
    const entry = (await parts.register.carrier(ids.raced))!;
    expect(entry.events.filter((e) => e.kind === 'destroyed')).toHaveLength(1);
    expect(entry.events.filter((e) => e.kind === 'wiped')).toHaveLength(1);
    // Whoever finished it, the act answered is the one the register names.
    expect(won[0]!.value.actSha256).toBe(entry.events.find((e) => e.kind === 'wiped')!.outputSha256);
    expect(sha(won[0]!.value.actPdf)).toBe(won[0]!.value.actSha256);
    expect((await parts.register.verify()).ok).toBe(true);
  }, 60_000);

  it('a copy and a destruction at once: whichever comes first, no copy outlives its carrier', async () => {
    const id = ids.copyRace;
    const [copy, destruction] = await Promise.allSettled([
      makeCopies(stages, id, { permission: 'Разрешение № 3-11/10', count: 2, by: 'Н. Алиева' }),
      destroyCarriers({ dir: parts.dir, register: parts.register }, [id], request('C-1')),
    ]);
    expect(destruction.status).toBe('fulfilled');
    const entry = (await parts.register.carrier(id))!;
    const copied = entry.events.filter((e) => e.kind === 'copied').map((e) => e.outputSha256!);
    if (copy.status === 'rejected') {
      // The destruction came first: the copy request was refused and left nothing registered.
      expect(String(copy.reason)).toMatch(/no copy was made|is destroyed/);
      expect(copied).toEqual([]);
    } else {
      // The copies came first: the act destroyed them with the carrier.
      expect((destruction as PromiseFulfilledResult<Awaited<ReturnType<typeof destroyCarriers>>>).value.carriers[0]!.copies).toEqual([1, 2]);
    }
    const made = copy.status === 'fulfilled' ? copy.value.map((m) => m.sha256) : [];
    const gone = new Set([...versionsOf(entry).map((v) => v.sha256), ...made]);
    for (const f of await allFiles(parts.dir.root)) expect(gone.has(sha(f.bytes)), f.path).toBe(false);
    expect((await parts.register.verify()).ok).toBe(true);
  }, 60_000);

  it('grif destroy killed (SIGKILL) midway through the wipe is finished by grif destroy --resume', async () => {
    const id = ids.resumed;
    const entry: RegisterEntry = (await parts.register.carrier(id))!;
    const reg = join(parts.tmp, 'register.sqlite');
    const killed = spawnSync(
      process.execPath,
      [CLI, 'destroy', id, '--dir', parts.dir.root, '--register', reg, '--notice', NOTICE, '--act', 'K-9', '--by', 'Н. Алиева', '--by', 'Б. Осмонов', '--out', join(parts.tmp, 'never.pdf')],
      { env: { ...process.env, GRIF_CRASH_AT: 'mid-wipe:destroyed' }, encoding: 'utf8' },
    );
    expect(killed.signal).toBe('SIGKILL');
    // The register says destroyed, not wiped; some of its files are still there.
    const after = (await parts.register.carrier(id))!;
    expect(after.events.at(-1)).toMatchObject({ kind: 'destroyed', reference: 'K-9' });
    const ref = (await loadRef(parts.dir, id))!;
    expect(sha(await readFile(join(parts.dir.root, ref.stored)))).toBe(entry.inputSha256);
    // A new act on it is refused, and says how to finish.
    await expect(destroyCarriers({ dir: parts.dir, register: parts.register }, [id], request('K-10'))).rejects.toThrow(/destroyed already by act K-9.*--resume/);
    const act = join(parts.tmp, 'act-K-9.pdf');
    const out = await runCli(['destroy', '--resume', '--dir', parts.dir.root, '--register', reg, '--out', act]);
    expect(out).toMatch(/act K-9/);
    expect(out).toMatch(/none found/);
    for (const f of await allFiles(parts.dir.root)) expect(sha(f.bytes), f.path).not.toBe(entry.inputSha256);
    expect((await parts.register.carrier(id))!.events.at(-1)!.kind).toBe('wiped');
    expect(execFileSync('pdftotext', [act, '-'], { encoding: 'utf8' })).toContain('K-9');
    expect((await parts.register.verify()).ok).toBe(true);
    // Nothing left to finish.
    expect(await runCli(['destroy', '--resume', '--dir', parts.dir.root, '--register', reg, '--out', join(parts.tmp, 'none.pdf')])).toMatch(/nothing to finish/);
  }, 60_000);

  it('grif destroy killed (SIGKILL) right after its commit is finished by the reconciler', async () => {
    const id = ids.reconciled;
    const entry: RegisterEntry = (await parts.register.carrier(id))!;
    const killed = spawnSync(
      process.execPath,
      [CLI, 'destroy', id, '--dir', parts.dir.root, '--register', join(parts.tmp, 'register.sqlite'), '--notice', NOTICE, '--act', 'K-11', '--by', 'Н. Алиева', '--by', 'Б. Осмонов', '--out', join(parts.tmp, 'never.pdf')],
      { env: { ...process.env, GRIF_CRASH_AT: 'after-commit:destroyed' }, encoding: 'utf8' },
    );
    expect(killed.signal).toBe('SIGKILL');
    expect((await parts.register.stateOf(id))?.state).toBe('destroyed');
    const report = await reconcile({ dir: parts.dir, register: parts.register, log: silentLogger() });
    expect(report.destructions).toBe(1);
    const wanted = new Set(versionsOf(entry).map((v) => v.sha256));
    for (const f of await allFiles(parts.dir.root)) expect(wanted.has(sha(f.bytes)), f.path).toBe(false);
    expect((await parts.register.carrier(id))!.events.at(-1)).toMatchObject({ kind: 'wiped', reference: 'K-11' });
    expect((await reconcile({ dir: parts.dir, register: parts.register, log: silentLogger() })).destructions).toBe(0);
  }, 60_000);

  it('the inventory adds up: received = on hand + returned + destroyed, for carriers and copies', async () => {
    await makeCopies(stages, ids.returned, { permission: 'Разрешение № 3-11/09', count: 1, by: 'Н. Алиева' });
    await returnCarriers({ dir: parts.dir, register: parts.register }, [ids.returned], { notice: 'Уведомление № 7-2/20', reference: 'Сопроводительное письмо № 55', date: '2026-12-01', by: 'Н. Алиева' });
    const reg = join(parts.tmp, 'register.sqlite');
    const today = new Date().toLocaleDateString('sv');
    const inv = JSON.parse(await runCli(['inventory', '--dir', parts.dir.root, '--register', reg, '--json', '--as-of', today])) as import('../../src/service/inventory.js').Inventory;
    // The race above left 0 or 2 copies, destroyed with their carrier.
    const raced = (await parts.register.carrier(ids.copyRace))!.events.filter((e) => e.kind === 'copied').length;
    expect(inv.carriers).toEqual({ received: 8, onHand: 2, returned: 1, destroyed: 5 });
    expect(inv.copies).toEqual({ received: 3 + raced, onHand: 0, returned: 1, destroyed: 2 + raced });
    // On hand: the one under a notice (secret before it is carried out) and the one in review (no level yet).
    expect(inv.onHandBy).toEqual({ KZ: { secret: 1, review: 1 } });
    expect(inv.notices.map((n) => [n.carrierId, n.change, n.due])).toEqual([[ids.noticed, 'removed', '2026-12-05']]);
    expect(inv.ended.map((l) => [l.carrierId, l.copy, l.standing]).sort()).toEqual(
      [
        [ids.withCopies, null, 'destroyed'],
        [ids.withCopies, 1, 'destroyed'],
        [ids.withCopies, 2, 'destroyed'],
        [ids.raced, null, 'destroyed'],
        [ids.resumed, null, 'destroyed'],
        [ids.returned, null, 'returned'],
        [ids.returned, 1, 'returned'],
        [ids.copyRace, null, 'destroyed'],
        [ids.reconciled, null, 'destroyed'],
        ...Array.from({ length: raced }, (_, i) => [ids.copyRace, i + 1, 'destroyed']),
      ].sort(),
    );
    const text = await runCli(['inventory', '--dir', parts.dir.root, '--register', reg, '--as-of', today]);
    expect(text).toContain('carriers: received 8 = on hand 2 + returned 1 + destroyed 5');
    expect(text).toContain(`copies:   made ${3 + raced} = held 0 + returned 1 + destroyed ${2 + raced}`);
    expect(text).not.toContain('DOES NOT ADD UP');
    const csv = (await runCli(['inventory', '--dir', parts.dir.root, '--register', reg, '--csv', '--as-of', today])).trim().split('\r\n');
    expect(csv).toHaveLength(1 + 8 + 3 + raced);
    expect(csv[0]).toBe('incoming,copy,name,from,level,state,standing,since,ended,reference,carrier_id');
    // The day before anything was received: nothing.
    const before = JSON.parse(await runCli(['inventory', '--dir', parts.dir.root, '--register', reg, '--json', '--as-of', '2026-01-01', '--since', '2026-01-01'])) as typeof inv;
    expect(before.carriers).toEqual({ received: 0, onHand: 0, returned: 0, destroyed: 0 });
    expect((await parts.register.verify()).ok).toBe(true);
  }, 60_000);

  it('two acts given one number at once, on different carriers: the register takes one, refuses the other whole', async () => {
    // Two born-digital carriers of their own, received after the inventory above was taken.
    const made: string[] = [];
    for (const n of [1, 2]) {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      doc.addPage([595, 842]).drawText(`Minutes of the paper supply meeting No. ${n}, open to all staff.`, { x: 60, y: 760, size: 12, font });
      const path = join(parts.tmp, `minutes-${n}.pdf`);
      await writeFile(path, await doc.save());
      made.push(await received(path, 'KG', 'unchanged'));
    }
    const c = { dir: parts.dir, register: parts.register };
    const results = await Promise.allSettled(made.map((id) => destroyCarriers(c, [id], request('S-1'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.findIndex((r) => r.status === 'rejected');
    expect(String((results[lost] as PromiseRejectedResult).reason)).toMatch(/nothing was destroyed: act S-1 was recorded already on \d{4}-\d{2}-\d{2}: give this act its own number/);
    // The refused act changed nothing: its carrier is as it was, and can be destroyed under its own number.
    expect((await parts.register.stateOf(made[lost]!))?.state).toBe('unchanged');
    expect((await parts.register.stateOf(made[1 - lost]!))?.state).toBe('destroyed');
    // Asked again later, the register's search finds the act before any transaction is tried.
    await expect(destroyCarriers(c, [made[lost]!], request('S-1'))).rejects.toThrow(/^act S-1 was recorded already/);
    expect((await destroyCarriers(c, [made[lost]!], request('S-2'))).act).toBe('S-2');
    expect((await parts.register.verify()).ok).toBe(true);
  }, 120_000);

  it('another process finishing the act between its commit and its own wipe: the act answered is the one that process registered', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([595, 842]).drawText('Minutes of the paper supply meeting No. 3, open to all staff.', { x: 60, y: 760, size: 12, font });
    const path = join(parts.tmp, 'minutes-3.pdf');
    await writeFile(path, await doc.save());
    const id = await received(path, 'KG', 'unchanged');
    // A register through which the reconciler, in effect, finishes the act the moment it is committed.
    const real = parts.register;
    let theirs: Awaited<ReturnType<typeof finishDestructions>> = [];
    const register = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'addEvents') {
          // Bound to the register itself: its methods read private fields a proxy does not have.
          const v = Reflect.get(target, prop, receiver) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        }
        return async (events: Parameters<typeof real.addEvents>[0]) => {
          const written = await real.addEvents(events);
          if (events.some((e) => e.kind === 'destroyed')) theirs = await finishDestructions({ dir: parts.dir, register: real }, [id]);
          return written;
        };
      },
    });
    const mine = await destroyCarriers({ dir: parts.dir, register }, [id], request('F-1'));
    expect(theirs.map((d) => d.act)).toEqual(['F-1']);
    const entry = (await real.carrier(id))!;
    expect(entry.events.filter((e) => e.kind === 'wiped')).toHaveLength(1);
    expect(mine.actSha256).toBe(theirs[0]!.actSha256);
    expect(mine.actSha256).toBe(entry.events.find((e) => e.kind === 'wiped')!.outputSha256);
    expect(sha(mine.actPdf)).toBe(mine.actSha256);
    expect(mine.carriers.map((c) => c.incoming)).toEqual(theirs[0]!.carriers.map((c) => c.incoming));
    expect((await real.verify()).ok).toBe(true);
  }, 120_000);
});
