/**
 * The invariants of "folders follow the register", checked on a data dir at rest: every carrier is
 * in exactly the folder its register state names (FOLDER_OF), whole (its file and its document), and
 * in no other; every carrier file in outbox/ has a register event with its SHA-256.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lastTransition, type Register } from '../../src/register/register.js';
import { FOLDER_OF, type ViewFolder } from '../../src/register/states.js';
import { dataDir, loadRef, sha256Of } from '../../src/service/data-dir.js';
import { resultNames } from '../../src/service/outcome-files.js';

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** What is wrong, one sentence each; [] when the folders agree with the register. */
export async function folderProblems(root: string, register: Register): Promise<string[]> {
  const d = dataDir(root);
  const problems: string[] = [];
  const entries = await register.list({ limit: 100_000 });
  const outputs = new Set(entries.flatMap((e) => e.events.map((x) => x.outputSha256).filter((s): s is string => !!s)));
  for (const entry of entries) {
    const ref = await loadRef(d, entry.id);
    if (!ref) {
      problems.push(`${entry.id}: no stored reference`);
      continue;
    }
    const now = lastTransition(entry);
    const want = now?.state ? FOLDER_OF[now.state] : null;
    for (const f of ['outbox', 'review', 'rejected'] as ViewFolder[]) {
      const n = resultNames(d, ref, f);
      const present = [];
      for (const p of [n.carrier, n.stamped, n.json]) if (await exists(p)) present.push(p);
      if (f !== want) {
        if (present.length) problems.push(`${entry.name} (${now?.state}): in ${f}/ as well: ${present.map((p) => p.slice(d.root.length + 1)).join(', ')}`);
        continue;
      }
      // A notice changes no file: the last result before it is what stays published.
      const result = now?.kind === 'notice' ? [...entry.events].reverse().find((e) => e.state !== null && e.kind !== 'notice') : now;
      const file = result && ['stamped', 'remarked', 'level-removed'].includes(result.kind) ? n.stamped : n.carrier;
      if (!present.includes(file)) problems.push(`${entry.name} (${now?.state}): ${file.slice(d.root.length + 1)} missing`);
      if (!present.includes(n.json)) problems.push(`${entry.name} (${now?.state}): ${n.json.slice(d.root.length + 1)} missing`);
    }
  }
  for (const name of await readdir(d.outbox)) {
    if (name.startsWith('.')) problems.push(`outbox/${name}: a temporary file left`);
    else if (!name.endsWith('.json') && !outputs.has(sha256Of(await readFile(join(d.outbox, name))))) problems.push(`outbox/${name}: no register event has its SHA-256`);
  }
  return problems;
}
