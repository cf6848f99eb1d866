/**
 * A page's image XObject as it is stored in the PDF (its filters, colour space and raw bytes),
 * read with pdf-lib. pdf.js decodes images but does not tell how they were encoded; this is
 * used only where its decoding falls short: an image it could not decode (to name the encoding
 * in the error) and a JPEG 2000 image it decoded at reduced resolution.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, decodePDFRawStream } from '@cantoo/pdf-lib';

export interface ImageStream {
  /** The filters in the order they are undone, as named in the PDF (`FlateDecode`, `JPXDecode`…). */
  readonly filters: readonly string[];
  /** The colour space's family (`DeviceGray`, `ICCBased`, `Indexed`…), when the dictionary gives one. */
  readonly colorSpace?: string;
  /** Components of the colour space, when known (ICCBased /N, or the device spaces). */
  readonly components?: number;
  readonly smaskInData: boolean;
  /** The stream with every filter but the last undone (the image codec's own data); null when that is not possible. */
  codecData(): Uint8Array | null;
}

// One parse per PDF, however many of its pages need it.
const parsed = new WeakMap<Uint8Array, Promise<PDFDocument | null>>();

function load(bytes: Uint8Array): Promise<PDFDocument | null> {
  let doc = parsed.get(bytes);
  if (!doc) {
    doc = PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false }).catch(() => null);
    parsed.set(bytes, doc);
  }
  return doc;
}

const DEVICE_COMPONENTS: Record<string, number> = { DeviceGray: 1, G: 1, CalGray: 1, DeviceRGB: 3, RGB: 3, CalRGB: 3, DeviceCMYK: 4, CMYK: 4, Lab: 3 };

function names(obj: unknown, doc: PDFDocument): string[] {
  const v = obj instanceof PDFArray ? obj.asArray().map((o) => doc.context.lookup(o)) : obj ? [obj] : [];
  return v.flatMap((o) => (o instanceof PDFName ? [o.decodeText()] : []));
}

function colourSpaceOf(dict: PDFDict, doc: PDFDocument): { colorSpace?: string; components?: number } {
  const cs = dict.lookup(PDFName.of('ColorSpace')) ?? dict.lookup(PDFName.of('CS'));
  if (cs instanceof PDFName) {
    const name = cs.decodeText();
    return { colorSpace: name, components: DEVICE_COMPONENTS[name] };
  }
  if (cs instanceof PDFArray && cs.size() > 0) {
    const family = doc.context.lookup(cs.get(0));
    const name = family instanceof PDFName ? family.decodeText() : undefined;
    if (name === 'ICCBased') {
      const profile = doc.context.lookup(cs.get(1));
      const n = profile instanceof PDFRawStream ? profile.dict.lookup(PDFName.of('N')) : undefined;
      return { colorSpace: name, components: n instanceof PDFNumber ? n.asNumber() : undefined };
    }
    return { colorSpace: name, components: name ? DEVICE_COMPONENTS[name] : undefined };
  }
  return {};
}

/**
 * The image XObject of a page (1-based) with the given size, from the PDF's bytes; null when
 * the PDF cannot be parsed or the page has no such image among its resources.
 */
export async function imageStreamOf(bytes: Uint8Array, pageNumber: number, width: number, height: number): Promise<ImageStream | null> {
  const doc = await load(bytes);
  if (!doc || pageNumber < 1 || pageNumber > doc.getPageCount()) return null;
  const xobjects = doc.getPage(pageNumber - 1).node.Resources()?.lookup(PDFName.of('XObject'));
  if (!(xobjects instanceof PDFDict)) return null;
  for (const [, ref] of xobjects.entries()) {
    const stream = doc.context.lookup(ref);
    if (!(stream instanceof PDFRawStream)) continue;
    const dict = stream.dict;
    const num = (key: string) => (dict.lookup(PDFName.of(key)) as PDFNumber | undefined)?.asNumber?.();
    if (dict.lookup(PDFName.of('Subtype')) !== PDFName.of('Image') || num('Width') !== width || num('Height') !== height) continue;
    const filters = names(dict.lookup(PDFName.of('Filter')), doc);
    return {
      filters,
      ...colourSpaceOf(dict, doc),
      smaskInData: (num('SMaskInData') ?? 0) !== 0,
      codecData() {
        try {
          if (filters.length <= 1) return stream.contents;
          // Undo the filters before the codec (ASCII85 or Flate wrapped around a JPEG 2000, say).
          const outer = dict.clone(doc.context);
          const parms = dict.lookup(PDFName.of('DecodeParms'));
          outer.set(PDFName.of('Filter'), doc.context.obj(filters.slice(0, -1)));
          if (parms instanceof PDFArray) outer.set(PDFName.of('DecodeParms'), doc.context.obj(parms.asArray().slice(0, -1)));
          else outer.delete(PDFName.of('DecodeParms'));
          return decodePDFRawStream(PDFRawStream.of(outer, stream.contents)).decode();
        } catch {
          return null;
        }
      },
    };
  }
  return null;
}

/** What a clerk calls an image's encoding, from its PDF filters (the codec is the last one). */
export function encodingName(filters: readonly string[]): string {
  const codec = filters[filters.length - 1];
  switch (codec) {
    case undefined:
      return 'uncompressed';
    case 'DCTDecode':
    case 'DCT':
      return 'JPEG';
    case 'JPXDecode':
      return 'JPEG 2000';
    case 'JBIG2Decode':
      return 'JBIG2';
    case 'CCITTFaxDecode':
    case 'CCF':
      return 'CCITT fax';
    case 'FlateDecode':
    case 'Fl':
      return 'Flate';
    case 'LZWDecode':
    case 'LZW':
      return 'LZW';
    case 'RunLengthDecode':
    case 'RL':
      return 'RunLength';
    case 'ASCIIHexDecode':
    case 'AHx':
    case 'ASCII85Decode':
    case 'A85':
      return 'ASCII-encoded';
    default:
      return codec.replace(/Decode$/, '');
  }
}
