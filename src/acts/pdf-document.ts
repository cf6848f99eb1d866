/**
 * A document grif writes itself (a confirmation of receipt, an act), drawn as a plain A4 PDF: each
 * part (one per language) from a new page, its title centred, its lines wrapped at word breaks and
 * carried over to further pages. Noto Sans covers every Kazakh and Kyrgyz letter.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { stampFontkit } from '../stamp/pdf-stamper.js';
import type { DocumentPart } from './receipt-confirmation.js';

const require = createRequire(import.meta.url);
const FONTS = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
} as const;
const fontBytes = new Map<string, Uint8Array>();
const fontFile = (path: string): Uint8Array => {
  let b = fontBytes.get(path);
  if (!b) fontBytes.set(path, (b = readFileSync(require.resolve(path))));
  return b;
};

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const SIZES = { normal: 10.5, small: 7.5, bold: 11, title: 14 } as const;
const LEADING = 1.4;

/** Splits a line into pieces no wider than `width`, at spaces (a word longer than the line is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  if (!text) return [''];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      line = next;
      continue;
    }
    if (line) out.push(line);
    line = word;
    while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) out.push(line);
  return out;
}

export interface DocumentMeta {
  readonly title: string;
  readonly subject: string;
  /** The document's date, also its creation date (the same document twice is the same bytes). */
  readonly date: Date;
}

export async function drawDocument(parts: readonly DocumentPart[], meta: DocumentMeta): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(stampFontkit);
  const regular = await doc.embedFont(fontFile(FONTS.regular), { subset: true });
  const bold = await doc.embedFont(fontFile(FONTS.bold), { subset: true });
  const width = A4[0] - 2 * MARGIN;
  for (const part of parts) {
    let page: PDFPage = doc.addPage(A4);
    let y = A4[1] - MARGIN;
    const line = (text: string, font: PDFFont, size: number, x: number): void => {
      if (y - size * LEADING < MARGIN) {
        page = doc.addPage(A4);
        y = A4[1] - MARGIN;
      }
      y -= size * LEADING;
      page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
    };
    const titleWidth = bold.widthOfTextAtSize(part.title, SIZES.title);
    line(part.title, bold, SIZES.title, MARGIN + Math.max(0, (width - titleWidth) / 2));
    y -= SIZES.normal;
    for (const l of part.lines) {
      const font = l.size === 'bold' ? bold : regular;
      const size = SIZES[l.size];
      const indent = l.indent ? 14 : 0;
      for (const piece of wrap(l.text, font, size, width - indent)) line(piece, font, size, MARGIN + indent);
    }
  }
  doc.setTitle(meta.title);
  doc.setSubject(meta.subject);
  doc.setProducer('grif');
  doc.setCreator('grif');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  return doc.save({ useObjectStreams: false });
}
