// Where poppler draws grif's stamp (its blue ink) on the visible page of a PDF, as shares of the
// page's width and height: how a reader sees it, independent of grif's own reading.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import sharp from 'sharp';

export async function stampInkShare(pdf: string, scratch: string, dpi = 50): Promise<{ x0: number; y0: number; x1: number; y1: number }> {
  const prefix = join(scratch, `r-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync('pdftoppm', ['-r', String(dpi), '-cropbox', '-png', '-singlefile', pdf, prefix]);
  if (r.status !== 0) throw new Error(`pdftoppm ${pdf} exited with ${r.status}: ${r.stderr}`);
  const { data, info } = await sharp(`${prefix}.png`).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const i = (y * info.width + x) * info.channels;
      if (data[i + 2]! > 90 && data[i + 2]! > data[i]! + 50) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { x0: x0 / info.width, y0: y0 / info.height, x1: x1 / info.width, y1: y1 / info.height };
}
