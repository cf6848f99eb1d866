/**
 * `grif confirm` writes the confirmation of receipt of a transfer (Art. 5.3) and registers it as an
 * outgoing document; `grif unconfirmed` lists the carriers received in a transfer whose receipt is
 * not confirmed after some days.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { confirmTransfer, unconfirmed } from '../service/confirm.js';
import { dataDir } from '../service/data-dir.js';
import { storeOutput } from '../service/publish.js';
import { checkOutput, writeAtomically } from '../stamp/write-output.js';
import { openToRead } from './register-command.js';
import { dirOption, fromEnv, incomingFormatOption, registerOption } from './settings.js';

const wholeDays = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('days must be a whole number, 0 or more.');
  return n;
};

export function addTransferCommands(program: Command): void {
  program
    .command('confirm')
    .description("confirm receipt of a transfer (Art. 5.3): a PDF in the sending state's language and Russian listing each carrier received in it, registered as an outgoing document; each carrier gets a 'receipt-confirmed' event")
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(incomingFormatOption('in the confirmation (and its own outgoing number)'))
    .requiredOption('--transfer <REF>', "the transfer: the sender's covering letter or dispatch list, as given at intake")
    .requiredOption('--out <FILE.pdf>', 'where the confirmation goes')
    .addOption(new Option('--authority <NAME>', `the receiving authority that confirms (default: $GRIF_AUTHORITY)`))
    .option('--by <NAME>', 'who signs it (default: $USER)')
    .option('--force', 'replace an existing output file')
    .action(async (f: { dir: string; register?: string; incomingFormat: string; transfer: string; out: string; authority?: string; by?: string; force?: boolean }) => {
      const by = (f.by ?? process.env['USER'] ?? '').trim();
      if (!by) throw new UsageError('name who signs the confirmation: --by NAME');
      const authority = (f.authority ?? fromEnv('authority') ?? '').trim();
      if (!authority) throw new UsageError('name the receiving authority: --authority NAME (or GRIF_AUTHORITY)');
      await checkOutput(f.out, { inputs: [], force: f.force ?? false });
      const register = await openToRead(f);
      try {
        const d = dataDir(f.dir);
        const done = await confirmTransfer(register, f.transfer, { authority, by, incomingFormat: f.incomingFormat, keep: async (pdf) => void (await storeOutput(d, pdf)) });
        await writeAtomically(f.out, done.pdf, { inputs: [], force: f.force ?? false });
        process.stdout.write(`transfer ${f.transfer}: receipt of ${done.carriers.length} carrier(s) confirmed by outgoing No. ${done.number} -> ${f.out} (SHA-256 ${done.sha256})\n`);
      } finally {
        await register.close();
      }
    });

  program
    .command('unconfirmed')
    .description('list the carriers received in a transfer whose receipt is not confirmed after some days; exits 1 when there are any')
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(incomingFormatOption('in the list'))
    .option('--days <N>', 'received at least this many days ago', wholeDays, 3)
    .option('--json', 'print the list as JSON')
    .action(async (f: { dir: string; register?: string; incomingFormat: string; days: number; json?: boolean }) => {
      const register = await openToRead(f);
      try {
        const list = await unconfirmed(register, f.days, new Date(), f.incomingFormat);
        if (f.json) process.stdout.write(JSON.stringify(list) + '\n');
        else if (!list.length) process.stdout.write(`every carrier received in a transfer ${f.days} or more day(s) ago is confirmed\n`);
        else for (const u of list) process.stdout.write(`${u.incoming}\t${u.carrierId}\t${u.transfer}\treceived ${u.days} day(s) ago\n`);
        if (list.length) process.exitCode = ExitCode.input;
      } finally {
        await register.close();
      }
    });
}
