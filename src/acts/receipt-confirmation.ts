/**
 * The confirmation of receipt (Art. 5.3): what the receiving authority sends back for a transfer,
 * listing each carrier received (the sender's reference where known, its name, pages, the level as
 * the sender marked it, the incoming number, the date received, its SHA-256), in the sending
 * state's language and in Russian. It quotes no classified content and says so: it carries no
 * marking. The words are data here; the PDF is drawn by acts/pdf-document.ts.
 */
import { party, spelling, type Lang, type Level, type PartyId } from '../core/article3.js';
import { dotted } from '../stamp/stamp-content.js';

export interface ConfirmedCarrier {
  readonly senderReference: string | null;
  readonly name: string;
  readonly pages: number | null;
  /** The levels the sender's markings name (two for conflicting markings); none: it bore none; 'unread': it could not be read (rejected). */
  readonly senderLevels: readonly Level[] | 'unread';
  readonly incoming: string;
  /** YYYY-MM-DD. */
  readonly received: string;
  readonly sha256: string;
}

export interface ReceiptConfirmation {
  readonly transfer: string;
  /** The outgoing number, as the registry writes it. */
  readonly number: string;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly from: PartyId;
  readonly to: PartyId;
  /** The receiving authority, as it signs. */
  readonly authority: string;
  readonly signedBy: string;
  readonly carriers: readonly ConfirmedCarrier[];
}

interface Words {
  readonly title: string;
  readonly number: (n: string, date: string) => string;
  readonly transfer: (t: string) => string;
  readonly statement: string;
  readonly pages: (n: number) => string;
  readonly marked: (level: string) => string;
  readonly unmarked: string;
  readonly unread: string;
  readonly incoming: (n: string, date: string) => string;
  readonly senderRef: (r: string) => string;
  readonly unclassified: string;
  readonly authority: (a: string) => string;
  readonly signature: string;
}

const WORDS: Readonly<Record<Lang, Words>> = {
  kk: {
    title: 'АЛЫНҒАНЫ ТУРАЛЫ РАСТАУ',
    number: (n, d) => `Шығыс № ${n}, ${d}`,
    transfer: (t) => `${t} бойынша жіберілген`,
    statement: 'Осы хатпен төмендегі тасығыштардың алынғаны расталады (2006 жылғы 4 шілдедегі Келісімнің 5.3-бабы):',
    pages: (n) => `${n} бет`,
    marked: (l) => `жіберушінің грифі: ${l}`,
    unmarked: 'жіберушінің грифі жоқ',
    unread: 'грифі оқылмады',
    incoming: (n, d) => `кіріс № ${n}, алынған күні ${d}`,
    senderRef: (r) => `жіберушінің № ${r}`,
    unclassified: 'Бұл растауда құпия мәліметтер келтірілмеген; оған гриф қойылмайды.',
    authority: (a) => `Алушы: ${a}`,
    signature: 'Қолы',
  },
  ky: {
    title: 'АЛЫНГАНДЫГЫ ЖӨНҮНДӨ ТАСТЫКТОО',
    number: (n, d) => `Чыгуучу № ${n}, ${d}`,
    transfer: (t) => `${t} боюнча жиберилген`,
    statement: 'Ушул кат менен төмөнкү алып жүрүүчүлөрдүн алынганы тастыкталат (2006-жылдын 4-июлундагы Макулдашуунун 5.3-беренеси):',
    pages: (n) => `${n} барак`,
    marked: (l) => `жөнөтүүчүнүн грифи: ${l}`,
    unmarked: 'жөнөтүүчүнүн грифи жок',
    unread: 'грифи окулган жок',
    incoming: (n, d) => `кирүүчү № ${n}, алынган күнү ${d}`,
    senderRef: (r) => `жөнөтүүчүнүн № ${r}`,
    unclassified: 'Бул тастыктоодо жашыруун маалыматтар келтирилген эмес; ага гриф коюлбайт.',
    authority: (a) => `Алуучу: ${a}`,
    signature: 'Колу',
  },
  ru: {
    title: 'ПОДТВЕРЖДЕНИЕ О ПОЛУЧЕНИИ',
    number: (n, d) => `Исх. № ${n} от ${d}`,
    transfer: (t) => `Направленные по ${t}`,
    statement: 'Настоящим подтверждается получение следующих носителей (статья 5.3 Соглашения от 4 июля 2006 года):',
    pages: (n) => `${n} л.`,
    marked: (l) => `гриф отправителя: ${l}`,
    unmarked: 'без грифа отправителя',
    unread: 'гриф не прочитан',
    incoming: (n, d) => `вх. № ${n} от ${d}`,
    senderRef: (r) => `№ отправителя ${r}`,
    unclassified: 'Настоящее подтверждение не содержит секретных сведений и грифа не имеет.',
    authority: (a) => `Получатель: ${a}`,
    signature: 'Подпись',
  },
};


/** One block of text: a heading, paragraphs, and a numbered list whose items may have a second, smaller line. */
export interface DocumentPart {
  readonly lang: Lang;
  readonly title: string;
  readonly lines: readonly { readonly text: string; readonly size: 'normal' | 'small' | 'bold'; readonly indent?: boolean }[];
}

/** The confirmation's text: the sending state's language first, then Russian (once, when the sender writes Russian). */
export function confirmationParts(c: ReceiptConfirmation): DocumentPart[] {
  const langs: Lang[] = [party(c.from).lang, 'ru'].filter((l, i, a) => a.indexOf(l) === i) as Lang[];
  return langs.map((lang) => {
    const w = WORDS[lang];
    const lines: DocumentPart['lines'][number][] = [
      { text: w.number(c.number, dotted(c.date)), size: 'bold' },
      { text: w.transfer(c.transfer), size: 'normal' },
      { text: '', size: 'normal' },
      { text: w.statement, size: 'normal' },
    ];
    c.carriers.forEach((x, i) => {
      const levels = x.senderLevels;
      const facts = [
        // The incoming number first: a line is never broken inside it.
        w.incoming(x.incoming, dotted(x.received)),
        ...(x.senderReference ? [w.senderRef(x.senderReference)] : []),
        ...(x.pages !== null ? [w.pages(x.pages)] : []),
        levels === 'unread' ? w.unread : levels.length ? w.marked(levels.map((l) => spelling(l, party(c.from).lang)).join(' / ')) : w.unmarked,
      ];
      lines.push({ text: `${i + 1}. ${x.name}`, size: 'normal' });
      lines.push({ text: facts.join('; '), size: 'normal', indent: true });
      lines.push({ text: `SHA-256: ${x.sha256}`, size: 'small', indent: true });
    });
    lines.push({ text: '', size: 'normal' }, { text: w.unclassified, size: 'normal' }, { text: '', size: 'normal' });
    lines.push({ text: w.authority(c.authority), size: 'normal' }, { text: `${w.signature} ____________  ${c.signedBy}`, size: 'normal' });
    return { lang, title: w.title, lines };
  });
}
