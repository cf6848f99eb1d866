/** Opening a PDF with pdf.js, its failures turned into errors a clerk can act on. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { InputError } from '../../errors.js';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

// pdf.js reads these from disk in Node: the standard 14 fonts and the CMaps, shipped in its package.
const STANDARD_FONTS = join(pdfjsRoot, 'standard_fonts') + '/';
const CMAPS = join(pdfjsRoot, 'cmaps') + '/';

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
  try {
    // pdf.js takes ownership of the buffer it is given: give it a copy, never the input.
    return await getDocument({
      data: new Uint8Array(bytes),
      verbosity: 0,
      isEvalSupported: false,
      standardFontDataUrl: STANDARD_FONTS,
      cMapUrl: CMAPS,
      cMapPacked: true,
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
}
