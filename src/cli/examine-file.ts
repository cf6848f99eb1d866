/** One carrier file through extraction and the marking core, with its error kept, never thrown. */
import { examine } from '../core/index.js';
import { GrifError } from '../errors.js';
import type { ExtractContext } from '../extract/extractor.js';
import { readCarrier } from '../extract/read-carrier.js';
import type { FileResult } from './report.js';

export async function examineFile(file: string, ctx: ExtractContext): Promise<FileResult> {
  try {
    const text = await readCarrier(file, ctx);
    return { file, verdict: examine(text) };
  } catch (err) {
    if (err instanceof GrifError) return { file, error: err.message };
    // Not ours: a bug. Say so instead of dressing it up as a bad file.
    const message = err instanceof Error ? err.message : String(err);
    return { file, error: `${file}: internal error while reading (${message}); please report it` };
  }
}
