/**
 * Whether a dropped file is complete, judged by its last bytes, before the drop folder takes it: a
 * copy that pauses halfway (a slow share, a clerk's copy stopped and resumed) has been still for a
 * while yet is not finished. A PDF ends with its trailer (%%EOF, then at most some white space),
 * a PNG with its IEND chunk, a JPEG with its end-of-image marker. Other types have no end to
 * check: stillness alone says they are written.
 */
import { open } from 'node:fs/promises';
import { extname } from 'node:path';

const TAIL = 1024;
const PNG_END = Buffer.from([0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** What the tail of a file of this type must hold; undefined: nothing to check. */
function endCheck(name: string): ((tail: Buffer) => boolean) | undefined {
  switch (extname(name).toLowerCase()) {
    case '.pdf':
      return (t) => t.includes('%%EOF');
    case '.png':
      return (t) => t.includes(PNG_END);
    case '.jpg':
    case '.jpeg':
      // The end-of-image marker, perhaps followed by padding.
      return (t) => {
        const at = t.lastIndexOf(Buffer.from([0xff, 0xd9]));
        return at >= 0 && t.subarray(at + 2).every((b) => b === 0 || b === 0x0a || b === 0x0d || b === 0x20);
      };
    default:
      return undefined;
  }
}

export async function looksComplete(path: string, name: string, size: number): Promise<boolean> {
  const check = endCheck(name);
  if (!check) return true;
  if (size === 0) return false;
  const fh = await open(path, 'r');
  try {
    const length = Math.min(TAIL, size);
    const tail = Buffer.alloc(length);
    await fh.read(tail, 0, length, size - length);
    return check(tail);
  } finally {
    await fh.close();
  }
}
