/**
 * Hostile PDFs for the tests and the bench, made on demand (never committed): a decompression bomb
 * (a small page whose content stream inflates to `decodedBytes` of white space) and an image bomb
 * (a page showing one image declared `width`×`height`, its samples really there, compressed).
 * Both are valid PDFs that a reader without limits tries to decode whole. Also a page of tiling
 * patterns, and a page of millions of drawing operators (past every check made before decoding:
 * stopped by the extraction thread's heap cap).
 */
import { createDeflate, deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream, pushGraphicsState, popGraphicsState, concatTransformationMatrix, drawObject } from 'pdf-lib';

/** `size` bytes of `byte`, deflated as a stream (in bounded memory), then gathered. */
async function deflatedFill(size: number, byte: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((r, j) => {
    deflate.on('end', () => r());
    deflate.on('error', j);
  });
  const chunk = Buffer.alloc(1 << 20, byte);
  for (let left = size; left > 0; left -= chunk.length) {
    const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
    if (!deflate.write(part)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  return Buffer.concat(out);
}

/** One A4 page whose content stream inflates to `decodedBytes` bytes of spaces. */
export async function flateBombPdf(decodedBytes: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const contents = await deflatedFill(decodedBytes, 0x20);
  const stream = PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode', Length: contents.length }), contents);
  page.node.set(PDFName.of('Contents'), doc.context.register(stream));
  return doc.save({ useObjectStreams: false });
}

/** One A4 page drawing one grey image of `width`×`height` pixels (all white, compressed). */
export async function imageBombPdf(width: number, height: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const samples = await deflatedFill(width * height, 0xff);
  const image = PDFRawStream.of(
    doc.context.obj({ Type: 'XObject', Subtype: 'Image', Width: width, Height: height, ColorSpace: 'DeviceGray', BitsPerComponent: 8, Filter: 'FlateDecode', Length: samples.length }),
    samples,
  );
  const name = page.node.newXObject('Bomb', doc.context.register(image));
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(595.28, 0, 0, 841.89, 0, 0), drawObject(name), popGraphicsState());
  return doc.save({ useObjectStreams: false });
}

/**
 * One A4 page drawing `count` short lines, each stroked on its own (`0 0 m 1 1 l S`): a small file
 * (2 million lines: 27 MiB inflated, 53 KB deflated), under the decoded-bytes limit, whose operator
 * list alone takes pdf.js gigabytes of heap.
 */
export async function operatorBombPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const contents = deflateSync(Buffer.from('0 0 m 1 1 l S\n'.repeat(count)), { level: 9 });
  const stream = PDFRawStream.of(doc.context.obj({ Filter: 'FlateDecode', Length: contents.length }), contents);
  page.node.set(PDFName.of('Contents'), doc.context.register(stream));
  return doc.save({ useObjectStreams: false });
}

/**
 * One A4 page filled `count` times over, each time with a tiling pattern of its own whose cell is
 * the whole page (as cairo writes a page of translucent boxes): a reader paints every cell into a
 * page-sized canvas of its own, about 35 MB each at 300 dpi.
 */
export async function patternBombPdf(count: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const patterns: Record<string, unknown> = {};
  const ops: string[] = [];
  for (let i = 0; i < count; i++) {
    const cell = `${(i % 10) / 10} ${((i * 3) % 10) / 10} 0.5 rg 10 10 575 820 re f`;
    const pattern = PDFRawStream.of(
      doc.context.obj({ Type: 'Pattern', PatternType: 1, PaintType: 1, TilingType: 1, BBox: [0, 0, 596, 842], XStep: 2876, YStep: 2876, Resources: {}, Length: cell.length }),
      new TextEncoder().encode(cell),
    );
    patterns[`P${i}`] = doc.context.register(pattern);
    ops.push(`/Pattern cs /P${i} scn 0 0 595 842 re f`);
  }
  const resources = doc.context.obj({ Pattern: patterns as never });
  page.node.set(PDFName.of('Resources'), resources);
  const content = new TextEncoder().encode(ops.join('\n'));
  page.node.set(PDFName.of('Contents'), doc.context.register(PDFRawStream.of(doc.context.obj({ Length: content.length }), content)));
  return doc.save({ useObjectStreams: false });
}
