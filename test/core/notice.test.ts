// Level-change notices as rules (Art. 6.3): who may change a level, jointly produced carriers, the
// 30 days and the deadline as seen on a given day.
import { describe, expect, it } from 'vitest';
import { addDays, checkNotices, dayNumber, deadline, dueDate, type LevelChangeNotice, type NoticeTarget } from '../../src/core/notice.js';

const notice = (over: Partial<LevelChangeNotice> = {}): LevelChangeNotice => ({
  party: 'KZ',
  change: 'secret',
  reference: '№ 12-3/45',
  date: '2026-11-02',
  received: '2026-11-05',
  authority: 'Канцелярия Премьер-Министра РК',
  ...over,
});
const target = (over: Partial<NoticeTarget> = {}): NoticeTarget => ({ id: 'c1', from: 'KZ', joint: false, level: 'top-secret', ...over });

describe('level-change notices', () => {
  it('gives 30 days from the notice\'s receipt, across month and year ends and a leap day', () => {
    expect(dueDate({ received: '2026-11-05' })).toBe('2026-12-05');
    expect(dueDate({ received: '2026-12-15' })).toBe('2027-01-14');
    expect(dueDate({ received: '2028-02-10' })).toBe('2028-03-11');
    expect(addDays('2026-03-29', 30)).toBe('2026-04-28');
  });

  it('counts the days left: day 29 after receipt has 1, day 30 is the last, day 31 is overdue by 1', () => {
    const n = { received: '2026-11-05' };
    expect(deadline(n, '2026-12-04')).toEqual({ due: '2026-12-05', daysLeft: 1, overdue: false });
    expect(deadline(n, '2026-12-05')).toEqual({ due: '2026-12-05', daysLeft: 0, overdue: false });
    expect(deadline(n, '2026-12-06')).toEqual({ due: '2026-12-05', daysLeft: -1, overdue: true });
  });

  it('refuses dates that do not exist', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '26-11-05', '2026-11-5', '']) expect(() => dayNumber(bad), bad).toThrow(/is not a date/);
  });

  it('takes a notice from the carrier\'s sender; refuses one from the other Party, naming both', () => {
    expect(checkNotices(target(), [notice()])).toEqual({ ok: true });
    const wrong = checkNotices(target(), [notice({ party: 'KG', authority: 'ГКНБ КР' })]);
    expect(wrong).toMatchObject({ ok: false, reason: 'wrong-party' });
    expect(!wrong.ok && wrong.message).toMatch(/sent by KZ: only its originating authority .* not KG \(ГКНБ КР\)/);
  });

  it('a jointly produced carrier changes only on both Parties\' notices, naming the same change', () => {
    const joint = target({ joint: true });
    expect(checkNotices(joint, [notice()])).toMatchObject({ ok: false, reason: 'one-sided' });
    expect(!checkNotices(joint, [notice()]).ok && (checkNotices(joint, [notice()]) as { message: string }).message).toMatch(/mutual agreement .* \(missing: KG\)/);
    expect(checkNotices(joint, [notice(), notice({ party: 'KG', authority: 'ГКНБ КР' })])).toEqual({ ok: true });
    expect(checkNotices(joint, [notice(), notice({ party: 'KG', change: 'removed' })])).toMatchObject({ ok: false, reason: 'parties-disagree' });
  });

  it('a notice naming the level the carrier has changes nothing, and says so', () => {
    expect(checkNotices(target({ level: 'secret' }), [notice()])).toMatchObject({ ok: false, reason: 'no-change' });
    expect(checkNotices(target({ level: null }), [notice({ change: 'removed' })])).toMatchObject({ ok: false, reason: 'no-change' });
    expect(checkNotices(target(), [notice({ change: 'removed' })])).toEqual({ ok: true });
  });
});
