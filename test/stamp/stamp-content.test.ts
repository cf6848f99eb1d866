import { describe, expect, it } from 'vitest';
import { ARTICLE_3, examine, planReceivingStamp, type StampPlan } from '../../src/core/index.js';
import { stampLines } from '../../src/stamp/stamp-content.js';
import { BODY_RU, verdictOf } from '../helpers/carriers.js';

function planFor(text: string, from: 'KZ' | 'KG', to: 'KZ' | 'KG', russian = false) {
  const plan = planReceivingStamp(verdictOf(`${text}\n${BODY_RU}`), { from, to, russian });
  if (plan.action !== 'add') throw new Error('expected a plan that adds');
  return plan as Extract<StampPlan, { action: 'add' }>;
}

describe('the stamp\'s words', () => {
  const reg = { authority: 'ҰҚК', number: '123/ДСП', date: new Date(Date.UTC(2026, 10, 25)), copy: '2' };
  it('KZ → KG: the Kyrgyz marking, then the Kyrgyz registration block', () => {
    const lines = stampLines(planFor('ҚҰПИЯ', 'KZ', 'KG'), reg);
    expect(lines.map((l) => l.text)).toEqual(['ЖАШЫРУУН', 'Нуска № 2', 'Катталды: ҰҚК', 'Кирүүчү № 123/ДСП   Күнү 25.11.2026']);
    expect(lines.map((l) => l.marking)).toEqual([true, false, false, false]);
  });
  it('KG → KZ with Russian: the Kazakh marking and its Russian equivalent', () => {
    const lines = stampLines(planFor('АБДАН ЖАШЫРУУН', 'KG', 'KZ', true), { date: reg.date });
    expect(lines.map((l) => l.text)).toEqual(['ӨТЕ ҚҰПИЯ', 'СОВЕРШЕННО СЕКРЕТНО', 'Тіркелді', 'Кіріс № ____   Күні 25.11.2026']);
  });
  for (const row of ARTICLE_3) {
    for (const [from, to, src] of [['KZ', 'KG', row.spelling.kk], ['KG', 'KZ', row.spelling.ky]] as const) {
      it(`${row.id} ${from} → ${to}: the stamp read as text is a stamp of the same level`, () => {
        const lines = stampLines(planFor(src.toUpperCase(), from, to), reg);
        // The added block alone, as a reader would extract it: one strong stamp at the level.
        const v = examine({ pages: [{ lines: lines.map((l) => ({ text: l.text })) }] });
        expect(v.status).toBe('marked');
        expect(v.level).toBe(row.id);
        expect(v.stamps[0]!.copy).toBe('2');
      });
    }
  }
});
