/**
 * The act of destruction (Art. 6.4): its number and date, the originator's notice it was done
 * on, the members (at least two), each carrier destroyed with its incoming number, level, pages
 * and the receiver's copies destroyed with it, how they were destroyed, and the search that found
 * nothing of them left in grif's data directory (the SHA-256s sought, where, how many files).
 * In the receiving state's language, and in Russian on request. It quotes no content of the
 * carriers. The words are data here; the PDF is drawn by acts/pdf-document.ts.
 */
import { spelling, type Lang, type Level } from '../core/article3.js';
import { dotted } from '../stamp/stamp-content.js';
import type { DocumentPart } from './receipt-confirmation.js';

export interface DestroyedItem {
  readonly name: string;
  readonly incoming: string;
  /** YYYY-MM-DD. */
  readonly received: string;
  /** The level it was held at (the receiving side's marking); null: unmarked. */
  readonly level: Level | null;
  readonly pages: number | null;
  /** Every version grif held (as received, stamped, re-marked) and each copy, by SHA-256. */
  readonly versions: readonly { readonly sha256: string; readonly what: 'received' | 'stamped' | 'copy'; readonly copy?: number }[];
}

export interface DestructionAct {
  readonly number: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly notice: string;
  readonly members: readonly string[];
  /** How paper copies were destroyed, as the members write it (electronic ones: see `search`). */
  readonly how: string | null;
  readonly authority: string | null;
  readonly items: readonly DestroyedItem[];
  readonly search: { readonly root: string; readonly files: number; readonly found: number };
}

interface Words {
  readonly title: string;
  readonly number: (n: string, date: string) => string;
  readonly basis: (notice: string) => string;
  readonly members: (names: string) => string;
  readonly statement: string;
  readonly incoming: (n: string, date: string) => string;
  readonly level: (l: string) => string;
  readonly unmarked: string;
  readonly pages: (n: number) => string;
  readonly copies: (list: string) => string;
  readonly version: { readonly received: string; readonly stamped: string; readonly copy: (k: number) => string };
  readonly how: (h: string) => string;
  readonly electronic: string;
  readonly search: (root: string, files: number, sought: number, found: number) => string;
  readonly authority: (a: string) => string;
  readonly signature: string;
}

const WORDS: Readonly<Record<Lang, Words>> = {
  ru: {
    title: 'АКТ ОБ УНИЧТОЖЕНИИ',
    number: (n, d) => `№ ${n} от ${d}`,
    basis: (n) => `Основание: письменное уведомление источника ${n} (статья 6.4 Соглашения от 4 июля 2006 года).`,
    members: (m) => `Комиссия в составе: ${m}.`,
    statement: 'Комиссия уничтожила следующие носители секретной информации и все сделанные с них копии:',
    incoming: (n, d) => `вх. № ${n} от ${d}`,
    level: (l) => `гриф: ${l}`,
    unmarked: 'без грифа',
    pages: (n) => `${n} л.`,
    copies: (l) => `копии получателя: № ${l}`,
    version: { received: 'полученный', stamped: 'с грифом получателя', copy: (k) => `копия № ${k}` },
    how: (h) => `Способ уничтожения бумажных экземпляров: ${h}.`,
    electronic:
      'Электронные экземпляры (полученный файл, проставленные и переоформленные версии, копии, извлечённый текст, изображения страниц, файлы папок) перезаписаны случайными данными и удалены системой grif.',
    search: (root, files, sought, found) =>
      `Проверка: в каталоге данных ${root} прочитано файлов: ${files}; искомых SHA-256: ${sought}; найдено файлов с их содержимым: ${found}.`,
    authority: (a) => `Получатель: ${a}`,
    signature: 'Подпись',
  },
  kk: {
    title: 'ЖОЮ ТУРАЛЫ АКТ',
    number: (n, d) => `№ ${n}, ${d}`,
    basis: (n) => `Негіздеме: көздің ${n} жазбаша хабарламасы (2006 жылғы 4 шілдедегі Келісімнің 6.4-бабы).`,
    members: (m) => `Комиссия құрамы: ${m}.`,
    statement: 'Комиссия құпия ақпараттың төмендегі тасығыштарын және олардан жасалған барлық көшірмелерді жойды:',
    incoming: (n, d) => `кіріс № ${n}, ${d}`,
    level: (l) => `грифі: ${l}`,
    unmarked: 'грифсіз',
    pages: (n) => `${n} бет`,
    copies: (l) => `алушының көшірмелері: № ${l}`,
    version: { received: 'алынған', stamped: 'алушының грифімен', copy: (k) => `№ ${k} көшірме` },
    how: (h) => `Қағаз даналарын жою тәсілі: ${h}.`,
    electronic:
      'Электрондық даналар (алынған файл, гриф қойылған және қайта ресімделген нұсқалар, көшірмелер, алынған мәтін, бет суреттері, қалта файлдары) кездейсоқ деректермен қайта жазылып, grif жүйесімен жойылды.',
    search: (root, files, sought, found) =>
      `Тексеру: ${root} деректер каталогында оқылған файлдар: ${files}; ізделген SHA-256: ${sought}; мазмұны табылған файлдар: ${found}.`,
    authority: (a) => `Алушы: ${a}`,
    signature: 'Қолы',
  },
  ky: {
    title: 'ЖОК КЫЛУУ ЖӨНҮНДӨ АКТ',
    number: (n, d) => `№ ${n}, ${d}`,
    basis: (n) => `Негиз: булактын ${n} жазуу жүзүндөгү кабарламасы (2006-жылдын 4-июлундагы Макулдашуунун 6.4-беренеси).`,
    members: (m) => `Комиссиянын курамы: ${m}.`,
    statement: 'Комиссия жашыруун маалыматтын төмөнкү алып жүрүүчүлөрүн жана алардан жасалган бардык көчүрмөлөрдү жок кылды:',
    incoming: (n, d) => `кирүүчү № ${n}, ${d}`,
    level: (l) => `грифи: ${l}`,
    unmarked: 'грифсиз',
    pages: (n) => `${n} барак`,
    copies: (l) => `алуучунун көчүрмөлөрү: № ${l}`,
    version: { received: 'алынган', stamped: 'алуучунун грифи менен', copy: (k) => `№ ${k} көчүрмө` },
    how: (h) => `Кагаз нускаларын жок кылуу ыкмасы: ${h}.`,
    electronic:
      'Электрондук нускалар (алынган файл, гриф коюлган жана кайра таризделген версиялар, көчүрмөлөр, алынган текст, барактардын сүрөттөрү, папкалардын файлдары) кокус маалыматтар менен кайра жазылып, grif тутуму менен жок кылынды.',
    search: (root, files, sought, found) =>
      `Текшерүү: ${root} маалымат каталогунда окулган файлдар: ${files}; изделген SHA-256: ${sought}; мазмуну табылган файлдар: ${found}.`,
    authority: (a) => `Алуучу: ${a}`,
    signature: 'Колу',
  },
};

/** The act's text: the receiving state's language, then Russian when asked (once, when that is Russian). */
export function destructionActParts(a: DestructionAct, lang: Lang, russian: boolean): DocumentPart[] {
  const langs: Lang[] = russian && lang !== 'ru' ? [lang, 'ru'] : [lang];
  return langs.map((l) => {
    const w = WORDS[l];
    const lines: DocumentPart['lines'][number][] = [
      { text: w.number(a.number, dotted(a.date)), size: 'bold' },
      { text: w.basis(a.notice), size: 'normal' },
      { text: w.members(a.members.join(', ')), size: 'normal' },
      { text: '', size: 'normal' },
      { text: w.statement, size: 'normal' },
    ];
    a.items.forEach((x, i) => {
      const copies = x.versions.flatMap((v) => (v.what === 'copy' && v.copy !== undefined ? [v.copy] : []));
      const facts = [
        w.incoming(x.incoming, dotted(x.received)),
        x.level ? w.level(spelling(x.level, l)) : w.unmarked,
        ...(x.pages !== null ? [w.pages(x.pages)] : []),
        ...(copies.length ? [w.copies(copies.join(', '))] : []),
      ];
      lines.push({ text: `${i + 1}. ${x.name}`, size: 'normal' });
      lines.push({ text: facts.join('; '), size: 'normal', indent: true });
      for (const v of x.versions) {
        const what = v.what === 'copy' ? w.version.copy(v.copy ?? 0) : w.version[v.what];
        lines.push({ text: `SHA-256 (${what}): ${v.sha256}`, size: 'small', indent: true });
      }
    });
    const sought = a.items.reduce((n, x) => n + x.versions.length, 0);
    lines.push({ text: '', size: 'normal' });
    if (a.how) lines.push({ text: w.how(a.how), size: 'normal' });
    lines.push({ text: w.electronic, size: 'normal' });
    lines.push({ text: w.search(a.search.root, a.search.files, sought, a.search.found), size: 'normal' });
    lines.push({ text: '', size: 'normal' });
    if (a.authority) lines.push({ text: w.authority(a.authority), size: 'normal' });
    for (const m of a.members) lines.push({ text: `${w.signature} ____________  ${m}`, size: 'normal' });
    return { lang: l, title: w.title, lines };
  });
}
