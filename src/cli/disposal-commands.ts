/**
 * Art. 6.4 on the command line. `grif copy ID --permission "…" --count N --out DIR`: copies of a
 * carrier's stamped version, only with the originator's written permission cited, each numbered
 * after every copy made before, marked no lower than its source, read back, and registered under it
 * (service/copies.ts). `grif return ID… --notice "…" --reference "…" --date D`: carriers sent back
 * on the originator's written notice, with their copies (service/disposal.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { createExtractSession } from '../extract/context.js';
import { UsageError } from '../errors.js';
import { makeCopies } from '../service/copies.js';
import { returnCarriers } from '../service/disposal.js';
import { dataDir } from '../service/data-dir.js';
import { createLogger } from '../service/log.js';
import { checkOutput, writeAtomically } from '../stamp/write-output.js';
import { openToRead } from './register-command.js';
import { dirOption, fromEnv, registerOption } from './settings.js';

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
      const tessdata = fromEnv('tessdata');
      const session = createExtractSession(tessdata ? { tessdata } : {});
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
