// Level-change notices carried out (Art. 6.3), end to end on real PDFs: carriers go through the
// real pipeline (real Redis, SQLite register, stage workers, OCR), a notice is recorded, and the
// re-marking is an incremental update on top of the stamped version that qpdf accepts, shows the
// old marking struck and the new one added, reads back at the new level with the struck marking not
// counted, is recorded in the register and published in place of the stamped version.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoticeCommands } from '../../src/cli/notice-commands.js';
import { examine } from '../../src/core/index.js';
import { extractCarrier } from '../../src/extract/read-carrier.js';
import { lastTransition } from '../../src/register/register.js';
import { acceptCarrier } from '../../src/service/intake.js';
import { loadRef } from '../../src/service/data-dir.js';
import { recordNotice } from '../../src/service/notices.js';
import { resultFilePath, resultOf } from '../../src/service/publish.js';
import { remarkCarrier } from '../../src/service/remark.js';
import { silentLogger } from '../../src/service/log.js';
import type { StageContext } from '../../src/service/stages.js';
import { ROOT } from '../helpers/carriers.js';
import { runInProcess } from '../helpers/cli-in-process.js';
import { folderProblems } from '../helpers/folders.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

let parts: HttpTestParts;
let stages: StageContext;

async function intakeAndWait(name: string, from: 'KZ' | 'KG' = 'KZ'): Promise<string> {
  const bytes = await readFile(join(ROOT, 'samples', 'carriers', name));
  const accepted = await acceptCarrier(parts.intake, { bytes, name, from, to: from === 'KZ' ? 'KG' : 'KZ', intake: 'cli' });
  const t0 = Date.now();
  for (;;) {
    const state = (await parts.register.stateOf(accepted.carrierId))?.state;
    if (state === 'stamped' || state === 'unchanged' || state === 'review' || state === 'rejected') return accepted.carrierId;
    if (Date.now() - t0 > 120_000) throw new Error(`${name} still ${state}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const notice = (change: 'secret' | 'removed', party: 'KZ' | 'KG' = 'KZ') => ({ party, change, reference: '12-3/45', date: '2026-11-02', received: '2026-11-05', authority: 'Канцелярия Премьер-Министра РК' });

const pdftotext = (path: string): string => execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-remark-' });
  stages = { dir: parts.dir, register: parts.register, extract: parts.session, log: silentLogger(), agent: 'grif test' };
}, 60_000);

afterAll(async () => {
  await parts?.stop();
}, 60_000);

describe('re-marking after a notice (Art. 6.3)', () => {
  it('top-secret lowered to secret: struck and re-marked on top of the stamped version, read back as secret, recorded and published', async () => {
    const id = await intakeAndWait('digital-kk-top-secret.pdf');
    expect((await parts.register.stateOf(id))?.state).toBe('stamped');
    const entry = (await parts.register.carrier(id))!;
    const ref = (await loadRef(parts.dir, id))!;
    const stampedPath = (await resultFilePath(resultOf(parts.dir, ref, entry)!))!;
    const stamped = await readFile(stampedPath);

    await recordNotice(parts.register, [id], [notice('secret')], 'А. Регистратор');
    expect((await parts.register.stateOf(id))?.state).toBe('to-remark');
    // Still published as stamped while it waits.
    expect(await folderProblems(parts.dir.root, parts.register)).toEqual([]);

    const done = await remarkCarrier(stages, id, { by: 'А. Регистратор' });
    expect(done).toMatchObject({ change: 'secret', created: true });
    expect(done.struck).toBeGreaterThanOrEqual(2);
    // An incremental update: every byte of the stamped version first.
    expect(Buffer.from(done.output.subarray(0, stamped.length)).equals(stamped)).toBe(true);
    const out = join(parts.tmp, 'remarked.pdf');
    await writeFile(out, done.output);
    execFileSync('qpdf', ['--check', out]);
    const text = pdftotext(out);
    // The old markings still legible, the new one and its basis added.
    expect(text).toMatch(/ӨТЕ ҚҰПИЯ|Өте құпия/i);
    expect(text).toMatch(/АБДАН ЖАШЫРУУН/);
    expect(text).toMatch(/^\s*ЖАШЫРУУН\s*$/m);
    expect(text).toMatch(/Негиз: 02\.11\.2026 № 12-3\/45 кабарлама/);
    // grif reads it as secret: the struck markings are not counted.
    const verdict = examine(await extractCarrier('remarked.pdf', done.output, parts.session));
    expect(verdict).toMatchObject({ status: 'marked', level: 'secret' });
    expect(verdict.stamps.map((s) => [s.lang, s.level])).toEqual([['ky', 'secret']]);
    // The register: the re-marking as its transition, back to stamped at secret; the outbox holds it.
    const after = (await parts.register.carrier(id))!;
    expect(lastTransition(after)).toMatchObject({ kind: 'remarked', state: 'stamped', level: 'secret', reference: '12-3/45', outputSha256: done.outputSha256, decidedBy: 'А. Регистратор' });
    const published = (await resultFilePath(resultOf(parts.dir, ref, after)!))!;
    expect((await readFile(published)).equals(Buffer.from(done.output))).toBe(true);
    expect(await folderProblems(parts.dir.root, parts.register)).toEqual([]);
    expect((await parts.register.verify()).ok).toBe(true);
    // Carried out once: a second re-marking has no notice to carry out.
    await expect(remarkCarrier(stages, id, { by: 'А. Регистратор' })).rejects.toThrow(/only a carrier with a level-change notice waiting/);
  }, 180_000);

  it('a removal: every marking struck, the removal written, read back as unmarked, declassified', async () => {
    const id = await intakeAndWait('scan-ky-top-secret.pdf');
    // Sent by KZ in this test, so KZ's notice applies.
    await recordNotice(parts.register, [id], [notice('removed')], 'А. Регистратор');
    const done = await remarkCarrier(stages, id, { by: 'А. Регистратор', russian: true });
    expect(done.change).toBe('removed');
    const out = join(parts.tmp, 'removed.pdf');
    await writeFile(out, done.output);
    execFileSync('qpdf', ['--check', out]);
    const text = pdftotext(out);
    expect(text).toMatch(/ГРИФ АЛЫНДЫ/);
    expect(text).toMatch(/ГРИФ СНЯТ/);
    expect(examine(await extractCarrier('removed.pdf', done.output, parts.session)).status).toBe('unmarked');
    expect(await parts.register.stateOf(id)).toMatchObject({ state: 'declassified', since: { kind: 'level-removed', level: null } });
    expect(await folderProblems(parts.dir.root, parts.register)).toEqual([]);
  }, 180_000);

  it('grif remark on the command line: the re-marked PDF written to --out, the register and the outbox updated', async () => {
    const id = await intakeAndWait('scan-ky-top-secret.pdf', 'KG');
    expect((await parts.register.stateOf(id))?.state).toBe('stamped');
    await recordNotice(parts.register, [id], [notice('secret', 'KG')], 'А. Регистратор');
    const out = join(parts.tmp, 'cli-remarked.pdf');
    const { stdout, error } = await runInProcess(addNoticeCommands, ['remark', id, '--dir', parts.dir.root, '--register', join(parts.tmp, 'register.sqlite'), '--out', out, '--by', 'А. Регистратор']);
    expect(error).toBeUndefined();
    expect(stdout).toMatch(new RegExp(`^${id}: re-marked as secret, \\d marking\\(s\\) struck through -> ${out.replace(/[.]/g, '\\.')}`));
    execFileSync('qpdf', ['--check', out]);
    const written = await readFile(out);
    const v = examine(await extractCarrier('cli-remarked.pdf', written, parts.session));
    expect(v).toMatchObject({ status: 'marked', level: 'secret' });
    expect(v.stamps.every((s) => s.level === 'secret')).toBe(true);
    expect(await parts.register.stateOf(id)).toMatchObject({ state: 'stamped', since: { kind: 'remarked', level: 'secret' } });
    expect(await folderProblems(parts.dir.root, parts.register)).toEqual([]);
  }, 180_000);
});
