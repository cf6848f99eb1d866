/** Command-line file arguments: files as given, directories expanded to the carriers inside. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { extractorFor } from '../extract/read-carrier.js';

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) await walk(path, out);
    else if (e.isFile() && extractorFor(path)) out.push(path);
  }
}

/**
 * Each argument that is a directory becomes the carriers under it (sorted, hidden files and
 * unsupported types skipped); anything else is passed on as given, so that a missing or
 * unreadable file gets its own error in the results.
 */
export async function expandInputs(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    let isDir = false;
    try {
      isDir = (await stat(arg)).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) await walk(arg, files);
    else files.push(arg);
  }
  return files;
}
