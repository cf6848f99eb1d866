/**
 * `grif receive FILE… --from KZ|KG [--transfer REF]`: a clerk's intake from the command line. Each
 * carrier goes into the running service's drop folder (DIR/inbox/from-PARTY/) with a sidecar that
 * says what the clerk knows of it (the transfer it came in, the sender's reference, whether it was
 * produced jointly, Russian, its source), both written atomically, the sidecar first: the watcher
 * then takes it like any dropped file. The files given are read, never moved or changed.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { isPartyId, PARTY_IDS, type PartyId } from '../core/article3.js';
import { ExitCode, UsageError } from '../errors.js';
import { sidecarPathOf } from '../intake/inbox-layout.js';
import { dataDir, prepareDataDir } from '../service/data-dir.js';
import { writeAtomically } from '../stamp/write-output.js';
import { dirOption, repeatable } from './settings.js';

interface ReceiveFlags {
  dir: string;
  from: string;
  to?: string;
  russian?: boolean;
  transfer?: string;
  senderReference?: string[];
  joint?: boolean;
  derivedFrom?: string;
}

function party(value: string, flag: string): PartyId {
  const p = value.trim().toUpperCase();
  if (!isPartyId(p)) throw new UsageError(`${flag} must be ${PARTY_IDS.join(' or ')} (got ${JSON.stringify(value)})`);
  return p;
}

export function addReceiveCommand(program: Command): void {
  program
    .command('receive')
    .description("hand carriers to the running service's drop folder with what the clerk knows of them: the transfer they came in (Art. 5.3), the sender's references, joint production (Art. 6.3)")
    .argument('<file...>', 'the carriers (PDF, PNG, JPEG, TIFF); read, never changed')
    .addOption(dirOption('the data directory of the running service (its inbox/)'))
    .requiredOption('--from <PARTY>', 'the sending Party: KZ or KG')
    .option('--to <PARTY>', 'the receiving Party (default: the other one)')
    .option('--russian', 'the receiving side stamps in Russian too')
    .option('--transfer <REF>', "the transfer: the sender's covering letter or dispatch list (grif confirm --transfer REF confirms its receipt)")
    .addOption(new Option('--sender-reference <REF>', "the sender's number of each carrier in the transfer, in the order of the files (repeat it)").argParser(repeatable))
    .option('--joint', 'produced jointly by both Parties: its level changes only on both Parties\' notices')
    .option('--derived-from <ID>', 'for a translation or copy: the source carrier\'s register id or SHA-256')
    .action(async (files: string[], f: ReceiveFlags) => {
      const from = party(f.from, '--from');
      const to = f.to ? party(f.to, '--to') : PARTY_IDS.find((p) => p !== from)!;
      if (to === from) throw new UsageError(`--to must be the other Party, not ${from}`);
      const refs = f.senderReference ?? [];
      if (refs.length > files.length) throw new UsageError(`${refs.length} --sender-reference for ${files.length} file(s): give at most one for each`);
      const transfer = f.transfer?.trim();
      if (f.transfer !== undefined && (!transfer || transfer.length > 200)) throw new UsageError('--transfer must be a reference of 1 to 200 characters');
      const d = dataDir(f.dir);
      await prepareDataDir(d);
      const folder = join(d.inbox, `from-${from}`);
      let failed = 0;
      for (const [i, file] of files.entries()) {
        const name = basename(file);
        const target = join(folder, name);
        try {
          // One of that name waiting already: its sidecar is not ours to replace.
          if (await stat(target).then(() => true, () => false)) throw new UsageError(`${target.slice(d.root.length + 1)} is waiting in the drop folder already; rename the file or wait until it is taken`);
          const bytes = await readFile(file);
          const sidecar = {
            from,
            to,
            ...(f.russian ? { russian: true } : {}),
            ...(transfer ? { transfer } : {}),
            ...(refs[i]?.trim() ? { senderReference: refs[i]!.trim() } : {}),
            ...(f.joint ? { joint: true } : {}),
            ...(f.derivedFrom ? { derivedFrom: f.derivedFrom.trim() } : {}),
          };
          // The sidecar first, so the watcher never takes the carrier without what it says.
          await writeAtomically(sidecarPathOf(target), new TextEncoder().encode(JSON.stringify(sidecar, null, 2)), { inputs: [file], force: true });
          await writeAtomically(target, bytes, { inputs: [file], force: false });
          process.stdout.write(`${file}: handed to ${target.slice(d.root.length + 1)}${transfer ? ` (transfer ${transfer})` : ''}\n`);
        } catch (err) {
          failed++;
          process.stderr.write(`grif: ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
      if (failed) process.exitCode = ExitCode.input;
    });
}
