// grif notice add and grif overdue against a real SQLite register: the notice recorded as each
// carrier's transition to to-remark, refused from the wrong Party or one-sided for a jointly
// produced carrier, recorded once when given twice, and the deadlines on day 29 and day 31.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoticeCommands } from '../../src/cli/notice-commands.js';
import { openRegister } from '../../src/register/open-register.js';
import { newEvent, type Register } from '../../src/register/register.js';
import { carrierIdOf } from '../../src/register/rows.js';
import { runInProcess } from '../helpers/cli-in-process.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

const grif = (...args: string[]) => runInProcess(addNoticeCommands, args);

describe('grif notice add, grif overdue', () => {
  let dir: string;
  let reg: Register;
  const id: Record<'stamped' | 'joint' | 'review' | 'unmarked', string> = { stamped: '', joint: '', review: '', unmarked: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'grif-notice-'));
    reg = await openRegister(join(dir, 'register.sqlite'));
    for (const [i, name] of (['stamped', 'joint', 'review', 'unmarked'] as const).entries()) {
      const inputSha256 = sha(name);
      id[name] = carrierIdOf(inputSha256, 'KZ', 'KG');
      await reg.addCarrier({ id: id[name], name: `${name}.pdf`, from: 'KZ', to: 'KG', inputSha256, kind: 'carrier', derivedFrom: null, intake: 'cli', receivedAt: `2026-10-0${i + 1}T09:00:00.000Z` });
      await reg.addEvent(newEvent(id[name], 'extracted', 'grif 0.1'));
      if (name === 'review') await reg.addEvent(newEvent(id[name], 'review', 'grif 0.1'));
      else if (name === 'unmarked') await reg.addEvent(newEvent(id[name], 'unmarked', 'grif 0.1'));
      else {
        await reg.addEvent(newEvent(id[name], 'to-stamp', 'grif 0.1', { level: 'top-secret' }));
        await reg.addEvent(newEvent(id[name], 'stamped', 'grif 0.1', { level: 'top-secret', outputSha256: sha(`${name} out`) }));
      }
    }
    await reg.addEvent(newEvent(id.joint, 'jointly-produced', 'А. Регистратор', { reference: 'Совместный план № 4' }));
  });
  afterAll(async () => {
    await reg?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const kz = ['--from', 'KZ', '--reference', '№ 12-3/45', '--date', '2026-11-02', '--authority', 'Канцелярия Премьер-Министра РК'];
  const kg = ['--from', 'KG', '--reference', '№ 07/881', '--date', '2026-11-03', '--authority', 'ГКНБ КР'];
  const add = (...args: string[]) => grif('notice', 'add', '--dir', dir, '--by', 'А. Регистратор', '--received', '2026-11-05', ...args);

  it('refuses a notice from the Party that did not send the carrier, and writes nothing', async () => {
    const r = await add('--carrier', id.stamped, '--level', 'secret', ...kg);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/was sent by KZ: only its originating authority may change or remove its level \(Art\. 6\.3\), not KG \(ГКНБ КР\)/);
    expect((await reg.stateOf(id.stamped))?.state).toBe('stamped');
  });

  it('refuses a carrier still in review, and a carrier the notice would not change', async () => {
    const review = await add('--carrier', id.review, '--level', 'secret', ...kz);
    expect(review.stderr).toMatch(/is review: a level-change notice applies to a carrier that has been through intake/);
    const unmarked = await add('--carrier', id.unmarked, '--level', 'removed', ...kz);
    expect(unmarked.stderr).toMatch(/without a level already: the notice changes nothing/);
    expect(review.code).not.toBe(0);
  });

  it('records a notice lowering top-secret to secret: to-remark, due 30 days after receipt; the same notice again is not written twice', async () => {
    const r = await add('--carrier', id.stamped, '--level', 'secret', ...kz);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${id.stamped}: notice recorded; re-mark by 2026-12-05\n`);
    const state = await reg.stateOf(id.stamped);
    expect(state).toMatchObject({ state: 'to-remark', since: { kind: 'notice', level: 'secret', reference: '№ 12-3/45', decidedBy: 'А. Регистратор' } });
    expect(JSON.parse(state!.since.detail!)).toMatchObject({ change: 'secret', due: '2026-12-05', notices: [{ party: 'KZ', received: '2026-11-05', authority: 'Канцелярия Премьер-Министра РК' }] });
    const again = await add('--carrier', id.stamped, '--level', 'secret', ...kz);
    expect(again.stdout).toMatch(/notice recorded before/);
    expect((await reg.carrier(id.stamped))!.events.filter((e) => e.kind === 'notice')).toHaveLength(1);
    expect((await reg.verify()).ok).toBe(true);
  });

  it('a jointly produced carrier: one Party\'s notice is refused, both Parties\' are recorded', async () => {
    const one = await add('--carrier', id.joint, '--level', 'removed', ...kz);
    expect(one.code).not.toBe(0);
    expect(one.stderr).toMatch(/jointly produced: its level changes only by mutual agreement \(Art\. 6\.3\); record the notices of both Parties \(missing: KG\)/);
    const both = await add('--carrier', id.joint, '--level', 'removed', ...kz, ...kg);
    expect(both.code, both.stderr).toBe(0);
    expect((await reg.stateOf(id.joint))).toMatchObject({ state: 'to-remark', since: { level: null, reference: '№ 12-3/45; № 07/881' } });
  });

  it('grif overdue: day 29 after receipt lists the carriers with 1 day left; day 31, overdue by 1 (exit 1)', async () => {
    const day29 = await grif('overdue', '--dir', dir, '--today', '2026-12-04');
    expect(day29.code).toBe(0);
    const lines = day29.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^1/2026\\t${id.stamped}\\tsecret\\tdue 2026-12-05\\t1 day\\(s\\) left\\t№ 12-3/45$`));
    expect(lines[1]).toMatch(new RegExp(`^2/2026\\t${id.joint}\\tremoved\\tdue 2026-12-05\\t1 day\\(s\\) left`));
    const day31 = await grif('overdue', '--dir', dir, '--today', '2026-12-06', '--json');
    expect(day31.code).toBe(1);
    const list = JSON.parse(day31.stdout) as { carrierId: string; daysLeft: number; overdue: boolean; incomingNumber: string }[];
    expect(list.map((p) => [p.incomingNumber, p.daysLeft, p.overdue])).toEqual([
      ['1/2026', -1, true],
      ['2/2026', -1, true],
    ]);
  });

  it('the list is empty only when every carrier named in a notice is re-marked', async () => {
    await reg.addEvent(newEvent(id.stamped, 'remarked', 'А. Регистратор', { level: 'secret', outputSha256: sha('remarked') }));
    const left = await grif('overdue', '--dir', dir, '--today', '2026-12-06', '--json');
    expect((JSON.parse(left.stdout) as unknown[]).length).toBe(1);
    await reg.addEvent(newEvent(id.joint, 'level-removed', 'А. Регистратор', { outputSha256: sha('removed') }));
    const none = await grif('overdue', '--dir', dir, '--today', '2026-12-06');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^no notices waiting/);
  });

  it('says what is wrong with the flags', async () => {
    expect((await add('--carrier', id.stamped, '--level', 'confidential', ...kz)).stderr).toMatch(/--level must be special-importance, top-secret, secret or removed/);
    expect((await add('--carrier', id.stamped, '--level', 'secret', ...kz, '--from', 'KG')).stderr).toMatch(/give one --reference for each --from/);
    expect((await add('--carrier', id.stamped, '--level', 'secret', '--from', 'KZ', '--reference', 'x', '--date', '2026-02-30', '--authority', 'y')).stderr).toMatch(/--date must be a date/);
    expect((await grif('overdue', '--dir', dir, '--today', 'tomorrow')).stderr).toMatch(/--today must be a date/);
  });
});
