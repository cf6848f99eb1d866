/** Opening a PDF with pdf.js, its failures turned into errors a clerk can act on. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { InputError } from '../../errors.js';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

// pdf.js reads these from disk in Node, all shipped in its package: the standard 14 fonts, the
// CMaps, the JPEG 2000 and JBIG2 decoders (without them JPX does not decode at all and JBIG2
// falls back to a JavaScript decoder that lacks features scanners use), and the CMYK profile.
const STANDARD_FONTS = join(pdfjsRoot, 'standard_fonts') + '/';
const CMAPS = join(pdfjsRoot, 'cmaps') + '/';
export const PDFJS_WASM = join(pdfjsRoot, 'wasm') + '/';
const ICCS = join(pdfjsRoot, 'iccs') + '/';

/** The one message for an encrypted PDF, whichever command meets it. */
export function encryptedMessage(file: string): string {
  return `${file}: the PDF is encrypted (an owner password restricts it); grif neither reads nor changes encrypted PDFs; ask the sender for an unprotected copy`;
}

// The bytes each open document was made from, by the object its pages share (page.commonObjs):
// a page's images are looked up in them when pdf.js cannot decode one, or decodes one reduced.
const sources = new WeakMap<object, Uint8Array>();

/** The bytes of the PDF a page belongs to (for the page's raw image streams). */
export function sourceBytesOf(page: PDFPageProxy): Uint8Array | undefined {
  return sources.get(page.commonObjs);
}

function hasEof(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 2048))).toString('latin1');
  return tail.includes('%%EOF');
}

export async function openPdf(file: string, bytes: Uint8Array): Promise<PDFDocumentProxy> {
  if (bytes.length === 0) throw new InputError(file, 'wrong-content', `${file}: the file is empty (0 bytes)`);
  // pdf.js repairs a cut-off file silently, with pages (and stamps) missing: refuse it instead.
  if (!hasEof(bytes)) {
    throw new InputError(file, 'damaged', `${file}: the PDF is truncated or damaged (no end-of-file marker); ask for a complete copy`);
  }
  let pdf: PDFDocumentProxy;
  try {
    // pdf.js takes ownership of the buffer it is given: give it a copy, never the input.
    pdf = await getDocument({
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      standardFontDataUrl: STANDARD_FONTS,
      cMapUrl: CMAPS,
      cMapPacked: true,
      wasmUrl: PDFJS_WASM,
      iccUrl: ICCS,
      stopAtErrors: false,
    }).promise;
  } catch (err) {
    const name = (err as { name?: string }).name;
    const message = err instanceof Error ? err.message : String(err);
    if (name === 'PasswordException') {
      throw new InputError(file, 'encrypted', `${file}: the PDF is password-protected (encrypted); ask the sender for an unprotected copy`, err);
    }
    throw new InputError(file, 'damaged', `${file}: the PDF is damaged or invalid and cannot be read (${message})`, err);
  }
  try {
    // pdf.js opens a PDF whose only password is the owner's, but grif cannot stamp one (the added
    // objects would have to be encrypted too): detect and stamp both refuse it, in one place.
    const { info } = (await pdf.getMetadata()) as { info: { EncryptFilterName?: string | null } };
    if (info.EncryptFilterName) throw new InputError(file, 'encrypted', encryptedMessage(file));
    // A first page that does not load is reported when the page is read, not here.
    const first = pdf.numPages > 0 ? await pdf.getPage(1).catch(() => null) : null;
    if (first) sources.set(first.commonObjs, bytes);
    return pdf;
  } catch (err) {
    await pdf.destroy();
    if (err instanceof InputError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new InputError(file, 'damaged', `${file}: the PDF is damaged or invalid and cannot be read (${message})`, err);
  }
}
