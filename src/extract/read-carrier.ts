/**
 * Reading a carrier from disk: picks the extractor for the file, enforces limits, and turns every
 * file-system problem into an InputError that names the file and what to do.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { CarrierText } from '../core/index.js';
import { InputError } from '../errors.js';
import type { ExtractOptions, Extractor } from './extractor.js';
import { textFileExtractor } from './text-file.js';

/** The extractors grif has, in the order they are asked. New carrier kinds register here. */
export const EXTRACTORS: readonly Extractor[] = [textFileExtractor];

export const DEFAULT_EXTRACT_OPTIONS: ExtractOptions = { maxBytes: 64 * 1024 * 1024 };

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

// PDF and image signatures, to tell a clerk a file is misnamed rather than "not UTF-8".
const SIGNATURES: ReadonlyArray<readonly [string, number[]]> = [
  ['a PDF', [0x25, 0x50, 0x44, 0x46]],
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a TIFF image', [0x49, 0x49, 0x2a, 0x00]],
  ['a TIFF image', [0x4d, 0x4d, 0x00, 0x2a]],
  ['a ZIP archive (or an office document)', [0x50, 0x4b, 0x03, 0x04]],
];

function sniff(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, sig]) => sig.every((b, i) => bytes[i] === b))?.[0];
}

async function readBounded(file: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw fsProblem(file, err as NodeJS.ErrnoException);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new InputError(file, 'not-a-file', `${file}: not a regular file`);
    if (st.size > maxBytes) {
      throw new InputError(file, 'too-large', `${file}: ${st.size} bytes is over the limit of ${maxBytes} bytes`);
    }
    return await handle.readFile();
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fsProblem(file, err as NodeJS.ErrnoException);
  } finally {
    await handle.close();
  }
}

/** Reads one carrier's text. Throws InputError; never writes to the input. */
export async function readCarrier(file: string, opts: ExtractOptions = DEFAULT_EXTRACT_OPTIONS): Promise<CarrierText> {
  const extractor = extractorFor(file);
  if (!extractor) {
    const ext = extname(file) || '(no extension)';
    throw new InputError(
      file,
      'unsupported-type',
      `${file}: grif cannot read ${ext} files yet; supported: ${supportedExtensions().join(', ')}`,
    );
  }
  const bytes = await readBounded(file, opts.maxBytes);
  const actual = sniff(bytes);
  if (actual && extractor === textFileExtractor) {
    throw new InputError(file, 'wrong-content', `${file}: named as ${extractor.kind} but the content is ${actual}`);
  }
  return extractor.extract(file, bytes, opts);
}
