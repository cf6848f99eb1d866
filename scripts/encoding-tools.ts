/** Test-only: the Debian tools the encoding fixtures are made with, and bilevel pictures for them. */
import { spawn } from 'node:child_process';
import type { Raster } from './make-fixtures.js';
import { mulberry32 } from './dev-support.js';
import { SEED } from './make-fixtures.js';
import { packBits } from './pdf-image-writer.js';

/** Runs a Debian tool, returning its standard output. */
export function tool(cmd: string, args: readonly string[], debianPackage: string, input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error(`make-encodings: ${cmd} not found; install the Debian package ${debianPackage} (scripts/setup.sh does)`) : e),
    );
    child.on('close', (code) =>
      code === 0 ? resolvePromise(Buffer.concat(out)) : reject(new Error(`make-encodings: ${cmd} ${args.join(' ')} exited with ${code}: ${err.trim()}`)),
    );
    if (input) child.stdin!.end(input);
  });
}

/** A bilevel raster (1 = black) from grey: ink below mid-grey. */
export function bilevel(r: Raster): Uint8Array {
  const out = new Uint8Array(r.width * r.height);
  for (let i = 0; i < out.length; i++) out[i] = r.data[i]! < 128 ? 1 : 0;
  return out;
}

/** Plain PBM (P4) bytes of a bilevel raster. */
export function pbm(bits: Uint8Array, width: number, height: number): Buffer {
  return Buffer.concat([Buffer.from(`P4\n${width} ${height}\n`, 'latin1'), packBits(bits, width, height, 1)]);
}

/** The strip data of a single-strip TIFF (pnmtotiff -rowsperstrip H), i.e. the raw CCITT stream. */
function tiffStrip(tiff: Buffer): Buffer {
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  let offset = -1;
  let count = -1;
  for (let i = 0, n = u16(ifd); i < n; i++) {
    const e = ifd + 2 + i * 12;
    const tag = u16(e);
    const value = u16(e + 2) === 3 ? u16(e + 8) : u32(e + 8);
    if (u32(e + 4) !== 1 && (tag === 273 || tag === 279)) throw new Error('make-encodings: expected a single-strip TIFF');
    if (tag === 273) offset = value;
    if (tag === 279) count = value;
  }
  if (offset < 0 || count < 0) throw new Error('make-encodings: TIFF without strip data');
  return tiff.subarray(offset, offset + count);
}

/** CCITT data of a bilevel raster made by pnmtotiff: 'g4', 'g3' (1-D) or 'g3-2d'. */
export async function ccitt(bits: Uint8Array, width: number, height: number, kind: 'g4' | 'g3' | 'g3-2d'): Promise<Buffer> {
  const opts = kind === 'g4' ? ['-g4'] : kind === 'g3' ? ['-g3'] : ['-g3', '-2d'];
  const tiff = await tool('pnmtotiff', [...opts, '-rowsperstrip', String(height)], 'netpbm', pbm(bits, width, height));
  return Buffer.from(tiffStrip(tiff));
}


/** A PRNG of its own for each name: fixtures come out the same whatever order they are made in. */
export function seeded(name: string): () => number {
  let h = SEED;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return mulberry32(h);
}
