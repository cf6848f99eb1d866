/**
 * Writes the example carriers under samples/carriers/ and what grif must say of each
 * (samples/expected.json). Run: npm run samples. The bodies are invented office prose; the
 * agreement text comes from samples/seeds/ (a copy of the agreement's Kazakh text, kept in the
 * repository so that nothing outside it is read).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFixtures } from './make-fixtures.js';
import { makeStamps } from './make-stamps.js';
import { repoRoot } from './dev-support.js';


const ROOT = repoRoot();
const SEED = join(ROOT, 'samples', 'seeds', 'agreement-kz-kg-2006.kk.txt');
const OUT = join(ROOT, 'samples', 'carriers');

const right = (s: string, col = 56): string => ' '.repeat(Math.max(0, col - [...s].length)) + s;

const MEMO_RU = `Министерство обороны Республики Казахстан

Командиру войсковой части 12345

О поставке запасных частей

Во исполнение плана совместных мероприятий на 2024 год направляем
перечень запасных частей, подлежащих поставке во втором квартале.
Поставка осуществляется в порядке, согласованном уполномоченными
органами Сторон, с оформлением актов приема-передачи.

Просим подтвердить получение настоящего письма в течение пяти
рабочих дней.

Приложение: перечень на 2 листах.

Заместитель министра                                    Б. Сейтов`;

const MEMO_RU_PAGE2 = `Перечень запасных частей

1. Фильтр топливный - 40 шт.
2. Ремкомплект насоса - 12 шт.
3. Аккумуляторная батарея - 8 шт.

Исполнитель: Н. Ахметова, тел. 55-12-40`;

const REPORT_KY = `Кыргыз Республикасынын Улуттук коопсуздук мамлекеттик комитети

Маалымкат

2024-жылдын биринчи жарым жылдыгында тараптардын ыйгарым укуктуу
органдарынын ортосундагы кызматташтыктын жыйынтыктары боюнча
маалымат берилет. Жолугушуулар белгиленген тартипте өткөрүлдү,
макулдашылган иш-чаралардын планы толугу менен аткарылды.

Төрага                                                   К. Асанов`;

const LETTER_KK = `Қазақстан Республикасы Премьер-Министрінің Кеңсесі

Қырғыз Республикасының Ұлттық қауіпсіздік комитетіне

Тараптардың уәкілетті органдары арасындағы кездесу
қорытындылары бойынша хаттаманың көшірмесін жібереміз.
Келесі кездесу 2024 жылғы қазан айында өткізіледі.

Басшы                                                  Д. Нұрланов`;

const TRANSLATION_RU = `Перевод с казахского языка

Соглашение между Правительством Республики Казахстан и Правительством
Кыргызской Республики о взаимной защите информации.
Стороны обязуются обеспечивать защиту переданной информации в
соответствии с национальным законодательством своих государств.

Перевод выполнил: переводчик отдела документационного обеспечения`;

interface Sample {
  readonly file: string;
  readonly text: string;
  readonly status: 'marked' | 'unmarked' | 'conflict' | 'review';
  readonly level: string | null;
  readonly about: string;
}

function samples(seed: string): Sample[] {
  return [
    { file: 'agreement-kk.txt', text: seed, status: 'unmarked', level: null, about: 'the agreement itself: marking words everywhere, no stamp' },
    {
      file: 'agreement-kk-stamped-secret.txt',
      text: `${right('ҚҰПИЯ')}\n${right('Дана № 1')}\n${seed}`,
      status: 'marked',
      level: 'secret',
      about: 'the agreement with a Kazakh stamp and copy line added at the top right',
    },
    {
      file: 'memo-ru-top-secret.txt',
      text: `${right('СОВЕРШЕННО СЕКРЕТНО')}\n${right('Экз. № 2')}\n\n${MEMO_RU}\f${right('СОВЕРШЕННО СЕКРЕТНО')}\n${right('Экз. № 2')}\n\n${MEMO_RU_PAGE2}\n`,
      status: 'marked',
      level: 'top-secret',
      about: 'a two-page Russian letter stamped on every page',
    },
    {
      file: 'report-ky-special-importance.txt',
      text: `${right('ӨЗГӨЧӨ')}\n${right('МААНИЛҮҮ')}\n${right('Нуска № 1')}\n\n${REPORT_KY}\n`,
      status: 'marked',
      level: 'special-importance',
      about: 'a Kyrgyz report whose stamp is split over two lines',
    },
    {
      file: 'letter-kk-bilingual-top-secret.txt',
      text: `${right('ӨТЕ ҚҰПИЯ')}\n${right('СОВЕРШЕННО СЕКРЕТНО')}\n${right('Дана № 3')}\n\n${LETTER_KK}\n`,
      status: 'marked',
      level: 'top-secret',
      about: 'a Kazakh letter with Kazakh and Russian stamps: Article 3 equivalents',
    },
    {
      file: 'scan-ocr-ru-secret.txt',
      text: `${right('C E K P E T H 0')}\n${right('Экз. № 3')}\n\n${MEMO_RU.replace(/о/g, 'o').replace(/е/g, 'e')}\n`,
      status: 'marked',
      level: 'secret',
      about: 'OCR output: letter-spaced stamp in Latin look-alikes, body full of homoglyphs',
    },
    {
      file: 'conflict-kk-ru.txt',
      text: `${right('ҚҰПИЯ')}\n${right('СОВЕРШЕННО СЕКРЕТНО')}\n\n${LETTER_KK}\n`,
      status: 'conflict',
      level: null,
      about: 'two stamps that are not Article 3 equivalents',
    },
    {
      file: 'dsp-ru.txt',
      text: `${right('ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ')}\n${right('Экз. № 1')}\n\n${MEMO_RU}\n`,
      status: 'unmarked',
      level: null,
      about: '"ДСП" is a national label outside the agreement: a note, never a level',
    },
    {
      file: 'garbled-ru-review.txt',
      text: `${right('CEKPФTHQ')}\n\n${MEMO_RU}\n`,
      status: 'review',
      level: null,
      about: 'a stamp OCR garbled beyond look-alikes: a person decides',
    },
    {
      file: 'translation-ru-secret.txt',
      text: `${right('СЕКРЕТНО')}\n${right('Экз. № 1')}\n\n${TRANSLATION_RU}\n`,
      status: 'marked',
      level: 'secret',
      about: 'a Russian translation of agreement-kk-stamped-secret.txt, marked as its source',
    },
    {
      file: 'translation-ru-unmarked.txt',
      text: `${TRANSLATION_RU}\n`,
      status: 'unmarked',
      level: null,
      about: 'the same translation without a marking: a violation of Art. 6.1 against its source',
    },
  ];
}

/** Carriers drawn by the fixture generator: a scan, a born-digital PDF, a photo-like image. */
const DRAWN: ReadonlyArray<{ fixture: string; file: string; about: string }> = [
  { fixture: 'scan-ky-top-secret-300.pdf', file: 'scan-ky-top-secret.pdf', about: 'a scanned Kyrgyz letter (300 dpi, no text layer): read by OCR' },
  { fixture: 'digital-kk-top-secret.pdf', file: 'digital-kk-top-secret.pdf', about: 'a born-digital Kazakh PDF: read from its text layer' },
  { fixture: 'rotated-180-ru-secret.png', file: 'photo-ru-secret-upside-down.png', about: 'a Russian page scanned upside down' },
  { fixture: 'conflict-kk-ru.pdf', file: 'scan-conflict-kk-ru.pdf', about: 'a scan with two stamps that are not Article 3 equivalents' },
];

/** Rubber stamps as offices put them on (scripts/make-stamps.ts). */
const STAMPED: ReadonlyArray<{ fixture: string; file: string; about: string }> = [
  { fixture: 'tilted-ky-secret-blue-p20-200.pdf', file: 'rubber-stamp-ky-secret-turned.pdf', about: 'a colour scan with a blue framed rubber stamp turned 20°: found, turned upright and read' },
];

const VERIFY = [
  { source: 'agreement-kk-stamped-secret.txt', derived: 'translation-ru-secret.txt', status: 'ok' },
  { source: 'agreement-kk-stamped-secret.txt', derived: 'translation-ru-unmarked.txt', status: 'violation' },
  { source: 'memo-ru-top-secret.txt', derived: 'translation-ru-secret.txt', status: 'violation' },
];

async function main(): Promise<void> {
  let seed: string;
  try {
    seed = readFileSync(SEED, 'utf8');
  } catch {
    process.stderr.write(`make-samples: the agreement text is missing at ${SEED}\n`);
    process.exit(1);
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const list = samples(seed);
  for (const s of list) writeFileSync(join(OUT, s.file), s.text);
  const fixtures = await makeFixtures(join(tmpdir(), 'grif-sample-fixtures'));
  const drawn = DRAWN.map((d) => {
    const f = fixtures.fixtures.find((x) => x.file === d.fixture);
    if (!f) throw new Error(`the fixture generator made no ${d.fixture}`);
    copyFileSync(join(tmpdir(), 'grif-sample-fixtures', d.fixture), join(OUT, d.file));
    return { file: d.file, status: f.expect.status, level: f.expect.level, about: d.about };
  });
  const stampsDir = join(tmpdir(), 'grif-sample-stamps');
  const stamps = await makeStamps(stampsDir);
  const stamped = STAMPED.map((d) => {
    const f = stamps.fixtures.find((x) => x.file === d.fixture);
    if (!f) throw new Error(`the stamp generator made no ${d.fixture}`);
    copyFileSync(join(stampsDir, d.fixture), join(OUT, d.file));
    return { file: d.file, status: f.expect.status, level: f.expect.level, about: d.about };
  });
  const expected = {
    detect: [...list, ...drawn, ...stamped].map(({ file, status, level, about }) => ({ file: `carriers/${file}`, status, level, about })),
    verify: VERIFY.map((v) => ({ ...v, source: `carriers/${v.source}`, derived: `carriers/${v.derived}` })),
  };
  writeFileSync(join(ROOT, 'samples', 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
  process.stdout.write(`wrote ${list.length + drawn.length + stamped.length} carriers to ${OUT} and samples/expected.json\n`);
}

await main();
