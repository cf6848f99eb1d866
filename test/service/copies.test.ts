// Copies with permission (Art. 6.4), end to end on a real PDF through the real pipeline (Redis,
// SQLite register, workers, OCR): refused without the originator's permission; three copies
// numbered 1-3 (pdftotext shows each number, qpdf --check is clean, each reads back at the source's
// level, each begins with the stamped version's bytes); a fourth later is 4; two requests at once
// never share a number; the sender's own copy number is kept apart.
import { execFileSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDisposalCommands } from '../../src/cli/disposal-commands.js';
import { examine } from '../../src/core/index.js';
import { extractCarrier } from '../../src/extract/read-carrier.js';
import { copiesOf, makeCopies } from '../../src/service/copies.js';
import { returnCarriers } from '../../src/service/disposal.js';
import { folderProblems } from '../helpers/folders.js';
import { loadRef } from '../../src/service/data-dir.js';
import { acceptCarrier } from '../../src/service/intake.js';
import { silentLogger } from '../../src/service/log.js';
import { resultFilePath, resultOf } from '../../src/service/publish.js';
import type { StageContext } from '../../src/service/stages.js';
import { ROOT } from '../helpers/carriers.js';
import { runInProcess } from '../helpers/cli-in-process.js';
import { CLI } from '../helpers/service.js';
import { startHttpTestParts, type HttpTestParts } from '../helpers/http-service.js';

let parts: HttpTestParts;
let stages: StageContext;
let id = '';

beforeAll(async () => {
  parts = await startHttpTestParts({ prefix: 'grif-copies-' });
  stages = { dir: parts.dir, register: parts.register, extract: parts.session, log: silentLogger(), agent: 'grif test' };
  const name = 'digital-kk-top-secret.pdf';
  id = (await acceptCarrier(parts.intake, { bytes: await readFile(join(ROOT, 'samples', 'carriers', name)), name, from: 'KZ', to: 'KG', intake: 'http' })).carrierId;
  const t0 = Date.now();
  while ((await parts.register.stateOf(id))?.state !== 'stamped') {
    if (Date.now() - t0 > 120_000) throw new Error('not stamped');
    await new Promise((r) => setTimeout(r, 200));
  }
}, 180_000);

afterAll(async () => {
  await parts?.stop();
}, 60_000);

const PERMISSION = 'Письменное разрешение № 3-11/07 от 20.11.2026';

describe('copies with permission (Art. 6.4)', () => {
  it('refuses a copy without the originator\'s written permission, and writes nothing', async () => {
    await expect(makeCopies(stages, id, { permission: '  ', count: 1, by: 'Н. Алиева' })).rejects.toThrow(/needs the originator's written permission \(Art\. 6\.4\)/);
    expect(copiesOf((await parts.register.carrier(id))!)).toEqual([]);
  });

  it('three copies numbered 1 to 3, each marked as its source and read back so; a fourth later is 4', async () => {
    const entry = (await parts.register.carrier(id))!;
    const stamped = await readFile((await resultFilePath(resultOf(parts.dir, (await loadRef(parts.dir, id))!, entry)!))!);
    const made = await makeCopies(stages, id, { permission: PERMISSION, count: 3, by: 'Н. Алиева' });
    expect(made.map((m) => m.number)).toEqual([1, 2, 3]);
    for (const m of made) {
      const file = join(parts.tmp, `copy-${m.number}.pdf`);
      await writeFile(file, m.pdf);
      execFileSync('qpdf', ['--check', file]);
      expect(Buffer.from(m.pdf.subarray(0, stamped.length)).equals(stamped), `copy ${m.number}`).toBe(true);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(`Нуска № ${m.number} (алуучунун көчүрмөсү)`);
      expect(examine(await extractCarrier(`copy-${m.number}.pdf`, m.pdf, parts.session))).toMatchObject({ status: 'marked', level: 'top-secret' });
      if (m.number === 1) {
        // As a registry would check it: grif detect reads the source's level.
        const detected = JSON.parse(execFileSync(process.execPath, [CLI, 'detect', file, '--json'], { encoding: 'utf8' }).trim().split('\n')[0]!) as { status: string; level: string };
        expect(detected).toMatchObject({ status: 'marked', level: 'top-secret' });
      }
    }
    const fourth = await makeCopies(stages, id, { permission: PERMISSION, count: 1, by: 'Н. Алиева' });
    expect(fourth.map((m) => m.number)).toEqual([4]);
    const copies = copiesOf((await parts.register.carrier(id))!);
    expect(copies.map((x) => x.number)).toEqual([1, 2, 3, 4]);
    // The sender printed "Дана № 2" on the carrier: kept apart from the receiver's numbers.
    expect(copies.every((x) => x.permission === PERMISSION && x.senderCopy === '2')).toBe(true);
    expect((await parts.register.verify()).ok).toBe(true);
  }, 120_000);

  it('two requests at once never share a number', async () => {
    const [a, b] = await Promise.all([
      makeCopies(stages, id, { permission: PERMISSION, count: 2, by: 'Н. Алиева' }),
      makeCopies(stages, id, { permission: PERMISSION, count: 2, by: 'А. Регистратор' }),
    ]);
    expect([...a, ...b].map((m) => m.number).sort((x, y) => x - y)).toEqual([5, 6, 7, 8]);
    expect(copiesOf((await parts.register.carrier(id))!).map((x) => x.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }, 120_000);

  it('grif copy on the command line writes the copies to --out', async () => {
    const out = join(parts.tmp, 'copies');
    const { stdout, error } = await runInProcess(addDisposalCommands, ['copy', id, '--dir', parts.dir.root, '--register', join(parts.tmp, 'register.sqlite'), '--permission', PERMISSION, '--count', '2', '--out', out, '--by', 'Н. Алиева']);
    expect(error).toBeUndefined();
    expect((await readdir(out)).sort()).toEqual([`${id}.copy-10.pdf`, `${id}.copy-9.pdf`]);
    expect(stdout).toMatch(new RegExp(`^${id}: copy № 9 -> `));
  }, 120_000);

  it('returned on the originator\'s notice with its ten copies: recorded in one event, out of the folders', async () => {
    await expect(returnCarriers({ dir: parts.dir, register: parts.register }, [id], { notice: ' ', reference: 'x', date: '2026-12-01', by: 'Н. Алиева' })).rejects.toThrow(/written notice \(Art\. 6\.4\)/);
    const done = await returnCarriers({ dir: parts.dir, register: parts.register }, [id], { notice: 'Уведомление № 5-1/90 от 28.11.2026', reference: 'Сопроводительное письмо № 77', date: '2026-12-01', by: 'Н. Алиева' });
    expect(done).toEqual([{ carrierId: id, copies: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }]);
    expect(await parts.register.stateOf(id)).toMatchObject({ state: 'returned', since: { kind: 'returned', reference: 'Уведомление № 5-1/90 от 28.11.2026', decidedBy: 'Н. Алиева' } });
    expect(await folderProblems(parts.dir.root, parts.register)).toEqual([]);
    expect((await readdir(parts.dir.outbox)).filter((n) => n.startsWith('digital-kk-top-secret.pdf'))).toEqual([]);
    // Returned: no more copies of it, and it is not returned twice.
    await expect(makeCopies(stages, id, { permission: PERMISSION, count: 1, by: 'Н. Алиева' })).rejects.toThrow(/is returned/);
    await expect(returnCarriers({ dir: parts.dir, register: parts.register }, [id], { notice: 'x', reference: 'y', date: '2026-12-01', by: 'Н. Алиева' })).rejects.toThrow(/is returned: only a carrier through intake and on hand/);
    expect((await parts.register.verify()).ok).toBe(true);
  });
});
