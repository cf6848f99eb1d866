/**
 * What a PDF would cost to read, checked before pdf.js decodes anything: a 2 MB file whose content
 * stream inflates to gigabytes, or an image declared 40000×40000, is refused in seconds, in bounded
 * memory, with a message a clerk can pass on, instead of taking the machine's memory first. The
 * file is parsed (pdf-lib, which decodes no stream but object streams) and every Flate stream is
 * inflated once through a counter that stops at the limit, keeping nothing; every image's declared
 * size is checked against the pixel limit.
 */
import { createInflate } from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { InputError } from '../../errors.js';

export interface PdfBounds {
  /** The most any one stream may inflate to. */
  readonly maxDecodedBytes: number;
  /** The most pixels any one image may have. */
  readonly maxPixels: number;
}

const mib = (n: number): string => `${Math.round(n / 2 ** 20)} MiB`;

/** How many bytes `data` inflates to, counting up to `limit` + 1 at most (then it stops); undefined when it does not inflate. */
function inflatedSize(data: Uint8Array, limit: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const inflater = createInflate({ chunkSize: 64 * 1024 });
    let total = 0;
    let done = false;
    const finish = (v: number | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
    };
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        finish(total);
        inflater.destroy();
      }
    });
    inflater.on('end', () => finish(total));
    // A damaged or encrypted stream: pdf.js says what is wrong with the file, not this check.
    inflater.on('error', () => finish(total > 0 ? total : undefined));
    inflater.end(data);
  });
}

function filtersOf(s: PDFRawStream): string[] {
  const f = s.dict.lookup(PDFName.of('Filter'));
  if (f instanceof PDFName) return [f.decodeText()];
  if (f instanceof PDFArray) return f.asArray().flatMap((x) => (x instanceof PDFName ? [x.decodeText()] : []));
  return [];
}

const numberOf = (s: PDFRawStream, key: string): number | undefined => {
  const v = s.dict.lookup(PDFName.of(key));
  return v instanceof PDFNumber ? v.asNumber() : undefined;
};

export async function checkPdfBounds(file: string, bytes: Uint8Array, bounds: PdfBounds): Promise<void> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return; // pdf.js reports a file it cannot parse, in its own words
  }
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream)) continue;
    if (obj.dict.lookup(PDFName.of('Subtype')) === PDFName.of('Image')) {
      const w = numberOf(obj, 'Width') ?? 0;
      const h = numberOf(obj, 'Height') ?? 0;
      if (w * h > bounds.maxPixels) {
        throw new InputError(
          file,
          'too-many-pixels',
          `${file}: an image in it (object ${ref.objectNumber}) is ${w}×${h} pixels, over the limit of ${Math.round(bounds.maxPixels / 1e6)} megapixels; refused before decoding it`,
        );
      }
    }
    if (filtersOf(obj)[0] !== 'FlateDecode') continue;
    const size = await inflatedSize(obj.contents, bounds.maxDecodedBytes);
    if (size !== undefined && size > bounds.maxDecodedBytes) {
      throw new InputError(
        file,
        'too-large',
        `${file}: a stream in it (object ${ref.objectNumber}, ${obj.contents.length} bytes) inflates to more than ${mib(bounds.maxDecodedBytes)}: refused as a decompression bomb before reading it`,
      );
    }
  }
}
