/**
 * Art. 6.4 on the command line. `grif copy ID --permission "…" --count N --out DIR`: copies of a
 * carrier's stamped version, only with the originator's written permission cited, each numbered
 * after every copy made before, marked no lower than its source, read back, and registered under it
 * (service/copies.ts). `grif return ID… --notice "…" --reference "…" --date D`: carriers sent back
 * on the originator's written notice, with their copies (service/disposal.ts).
 * `grif destroy ID… --notice "…" --act "…" --by NAME --by NAME --out ACT.pdf`: carriers destroyed
 * by an act, every byte grif holds of them wiped and searched for (service/destruction.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { createExtractSession } from '../extract/context.js';
import { UsageError } from '../errors.js';
import { makeCopies } from '../service/copies.js';
import { returnCarriers } from '../service/disposal.js';
import { destroyCarriers, finishDestructions, type Destruction } from '../service/destruction.js';
import { dataDir } from '../service/data-dir.js';
import { createLogger } from '../service/log.js';
import { checkOutput, writeAtomically } from '../stamp/write-output.js';
import { openToRead } from './register-command.js';
import { dirOption, fromEnv, incomingFormatOption, readingFromEnv, registerOption, repeatable } from './settings.js';

const count = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('--count must be a whole number from 1 to 100.');
  return n;
};

export function addDisposalCommands(program: Command): void {
  program
    .command('copy')
    .description("make numbered copies of a carrier's stamped version, with the originator's written permission (Art. 6.4): each registered under its source")
    .argument('<id>', 'the carrier (register id)')
    .addOption(dirOption())
    .addOption(registerOption())
    .option('--permission <TEXT>', "the originator's written permission (its reference): without it nothing is copied")
    .option('--count <N>', 'how many copies', count, 1)
    .requiredOption('--out <DIR>', 'the folder the copies go to (NAME.copy-K.pdf)')
    .option('--by <NAME>', 'who makes them (default: $USER)')
    .action(async (id: string, f: { dir: string; register?: string; permission?: string; count: number; out: string; by?: string }) => {
      const by = (f.by ?? process.env['USER'] ?? '').trim();
      if (!by) throw new UsageError('name who makes the copies: --by NAME');
      await mkdir(f.out, { recursive: true });
      const register = await openToRead(f);
      const session = createExtractSession(readingFromEnv());
      try {
        const c = { dir: dataDir(f.dir), register, extract: session, log: createLogger({ level: 'warn' }), agent: by };
        const made = await makeCopies(c, id, { permission: f.permission ?? '', count: f.count, by });
        for (const m of made) {
          const out = join(f.out, `${id}.copy-${m.number}.pdf`);
          await checkOutput(out, { inputs: [], force: false });
          await writeAtomically(out, m.pdf, { inputs: [], force: false });
          process.stdout.write(`${id}: copy № ${m.number} -> ${out} (SHA-256 ${m.sha256})\n`);
        }
      } finally {
        await session.close();
        await register.close();
      }
    });

  program
    .command('return')
    .description("record carriers sent back to the originating authority on its written notice (Art. 6.4), with every copy made of them; they leave the folders")
    .argument('<id...>', 'the carriers (register ids)')
    .addOption(dirOption())
    .addOption(registerOption())
    .requiredOption('--notice <TEXT>', "the originator's written notice asking for them back")
    .requiredOption('--reference <TEXT>', 'the dispatch that sends them back (covering letter, dispatch list)')
    .requiredOption('--date <YYYY-MM-DD>', 'the day they were sent back')
    .option('--by <NAME>', 'who sends them back (default: $USER)')
    .action(async (ids: string[], f: { dir: string; register?: string; notice: string; reference: string; date: string; by?: string }) => {
      const by = (f.by ?? process.env['USER'] ?? '').trim();
      const register = await openToRead(f);
      try {
        const done = await returnCarriers({ dir: dataDir(f.dir), register }, ids, { notice: f.notice, reference: f.reference, date: f.date, by });
        for (const r of done) process.stdout.write(`${r.carrierId}: returned${r.copies.length ? ` with copies № ${r.copies.join(', ')}` : ''}\n`);
      } finally {
        await register.close();
      }
    });
}

/** What a destruction did, for a person: the act, each carrier, and the search that found nothing left. */
function destructionText(d: Destruction, out: string): string {
  const lines = [`act ${d.act}: ${out} (SHA-256 ${d.actSha256})`];
  for (const x of d.carriers) lines.push(`${x.carrierId} (${x.incoming}): destroyed${x.copies.length ? ` with copies № ${x.copies.join(', ')}` : ''}`);
  lines.push(`wiped ${d.wiped.length} file(s); looked for ${d.sought.length} SHA-256 (whole, and as the beginning of a later revision) in ${d.search.root}: ${d.search.files} file(s), ${d.search.bytes} bytes read, none found`);
  for (const s of d.sought) lines.push(`  ${s.sha256}  ${s.what}`);
  return lines.join('\n') + '\n';
}

function destructionJson(d: Destruction, out: string): object {
  return { act: d.act, actFile: out, actSha256: d.actSha256, carriers: d.carriers, wiped: d.wiped, sought: d.sought, search: { root: d.search.root, files: d.search.files, bytes: d.search.bytes, found: d.search.found } };
}

export function addDestroyCommand(program: Command): void {
  program
    .command('destroy')
    .description("destroy carriers on the originator's written notice by an act of at least two people (Art. 6.4): every byte grif holds of them and their copies is wiped, the data directory searched for their SHA-256s, and the act written")
    .argument('[id...]', 'the carriers (register ids)')
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(incomingFormatOption('in the act'))
    .option('--notice <TEXT>', "the originator's written notice to destroy them")
    .option('--act <NUMBER>', "the act's number as written on paper (\"№ 12/2026\"): one line, up to 60 characters, used once")
    .option('--by <NAME>', 'a member who destroys them (at least two: --by A --by B)', repeatable)
    .option('--date <YYYY-MM-DD>', 'the day of the act (default: today)')
    .option('--how <TEXT>', 'how the paper copies were destroyed (for the act)')
    .option('--russian', 'the act also in Russian')
    .addOption(new Option('--authority <NAME>', 'the receiving authority, as the act names it (default: $GRIF_AUTHORITY)'))
    .option('--out <FILE.pdf>', 'where the act goes')
    .option('--resume', 'finish destructions a stopped process recorded and did not wipe (all of them, or those named)')
    .option('--force', 'replace an existing act file')
    .option('--json', 'print the result as JSON')
    .action(async (ids: string[], f: { dir: string; register?: string; incomingFormat: string; notice?: string; act?: string; by?: string[]; date?: string; how?: string; russian?: boolean; authority?: string; out?: string; resume?: boolean; force?: boolean; json?: boolean }) => {
      if (!f.resume && !ids.length) throw new UsageError('name the carriers to destroy (or --resume)');
      if (!f.out) throw new UsageError('say where the act goes: --out FILE.pdf');
      await checkOutput(f.out, { inputs: [], force: f.force ?? false });
      const register = await openToRead(f);
      try {
        // A large data directory takes a while to read: say how far the search is, on a terminal.
        let shown = 0;
        const onSearch = process.stderr.isTTY
          ? (files: number) => {
              if (Date.now() - shown < 500) return;
              shown = Date.now();
              process.stderr.write(`\rsearching the data directory: ${files} file(s) read`);
            }
          : undefined;
        const c = { dir: dataDir(f.dir), register, incomingFormat: f.incomingFormat, ...(onSearch ? { onSearch } : {}) };
        const authority = (f.authority ?? fromEnv('authority') ?? '').trim();
        const done = f.resume
          ? await finishDestructions(c, ids.length ? ids : undefined)
          : [
              await destroyCarriers(c, ids, {
                notice: f.notice ?? '',
                act: f.act ?? '',
                members: f.by ?? [],
                ...(f.date ? { date: f.date } : {}),
                ...(f.how ? { how: f.how } : {}),
                russian: f.russian ?? false,
                ...(authority ? { authority } : {}),
                by: (process.env['USER'] ?? '').trim() || (f.by?.[0] ?? 'grif'),
              }),
            ];
        if (shown) process.stderr.write('\n');
        if (!done.length) {
          process.stdout.write('nothing to finish: every destroyed carrier is wiped\n');
          return;
        }
        for (const [i, d] of done.entries()) {
          const out = done.length === 1 ? f.out : f.out.replace(/(\.pdf)?$/i, `-${i + 1}.pdf`);
          await writeAtomically(out, d.actPdf, { inputs: [], force: f.force ?? false });
          process.stdout.write(f.json ? JSON.stringify(destructionJson(d, out)) + '\n' : destructionText(d, out));
        }
      } finally {
        await register.close();
      }
    });
}
