/** Plain-text carriers: UTF-8, one carrier per file, form feeds between pages. */
import type { CarrierText } from '../core/index.js';
import { InputError } from '../errors.js';
import type { Extractor } from './extractor.js';

export function textToCarrier(text: string): CarrierText {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return {
    pages: body.split('\f').map((page) => ({ lines: page.split(/\r\n|\r|\n/).map((line) => ({ text: line })) })),
  };
}

export const textFileExtractor: Extractor = {
  kind: 'plain text',
  extensions: ['.txt', '.text'],
  // Any bytes may be text; the content check is the UTF-8 decoding below.
  sniff: () => false,
  async extract(file, bytes, ctx) {
    if (bytes.includes(0)) {
      throw new InputError(file, 'wrong-content', `${file}: this looks like a binary file, not UTF-8 text; check that the right file was given`);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new InputError(file, 'not-utf8', `${file}: not valid UTF-8 text; save it as UTF-8 and try again`, cause);
    }
    const carrier = textToCarrier(text);
    // The same page limit as PDFs and images (the byte limit is read-carrier's, for every kind).
    if (carrier.pages.length > ctx.limits.maxPages) {
      throw new InputError(file, 'too-many-pages', `${file}: ${carrier.pages.length} pages (form feeds) is over the limit of ${ctx.limits.maxPages} pages (--max-pages)`);
    }
    return carrier;
  },
};
