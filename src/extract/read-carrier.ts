/**
 * Reading a carrier from disk: picks the extractor for the file, checks that the content is what
 * the name says, enforces limits, and turns every file-system problem into an InputError that
 * names the file and what to do. The input is opened read-only and never written.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { CarrierText } from '../core/index.js';
import { InputError } from '../errors.js';
import type { ExtractContext, Extractor } from './extractor.js';
import { imageExtractor } from './image/image-extractor.js';
import { pdfExtractor } from './pdf/pdf-extractor.js';
import { textFileExtractor } from './text-file.js';

/** The extractors grif has. New carrier kinds register here. */
export const EXTRACTORS: readonly Extractor[] = [pdfExtractor, imageExtractor, textFileExtractor];

export function supportedExtensions(): string[] {
  return EXTRACTORS.flatMap((e) => e.extensions);
}

export function extractorFor(file: string): Extractor | undefined {
  const ext = extname(file).toLowerCase();
  return EXTRACTORS.find((e) => e.extensions.includes(ext));
}

function fsProblem(file: string, err: NodeJS.ErrnoException): InputError {
  switch (err.code) {
    case 'ENOENT':
      return new InputError(file, 'not-found', `${file}: no such file`, err);
    case 'EACCES':
    case 'EPERM':
      return new InputError(file, 'permission', `${file}: permission denied; check the file's permissions`, err);
    case 'EISDIR':
      return new InputError(file, 'not-a-file', `${file}: is a directory, not a carrier file`, err);
    default:
      return new InputError(file, 'unreadable', `${file}: could not be read (${err.code ?? err.message})`, err);
  }
}

// What a file's first bytes say it is, to tell a clerk a file is misnamed.
const SIGNATURES: ReadonlyArray<readonly [string, number[]]> = [
  ['a PDF', [0x25, 0x50, 0x44, 0x46]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
  ['a ZIP archive (or an office document)', [0x50, 0x4b, 0x03, 0x04]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
];

function describe(head: Uint8Array): string | undefined {
  return SIGNATURES.find(([, sig]) => sig.every((b, i) => head[i] === b))?.[0];
}

async function readBounded(file: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    // Non-blocking: opening a FIFO for reading would otherwise wait for a writer for ever (and hold
    // up the whole batch); so opened, it is seen for what it is below and refused.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fsProblem(file, err as NodeJS.ErrnoException);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const what = st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isDirectory() ? 'a folder' : 'not a regular file';
      throw new InputError(file, 'not-a-file', `${file}: is ${what}, not a carrier file; only regular files are read`);
    }
    if (st.size > maxBytes) {
      throw new InputError(file, 'too-large', `${file}: ${st.size} bytes is over the limit of ${maxBytes} bytes (--max-bytes)`);
    }
    return await handle.readFile();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fsProblem(file, err as NodeJS.ErrnoException);
  } finally {
    await handle.close();
  }
}

/** Reads a carrier's bytes, bounded by the limit. Throws InputError; never writes to the input. */
export async function readInput(file: string, ctx: ExtractContext): Promise<Uint8Array> {
  const bytes = await readBounded(file, ctx.limits.maxBytes);
  if (bytes.length === 0) throw new InputError(file, 'wrong-content', `${file}: the file is empty (0 bytes)`);
  return bytes;
}

/** The extractor for a file's name, or an InputError saying which kinds grif reads. */
export function requireExtractor(file: string): Extractor {
  const extractor = extractorFor(file);
  if (extractor) return extractor;
  const ext = extname(file) || '(no extension)';
  throw new InputError(file, 'unsupported-type', `${file}: grif cannot read ${ext} files; supported: ${supportedExtensions().join(', ')}`);
}

/** Throws InputError when the content is not what the name says (a PNG called .pdf). */
export function checkContent(file: string, extractor: Extractor, bytes: Uint8Array): void {
  const head = bytes.subarray(0, 16);
  if (extractor.sniff(head)) return;
  const actual = describe(head);
  if (actual) throw new InputError(file, 'wrong-content', `${file}: named as ${extractor.kind} but the content is ${actual}`);
  if (extractor !== textFileExtractor) {
    const article = /^[aeiou]/i.test(extractor.kind) ? 'an' : 'a';
    throw new InputError(file, 'wrong-content', `${file}: not ${article} ${extractor.kind} (its first bytes are not ${article} ${extractor.kind} signature)`);
  }
}

/** A carrier's text from its bytes, by the extractor its name and content call for. */
export async function extractCarrier(file: string, bytes: Uint8Array, ctx: ExtractContext): Promise<CarrierText> {
  const extractor = requireExtractor(file);
  checkContent(file, extractor, bytes);
  return extractor.extract(file, bytes, ctx);
}

/** Reads one carrier's text. Throws InputError (or an OCR error); never writes to the input. */
export async function readCarrier(file: string, ctx: ExtractContext): Promise<CarrierText> {
  // Refuse an unsupported name before reading a byte of it.
  requireExtractor(file);
  return extractCarrier(file, await readInput(file, ctx), ctx);
}
