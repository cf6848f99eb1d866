// Prose, substrings, tables, other labels, weak evidence and the agreement itself.
import { describe, expect, it } from 'vitest';
import { ARTICLE_3, LANGS, detect, examine, type TextLine } from '../../src/core/index.js';
import { BODY_RU, carrier, seedText, verdictOf } from '../helpers/carriers.js';

describe('prose that merely uses the marking words is not a stamp', () => {
  const PROSE = [
    'Құпия ақпаратты өзара қорғау туралы келісім жасалды.',
    'құпия ақпарат',
    'Тараптар құпия ақпаратты қорғауды қамтамасыз етеді.',
    'Осы мәліметтер өте құпия болып саналады және қорғалады.',
    'Бұл мәселе аса маңызды деп танылды.',
    'Документ содержит секретные сведения и передается курьером.',
    'секретные сведения',
    'Сведения особой важности передаются только по защищенным каналам.',
    'Совершенно секретно было решено не сообщать об этом никому.',
    'Документ имеет гриф «Секретно» и хранится в первом отделе.',
    'жашыруун маалымат',
    'Тараптар жашыруун маалыматты коргоону камсыз кылышат.',
    'Бул маселе өзгөчө маанилүү болуп саналат жана каралат.',
    'Абдан жашыруун маалыматтар өзгөчө тартипте сакталат.',
    'Гриф «Өте құпия» мен «Абдан жашыруун» Келісімнің 3-бабына сәйкес салыстырылады.',
  ];
  for (const text of PROSE) {
    it(`"${text}" as a line of body text`, () => {
      const v = verdictOf(`${BODY_RU}\n${text}\n${BODY_RU}`);
      expect(v.status).toBe('unmarked');
      expect(v.stamps).toEqual([]);
    });
  }
  it('the same sentences as the first lines of a page are not stamps either', () => {
    const v = verdictOf(PROSE.filter((p) => p.length > 20).join('\n'));
    expect(v.status).toBe('unmarked');
    expect(v.notes.join(' ')).toMatch(/inside running text were not taken as stamps/);
  });
  it('inflected words are not the marking ("Құпиялылық", "Секретарю", "Жашыруулар")', () => {
    for (const w of ['ҚҰПИЯЛЫЛЫҚ', 'Секретарю', 'СЕКРЕТАРИАТ', 'Жашыруулар', 'Құпиялылық белгісі']) {
      expect(verdictOf(`${w}\n${BODY_RU}`).status, w).toBe('unmarked');
    }
  });
});

describe('longest match: the higher marking is one marking, never also the lower one', () => {
  const cases = [
    ['СОВЕРШЕННО СЕКРЕТНО', 'top-secret', 'ru'],
    ['Совершенно секретно', 'top-secret', 'ru'],
    ['ӨТЕ ҚҰПИЯ', 'top-secret', 'kk'],
    ['Өте құпия', 'top-secret', 'kk'],
    ['АБДАН ЖАШЫРУУН', 'top-secret', 'ky'],
    ['Абдан жашыруун', 'top-secret', 'ky'],
    ['СОВЕРШЕННОСЕКРЕТНО', 'top-secret', 'ru'],
    ['ӨТЕ\nҚҰПИЯ', 'top-secret', 'kk'],
    ['АБДАН\nЖАШЫРУУН', 'top-secret', 'ky'],
    ['СОВЕРШЕННО\nСЕКРЕТНО\nЭкз. № 1', 'top-secret', 'ru'],
  ] as const;
  for (const [text, level, lang] of cases) {
    it(JSON.stringify(text), () => {
      const v = verdictOf(`${text}\n${BODY_RU}`);
      expect(v.status).toBe('marked');
      expect(v.level).toBe(level);
      expect(v.stamps).toHaveLength(1);
      expect(v.stamps[0]).toMatchObject({ level, lang, line: 1 });
    });
  }
  it('a lone "Өте" line above prose does not make the prose a stamp', () => {
    expect(verdictOf('ӨТЕ\nқұпия ақпаратты қорғау туралы келісім\n' + BODY_RU).status).toBe('unmarked');
  });
});

describe('labels outside Article 3 are notes, never levels', () => {
  const LABELS = [
    'ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ',
    'Для служебного пользования',
    'ДСП',
    '«ДСП»',
    'Д С П',
    'НЕСЕКРЕТНО',
    'НЕ СЕКРЕТНО',
    'ҚҰПИЯ ЕМЕС',
    'ЖАШЫРУУН ЭМЕС',
    'Қызмет бабында пайдалану үшін',
    'Кызматтык пайдалануу үчүн',
    'РАССЕКРЕЧЕНО',
    'КОНФИДЕНЦИАЛЬНО',
  ];
  for (const label of LABELS) {
    it(`"${label}" alone: unmarked, with a note`, () => {
      const v = verdictOf(`${label}\n${BODY_RU}`);
      expect(v.status).toBe('unmarked');
      expect(v.level).toBeNull();
      expect(v.stamps).toEqual([]);
      expect(v.notes.some((n) => n.includes('not an Article 3 level'))).toBe(true);
    });
  }
  it('"ДСП" beside a real stamp: marked at the stamp\'s level, the label noted', () => {
    const v = verdictOf(`СЕКРЕТНО\nДСП\n${BODY_RU}`);
    expect(v.status).toBe('marked');
    expect(v.level).toBe('secret');
    expect(v.notes.join('\n')).toMatch(/"ДСП" .*for official use/);
  });
  it('"ДСП" inside a sentence (chipboard) is not even a note', () => {
    const v = verdictOf(`Поставка плит ДСП на склад завершена в срок.\n${BODY_RU}`);
    expect(v.status).toBe('unmarked');
    expect(v.notes.join(' ')).not.toMatch(/national label/);
  });
});

describe('weak evidence goes to a person, never to a guess', () => {
  it('a garbled stamp gives review, with the level it points to as the floor', () => {
    const v = verdictOf(`СЕКРФТНQ\n${BODY_RU}`);
    expect(v.status).toBe('review');
    expect(v.level).toBeNull();
    expect(v.minLevel).toBe('secret');
    expect(v.stamps[0]).toMatchObject({ evidence: 'weak', level: 'secret' });
    expect(v.notes[0]).toMatch(/too weak to decide/);
  });
  it('a weak higher marking beside a strong lower one: review at no lower than the higher', () => {
    const lines: TextLine[] = [
      { text: 'СЕКРЕТНО', confidence: 0.96 },
      { text: 'ОСОБОЙ ВАЖНОСТИ', confidence: 0.4 },
      ...BODY_RU.split('\n').map((text) => ({ text, confidence: 0.9 })),
    ];
    const v = examine({ pages: [{ lines }] });
    expect(v.status).toBe('review');
    expect(v.minLevel).toBe('special-importance');
  });
  it('a weak lower marking beside a strong higher one still goes to review', () => {
    const lines: TextLine[] = [
      { text: 'СОВЕРШЕННО СЕКРЕТНО', confidence: 0.97 },
      { text: 'ҚҰПИЯ', confidence: 0.3 },
    ];
    const v = examine({ pages: [{ lines }] });
    expect(v.status).toBe('review');
    expect(v.minLevel).toBe('top-secret');
  });
  it('a weak stamp agreeing with a strong one does not stop the verdict', () => {
    const lines: TextLine[] = [
      { text: 'СОВЕРШЕННО СЕКРЕТНО', confidence: 0.97 },
      { text: 'ӨТЕ ҚҰПИЯ', confidence: 0.5 },
    ];
    const v = examine({ pages: [{ lines }] });
    expect(v.status).toBe('marked');
    expect(v.level).toBe('top-secret');
  });
  it('a marking with another short word on the stamp line is weak', () => {
    const v = verdictOf(`СЕКРЕТНО Проект\n${BODY_RU}`);
    expect(v.status).toBe('review');
    expect(v.stamps[0]!.why).toMatch(/another word on the stamp line/);
  });
  it('a garbled first word of "СОВЕРШЕННО СЕКРЕТНО" does not leave a plain "secret"', () => {
    const v = verdictOf(`СОВХЖЩЗННО СЕКРЕТНО\n${BODY_RU}`);
    expect(v.status).toBe('review');
    // The evidence may be "Совершенно секретно": the floor is the higher level.
    expect(v.minLevel).toBe('top-secret');
    expect(v.stamps[0]!.why).toMatch(/garbled opening of "Совершенно секретно"/);
  });
  it('a marking in capitals with an unknown word at the top goes to a person; in lower case it is prose', () => {
    expect(verdictOf(`СЕКРЕТНО ПРОЕКТ\n${BODY_RU}`).status).toBe('review');
    expect(verdictOf(`Секретно проект\n${BODY_RU}`).status).toBe('unmarked');
  });
  it.each(['ҚҰПИЯ АҚПАРАТ', 'Құпия ақпарат', 'ЖАШЫРУУН МААЛЫМАТ', 'СЕКРЕТНЫЕ СВЕДЕНИЯ', 'ҚҰПИЯ ҚҰЖАТТАР'])(
    '"%s" as a heading is prose (classified information), not a stamp',
    (heading) => {
      const v = verdictOf(`${heading}\n${BODY_RU}`);
      expect(v.status).toBe('unmarked');
      expect(v.stamps).toEqual([]);
    },
  );
  it('markings in separate columns of one line, where stamps go, are a table row: a person looks', () => {
    const v = verdictOf(`"Секретно"                              "Секретно"\n${BODY_RU}`);
    expect(v.status).toBe('review');
    expect(v.stamps.every((st) => st.evidence === 'weak')).toBe(true);
    expect(v.stamps[0]!.why).toMatch(/as in a table/);
  });
  it('a stamp in the right column of a header line is found', () => {
    const v = verdictOf(`МИНИСТЕРСТВО ОБОРОНЫ РЕСПУБЛИКИ КАЗАХСТАН          СЕКРЕТНО\n${' '.repeat(52)}Экз. № 5\n${BODY_RU}`);
    expect(v.status).toBe('marked');
    expect(v.stamps[0]).toMatchObject({ level: 'secret', copy: '5' });
  });
  it('a lone marking line in the middle of the body is weak (a person looks)', () => {
    const body = Array.from({ length: 20 }, (_, i) => `Строка ${i + 1} обычного текста письма о поставках оборудования.`);
    body.splice(10, 0, 'СЕКРЕТНО');
    const v = verdictOf(body.join('\n'));
    expect(v.status).toBe('review');
    expect(v.stamps[0]!.why).toMatch(/body of the page/);
  });
  it('the same line with a copy line under it is a stamp', () => {
    const body = Array.from({ length: 20 }, (_, i) => `Строка ${i + 1} обычного текста письма о поставках оборудования.`);
    body.splice(10, 0, 'СЕКРЕТНО', 'Экз. № 4');
    const v = verdictOf(body.join('\n'));
    expect(v.status).toBe('marked');
    expect(v.stamps[0]!.copy).toBe('4');
  });
});

describe('lines with boxes place the stamp areas by geometry', () => {
  const page = (y: number, text = 'СЕКРЕТНО') => ({
    width: 595,
    height: 842,
    lines: [
      { text, bbox: [420, y, 540, y + 14] as const, confidence: 0.95 },
      { text: 'Министерство направляет сведения о ходе поставок оборудования', bbox: [60, 300, 540, 314] as const, confidence: 0.93 },
    ],
  });
  it('a stamp in the top band is strong and carries its box', () => {
    const v = examine({ pages: [page(40)] });
    expect(v.status).toBe('marked');
    expect(v.stamps[0]!.bbox).toEqual([420, 40, 540, 54]);
  });
  it('a stamp at the foot of the page is strong', () => {
    expect(examine({ pages: [page(800)] }).status).toBe('marked');
  });
  it('a marking line at mid-page is weak', () => {
    expect(examine({ pages: [page(420)] }).status).toBe('review');
  });
});

describe('the agreement itself (samples/carriers/agreement-kk.txt)', () => {
  const seed = seedText();
  it('is unmarked: it talks about secrets on every line but carries no stamp', () => {
    const v = verdictOf(seed);
    expect(v.status).toBe('unmarked');
    expect(v.stamps).toEqual([]);
  });
  it('its Article 3 table is read as a listing of markings, not as stamps', () => {
    const d = detect(carrier(seed));
    expect(d.listings).toHaveLength(1);
    expect(new Set(d.listings[0]!.levels)).toEqual(new Set(['special-importance', 'top-secret', 'secret']));
    expect(d.proseMentions).toBeGreaterThan(20);
  });
  for (const row of ARTICLE_3) {
    for (const lang of LANGS) {
      const stamp = row.spelling[lang].toUpperCase();
      it(`with "${stamp}" added above it: marked ${row.id}`, () => {
        const v = verdictOf(`${' '.repeat(50)}${stamp}\n${seed}`);
        expect(v.status).toBe('marked');
        expect(v.level).toBe(row.id);
        expect(v.stamps).toHaveLength(1);
        expect(v.stamps[0]).toMatchObject({ lang, line: 1, page: 1 });
      });
    }
  }
  it('no 40-line page cut from it is ever marked, wherever its Article 3 table falls', () => {
    const lines = seed.split('\n');
    const verdicts = new Map<string, number>();
    for (let start = 0; start + 40 <= lines.length; start++) {
      const v = verdictOf(lines.slice(start, start + 40).join('\n'));
      verdicts.set(v.status, (verdicts.get(v.status) ?? 0) + 1);
      // Unmarked, or a person looks when the table sits where stamps go: never a level.
      expect(['unmarked', 'review'], `page from line ${start + 1}: ${v.status}`).toContain(v.status);
    }
    expect(verdicts.get('unmarked')).toBeGreaterThan(250);
  });
  it('with a stamp and a copy line added above it: the copy number is kept', () => {
    const v = verdictOf(`ҚҰПИЯ\nДана № 2\n${seed}`);
    expect(v.status).toBe('marked');
    expect(v.stamps[0]!.copy).toBe('2');
  });
  it('with two non-equivalent stamps added: conflict', () => {
    expect(verdictOf(`ҚҰПИЯ\nАБДАН ЖАШЫРУУН\n${seed}`).status).toBe('conflict');
  });
  it('with "ДСП" added: still unmarked, with a note', () => {
    const v = verdictOf(`ДСП\n${seed}`);
    expect(v.status).toBe('unmarked');
    expect(v.notes[0]).toMatch(/not an Article 3 level/);
  });
  it('notes quote markings and positions, never the body text', () => {
    const v = verdictOf(`ҚҰПИЯ\nДСП\n${seed}`);
    const bodyWords = ['Республикасының', 'ынтымақтастық', 'ақпаратты'];
    for (const n of v.notes) for (const w of bodyWords) expect(n).not.toContain(w);
  });
});

describe('OCR that breaks a stamp into pieces', () => {
  it.each([
    ['АБ ДАН ЖАШ Ы РУУН', 'top-secret'],
    ['СЕК РЕТ НО', 'secret'],
    ['ӨТЕ ҚҰ ПИЯ', 'top-secret'],
  ])('"%s" is one marking', (text, level) => {
    const v = verdictOf(`${text}\n${BODY_RU}`);
    expect(v).toMatchObject({ status: 'marked', level });
    expect(v.stamps).toHaveLength(1);
  });
  it('short words of prose glued together make no marking', () => {
    expect(verdictOf(`и в на по с к у о\n${BODY_RU}`).status).toBe('unmarked');
  });
});
