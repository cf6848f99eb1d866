// A marking named in running text (a definition, a numbered paragraph) is a reference, not a
// stamp; markings in the columns of a running header are the carrier's marking, and
// non-equivalents there are a conflict. Text carriers here; born-digital PDFs made with the
// fixture builders below.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { examine } from '../../src/core/index.js';
import { createExtractSession } from '../../src/extract/context.js';
import { readCarrier } from '../../src/extract/read-carrier.js';
import { buildPdf, page, PAGE_W, type PageSpec } from '../../scripts/make-fixtures.js';
import { ROOT, verdictOf } from '../helpers/carriers.js';

const BODY = [
  'Министерство направляет сведения о ходе поставок оборудования',
  'по договору от 12 марта 2024 года и просит рассмотреть их.',
].join('\n');

describe('a marking named in running text is a reference, not a stamp', () => {
  it.each([
    ['a quoted Kazakh marking opening a definition', '"өте құпия" – олардың таралуы Қазақстан\nРеспубликасының қауіпсіздігіне залал келтіреді.'],
    ['the same with the definition on the next line', '"өте құпия" -\nолардың таралуы Қазақстан Республикасының ұлттық'],
    ['guillemets and an em dash, in capitals', '«СЕКРЕТНО» — гриф секретности, который\nпроставляется на документах'],
    ['a Kyrgyz definition with a plain hyphen', '"Абдан жашыруун" - маалыматтын таралышы\nулуттук коопсуздукка зыян келтирет'],
    ['a numbered paragraph naming a level', '3. «Совершенно секретно»\nприсваивается сведениям, распространение которых'],
    ['a sub-numbered paragraph', '4.2. Особой важности\nсведения, отнесенные к государственной тайне'],
    ['a lettered item', 'б) "Құпия" деген белгі\nқызметтік құпияға жатады'],
    ['a numbered list item in capitals', '1. СЕКРЕТНО\n2. ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ'],
  ])('%s', (_, text) => {
    const v = verdictOf(`${text}\n${BODY}`);
    expect(v.status, JSON.stringify(v.stamps)).toBe('unmarked');
  });

  it.each([
    ['a stamp in capitals', 'СЕКРЕТНО\nЭкз. № 2'],
    ['a stamp in quotes', '«СЕКРЕТНО»\nЭкз. № 2'],
    ['a quoted Kazakh stamp', '"ӨТЕ ҚҰПИЯ"'],
    ['a stamp with its copy number after it', 'СЕКРЕТНО  Экз. № 2'],
  ])('%s is still a stamp', (_, text) => {
    const v = verdictOf(`${text}\n\n${BODY}`);
    expect(v.status).toBe('marked');
  });
});

describe('running headers', () => {
  const header = (cells: string[]) => `${cells.join('                              ')}\n\n${BODY}`;
  it.each([
    [['СЕКРЕТНО', 'ҚҰПИЯ'], 'secret'],
    [['СЕКРЕТНО', 'ЖАШЫРУУН'], 'secret'],
    [['ӨТЕ ҚҰПИЯ', 'АБДАН ЖАШЫРУУН'], 'top-secret'],
    [['СОВЕРШЕННО СЕКРЕТНО', 'АБДАН ЖАШЫРУУН', 'ӨТЕ ҚҰПИЯ'], 'top-secret'],
    [['АСА МАҢЫЗДЫ', 'ОСОБОЙ ВАЖНОСТИ'], 'special-importance'],
  ] as const)('equivalents %j in the columns of the header line are the marking', (cells, level) => {
    const v = verdictOf(header([...cells]));
    expect({ status: v.status, level: v.level }).toEqual({ status: 'marked', level });
    expect(v.stamps).toHaveLength(cells.length);
    expect(v.stamps.every((s) => s.evidence === 'strong' && /running header/.test(s.why))).toBe(true);
  });

  it('in a running footer too', () => {
    const v = verdictOf(`${BODY}\n\nСЕКРЕТНО                              ЖАШЫРУУН`);
    expect({ status: v.status, level: v.level }).toEqual({ status: 'marked', level: 'secret' });
  });

  it.each([
    [['СЕКРЕТНО', 'ӨТЕ ҚҰПИЯ']],
    [['АБДАН ЖАШЫРУУН', 'СЕКРЕТНО']],
  ])('non-equivalents %j there are a conflict', (cells) => {
    const v = verdictOf(header([...cells]));
    expect(v.status).toBe('conflict');
  });

  it('something else on the header line: a person decides', () => {
    expect(verdictOf(header(['СЕКРЕТНО', 'ҚҰПИЯ', 'Стр. 3'])).status).toBe('review');
  });

  it('rows of a table of markings (quoted, title case, several rows) are never a header', () => {
    const table = ['"Аса маңызды"                    "Өзгөчө маанилүү"', '"Особой важности"                "Особой важности"', '"Өте құпия"                      "Абдан жашыруун"'];
    for (let i = 0; i < table.length; i++) {
      const v = verdictOf(`${table.slice(i).join('\n')}\n${BODY}`);
      expect(v.status, table[i]).not.toBe('marked');
    }
  });
});

describe('on born-digital PDFs', () => {
  const dir = join(ROOT, '.tmp', 'references');
  mkdirSync(dir, { recursive: true });
  const session = createExtractSession({ workers: 1 });
  afterAll(() => session.close());

  const pdf = async (name: string, spec: PageSpec): Promise<string> => {
    const path = join(dir, name);
    writeFileSync(path, await buildPdf(name, [{ text: spec }]));
    return path;
  };
  const item = (text: string, x: number, y: number, align: 'left' | 'right' = 'left', size = 12) => ({ text, x, y, size, bold: true, align });

  it('a header line with "СЕКРЕТНО" at the left and "ЖАШЫРУУН" at the right reads as the marking', async () => {
    const path = await pdf('header-ru-ky.pdf', [item('СЕКРЕТНО', 70, 40), item('ЖАШЫРУУН', PAGE_W - 48, 40, 'right'), ...page('ru', 0, [], null)]);
    const v = examine(await readCarrier(path, session));
    expect({ status: v.status, level: v.level }).toEqual({ status: 'marked', level: 'secret' });
  });

  it('a header line with non-equivalents is a conflict', async () => {
    const path = await pdf('header-conflict.pdf', [item('СЕКРЕТНО', 70, 40), item('ӨТЕ ҚҰПИЯ', PAGE_W - 48, 40, 'right'), ...page('kk', 0, [], null)]);
    expect(examine(await readCarrier(path, session)).status).toBe('conflict');
  });

  it('a definition opening the page is not a stamp', async () => {
    const path = await pdf('definition-kk.pdf', [item('"өте құпия" – олардың таралуы қауіпсіздікке', 70, 60, 'left', 11), ...page('kk', 0, [], null)]);
    expect(examine(await readCarrier(path, session)).status).toBe('unmarked');
  });
});
