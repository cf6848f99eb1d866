/**
 * Test-only: a minimal PDF writer for one-image pages whose image dictionary is given as written
 * (any filter chain, colour space, bit depth, /Decode, /ImageMask), and the stream encoders PDF
 * defines that Node lacks (LZW, RunLength, ASCIIHex, ASCII85, PNG predictors, bit packing).
 * Deterministic: the same input gives the same bytes.
 */
import { deflateSync } from 'node:zlib';
import { BitWriter } from './bit-writer.js';

/** One indirect object: a dictionary (PDF source, `{N}` standing for a reference to object N) and maybe a stream. */
export interface PdfObject {
  readonly dict: string;
  readonly stream?: Uint8Array;
}

/**
 * A one-page PDF. Objects 1–4 are the catalog, page tree, page and its content; the caller's
 * objects follow from 5 (`{5}` is the first of them). The content stream is given as written.
 */
export function onePagePdf(widthPt: number, heightPt: number, resources: string, content: string, objects: readonly PdfObject[]): Buffer {
  const all: PdfObject[] = [
    { dict: '<< /Type /Catalog /Pages {2} >>' },
    { dict: '<< /Type /Pages /Kids [{3}] /Count 1 >>' },
    { dict: `<< /Type /Page /Parent {2} /MediaBox [0 0 ${num(widthPt)} ${num(heightPt)}] /Resources ${resources} /Contents {4} >>` },
    { dict: '<< >>', stream: Buffer.from(content, 'latin1') },
    ...objects,
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  all.forEach((o, i) => {
    offsets.push(offset);
    let dict = o.dict.replace(/\{(\d+)\}/g, '$1 0 R');
    if (o.stream) dict = dict.replace(/>>\s*$/, ` /Length ${o.stream.length} >>`);
    const chunk = o.stream
      ? Buffer.concat([Buffer.from(`${i + 1} 0 obj\n${dict}\nstream\n`, 'latin1'), Buffer.from(o.stream), Buffer.from('\nendstream\nendobj\n', 'latin1')])
      : Buffer.from(`${i + 1} 0 obj\n${dict}\nendobj\n`, 'latin1');
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [`xref\n0 ${all.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

export const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, ''));

/**
 * A page that is one image XObject (object 5, dictionary entries as written, no /Length) covering
 * the page at `dpi`, plus further objects from 6 on. `fill` is set before painting (for stencil masks).
 */
export function scanPdf(width: number, height: number, dpi: number, imageDict: string, data: Uint8Array, extra: readonly PdfObject[] = [], fill = ''): Buffer {
  const w = (width * 72) / dpi;
  const h = (height * 72) / dpi;
  const content = `q ${fill}${num(w)} 0 0 ${num(h)} 0 0 cm /Im0 Do Q\n`;
  const dict = `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} ${imageDict} >>`;
  return onePagePdf(w, h, '<< /XObject << /Im0 {5} >> >>', content, [{ dict, stream: data }, ...extra]);
}

// ---------------------------------------------------------------------------------------------
// Samples

/** Packs samples (one per array entry, 0..2^bits-1) MSB first, each row padded to a whole byte. */
export function packBits(samples: ArrayLike<number>, rowSamples: number, rows: number, bits: 1 | 2 | 4 | 8 | 16): Buffer {
  if (bits === 8) return Buffer.from(Uint8Array.from(samples as ArrayLike<number>));
  if (bits === 16) {
    const out = Buffer.alloc(samples.length * 2);
    for (let i = 0; i < samples.length; i++) out.writeUInt16BE(samples[i]!, i * 2);
    return out;
  }
  const rowBytes = Math.ceil((rowSamples * bits) / 8);
  const out = Buffer.alloc(rowBytes * rows);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < rowSamples; x++) {
      const bit = x * bits;
      out[y * rowBytes + (bit >> 3)]! |= samples[y * rowSamples + x]! << (8 - bits - (bit & 7));
    }
  }
  return out;
}

/** Flate with PNG "Up" prediction on every row (/Predictor 12), rows of `rowBytes`. */
export function flateWithPngPredictor(data: Uint8Array, rowBytes: number): Buffer {
  const rows = data.length / rowBytes;
  const out = Buffer.alloc(rows * (rowBytes + 1));
  for (let y = 0; y < rows; y++) {
    out[y * (rowBytes + 1)] = 2; // Up
    for (let x = 0; x < rowBytes; x++) {
      const above = y > 0 ? data[(y - 1) * rowBytes + x]! : 0;
      out[y * (rowBytes + 1) + 1 + x] = (data[y * rowBytes + x]! - above) & 0xff;
    }
  }
  return deflateSync(out, { level: 6 });
}

// ---------------------------------------------------------------------------------------------
// Filters Node lacks

/** LZWDecode's encoder with /EarlyChange 1 (the default): codes of 9 to 12 bits, a clear code when the table fills. */
export function lzw(data: Uint8Array): Buffer {
  const CLEAR = 256;
  const EOD = 257;
  const out = new BitWriter();
  // The reader widens its codes one entry before the writer would (it adds each entry a code later, and early).
  const width = (next: number): number => (next < 512 ? 9 : next < 1024 ? 10 : next < 2048 ? 11 : 12);
  let table = new Map<number, number>();
  let next = 258;
  out.bits(CLEAR, 9);
  if (data.length === 0) {
    out.bits(EOD, 9);
    return Buffer.from(out.done());
  }
  let prefix = data[0]!;
  for (let i = 1; i < data.length; i++) {
    const c = data[i]!;
    const key = prefix * 256 + c;
    const known = table.get(key);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    out.bits(prefix, width(next));
    table.set(key, next++);
    prefix = c;
    if (next >= 4093) {
      out.bits(CLEAR, width(next));
      table = new Map();
      next = 258;
    }
  }
  out.bits(prefix, width(next));
  next++;
  out.bits(EOD, width(next));
  return Buffer.from(out.done());
}

/** RunLengthDecode's encoder: runs of 2–128 equal bytes, literals of up to 128. */
export function runLength(data: Uint8Array): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    let run = 1;
    while (i + run < data.length && run < 128 && data[i + run] === data[i]) run++;
    if (run >= 2) {
      out.push(257 - run, data[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < data.length && i - start < 128 && !(i + 1 < data.length && data[i + 1] === data[i])) i++;
    if (i === start) i++;
    out.push(i - start - 1, ...data.subarray(start, i));
  }
  out.push(128);
  return Buffer.from(out);
}

export const asciiHex = (data: Uint8Array): Buffer => Buffer.from(Buffer.from(data).toString('hex').replace(/(.{64})/g, '$1\n') + '>', 'latin1');

export function ascii85(data: Uint8Array): Buffer {
  let s = '';
  for (let i = 0; i < data.length; i += 4) {
    const n = Math.min(4, data.length - i);
    let v = 0;
    for (let k = 0; k < 4; k++) v = v * 256 + (k < n ? data[i + k]! : 0);
    if (v === 0 && n === 4) {
      s += 'z';
      continue;
    }
    const c: string[] = [];
    for (let k = 0; k < 5; k++) {
      c.unshift(String.fromCharCode(33 + (v % 85)));
      v = Math.floor(v / 85);
    }
    s += c.slice(0, n + 1).join('');
  }
  return Buffer.from(s.replace(/(.{72})/g, '$1\n') + '~>', 'latin1');
}
