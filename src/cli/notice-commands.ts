/**
 * `grif remark` carries a notice out; `grif notice add` records the originating authority's written notice that a level changes or is
 * removed (Art. 6.3); `grif overdue` lists the notices not yet carried out, with the days left or
 * overdue. For a jointly produced carrier, give both Parties' notices in one command: each
 * `--from` starts a notice, and the `--reference`, `--date` and `--authority` after it are its.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { isPartyId, type PartyId } from '../core/article3.js';
import { isDate, isLevelChange, type LevelChange, type LevelChangeNotice } from '../core/notice.js';
import { ExitCode, UsageError } from '../errors.js';
import { formatIncoming } from '../register/incoming.js';
import { createExtractSession } from '../extract/context.js';
import { dataDir } from '../service/data-dir.js';
import { createLogger } from '../service/log.js';
import { localDay, pendingNotices, recordNotice } from '../service/notices.js';
import { remarkCarrier } from '../service/remark.js';
import { checkOutput, writeAtomically } from '../stamp/write-output.js';
import { openToRead } from './register-command.js';
import { dirOption, fromEnv, incomingFormatOption, readingFromEnv, registerOption, repeatable } from './settings.js';

interface NoticeFlags {
  dir: string;
  register?: string;
  carrier: string[];
  level: string;
  from: string[];
  reference: string[];
  date: string[];
  authority: string[];
  received?: string[];
  by?: string;
  json?: boolean;
}

/**
 * The day a command counts from, YYYY-MM-DD: its flag (`flag` names it in an error), else
 * GRIF_TODAY (for a check of another day), else today in the register's time zone.
 */
export function today(given: string | undefined, flag = '--today'): string {
  const day = given ?? fromEnv('today');
  if (day !== undefined) {
    if (!isDate(day)) throw new UsageError(`${given !== undefined ? flag : 'GRIF_TODAY'} must be a date, YYYY-MM-DD (got ${JSON.stringify(day)})`);
    return day;
  }
  return localDay();
}

/** The notices the flags give, one per --from, checked for form. */
export function noticesOf(f: Pick<NoticeFlags, 'level' | 'from' | 'reference' | 'date' | 'authority' | 'received'>, on: string): LevelChangeNotice[] {
  if (!isLevelChange(f.level)) throw new UsageError(`--level must be special-importance, top-secret, secret or removed (got ${JSON.stringify(f.level)})`);
  const n = f.from.length;
  for (const [name, list] of [['--reference', f.reference], ['--date', f.date], ['--authority', f.authority]] as const) {
    if (list.length !== n) throw new UsageError(`give one ${name} for each --from (${n} --from, ${list.length} ${name})`);
  }
  const received = f.received ?? [];
  if (received.length > 1 && received.length !== n) throw new UsageError(`give --received once, or once for each --from`);
  return f.from.map((party, i) => {
    const p = party.trim().toUpperCase();
    if (!isPartyId(p)) throw new UsageError(`--from must be KZ or KG, the Party whose originating authority wrote the notice (got ${JSON.stringify(party)})`);
    const date = f.date[i]!;
    const got = received[i] ?? received[0] ?? on;
    for (const [name, d] of [['--date', date], ['--received', got]] as const) if (!isDate(d)) throw new UsageError(`${name} must be a date, YYYY-MM-DD (got ${JSON.stringify(d)})`);
    if (got < date) throw new UsageError(`the notice dated ${date} cannot have been received on ${got}, before it was written`);
    const reference = f.reference[i]!.trim();
    const authority = f.authority[i]!.trim();
    if (!reference) throw new UsageError('--reference must name the notice (its number)');
    if (!authority) throw new UsageError('--authority must name the originating authority that wrote the notice');
    return { party: p as PartyId, change: f.level as LevelChange, reference, date, received: got, authority };
  });
}

export function addNoticeCommands(program: Command): void {
  const notice = program.command('notice').description("the originating authority's written notices that a carrier's level changes or is removed (Art. 6.3)");

  notice
    .command('add')
    .description('record a level-change notice: each carrier named goes to to-remark, to be re-marked within 30 days of the notice\'s receipt')
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(new Option('--carrier <ID...>', 'the carriers the notice is about (register ids)').makeOptionMandatory())
    .requiredOption('--level <LEVEL>', 'the new level (special-importance, top-secret, secret), or removed')
    .requiredOption('--from <PARTY>', 'KZ or KG: the Party whose originating authority wrote the notice (twice, each with its notice, for a jointly produced carrier)', repeatable)
    .requiredOption('--reference <TEXT>', "the notice's reference (its number)", repeatable)
    .requiredOption('--date <YYYY-MM-DD>', 'the date written on the notice', repeatable)
    .requiredOption('--authority <TEXT>', 'the originating authority that wrote it', repeatable)
    .option('--received <YYYY-MM-DD>', 'the day the notice was received: the 30 days run from it (default: today)', repeatable)
    .option('--by <NAME>', 'who records it (default: $USER)')
    .option('--json', 'print what was recorded as JSON')
    .action(async (f: NoticeFlags) => {
      const by = (f.by ?? process.env['USER'] ?? '').trim();
      if (!by) throw new UsageError('name who records the notice: --by NAME');
      const notices = noticesOf(f, today(undefined));
      const register = await openToRead(f);
      try {
        const done = await recordNotice(register, f.carrier, notices, by);
        if (f.json) process.stdout.write(JSON.stringify(done) + '\n');
        else for (const d of done) process.stdout.write(`${d.carrierId}: ${d.created ? 'notice recorded' : 'notice recorded before'}; re-mark by ${d.due}\n`);
      } finally {
        await register.close();
      }
    });

  program
    .command('remark')
    .description('carry out the level-change notices of these carriers (Art. 6.3): each marking in force struck through and left legible, the new marking (or its removal) added with the notice as basis, read back, recorded in the register and published; a copy written to --out')
    .argument('<id...>', 'carriers waiting in to-remark (grif overdue lists them)')
    .addOption(dirOption())
    .addOption(registerOption())
    .requiredOption('--out <PATH>', 'where the re-marked PDF goes: a file for one carrier, a folder for several (NAME.remarked.pdf)')
    .option('--russian', 'write the new marking (or its removal) in Russian too')
    .option('--by <NAME>', 'who re-marks (default: $USER)')
    .option('--force', 'replace an existing output file')
    .action(async (ids: string[], f: { dir: string; register?: string; out: string; russian?: boolean; by?: string; force?: boolean }) => {
      const by = (f.by ?? process.env['USER'] ?? '').trim();
      if (!by) throw new UsageError('name who re-marks: --by NAME');
      const outputs = ids.map((id) => (ids.length === 1 ? f.out : join(f.out, `${id}.remarked.pdf`)));
      for (const out of outputs) await checkOutput(out, { inputs: [], force: f.force ?? false });
      const register = await openToRead(f);
      const session = createExtractSession(readingFromEnv());
      let failed = 0;
      try {
        const c = { dir: dataDir(f.dir), register, extract: session, log: createLogger({ level: 'warn' }), agent: by };
        for (const [i, id] of ids.entries()) {
          try {
            const done = await remarkCarrier(c, id, { by, ...(f.russian ? { russian: true } : {}) });
            await writeAtomically(outputs[i]!, done.output, { inputs: [], force: f.force ?? false });
            process.stdout.write(`${id}: re-marked ${done.change === 'removed' ? '(marking removed)' : `as ${done.change}`}, ${done.struck} marking(s) struck through -> ${outputs[i]}\n`);
            for (const d of done.derived) {
              process.stdout.write(`  derived ${d.carrierId} (${d.name}): ${d.level ?? 'no level'}${d.lower ? ' -- lower than its source now: re-mark it too' : ''}\n`);
            }
          } catch (err) {
            failed++;
            process.stderr.write(`grif: ${id}: ${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
      } finally {
        await session.close();
        await register.close();
      }
      if (failed) process.exitCode = ExitCode.input;
    });

  program
    .command('overdue')
    .description('list the level-change notices not yet carried out (carriers to re-mark), with the days left or overdue; exits 1 when any is overdue')
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(incomingFormatOption('in the list'))
    .option('--today <YYYY-MM-DD>', 'count the days from this date instead of today (also $GRIF_TODAY)')
    .option('--json', 'print the list as JSON')
    .action(async (f: { dir: string; register?: string; today?: string; json?: boolean; incomingFormat: string }) => {
      const on = today(f.today);
      const register = await openToRead(f);
      try {
        const list = await pendingNotices(register, on);
        if (f.json) process.stdout.write(JSON.stringify(list.map((p) => ({ ...p, incomingNumber: formatIncoming(p.incoming, f.incomingFormat) }))) + '\n');
        else if (!list.length) process.stdout.write(`no notices waiting: every carrier named in a notice is re-marked (as of ${on})\n`);
        else {
          for (const p of list) {
            const when = p.overdue ? `OVERDUE by ${-p.daysLeft} day(s)` : p.daysLeft === 0 ? 'due today' : `${p.daysLeft} day(s) left`;
            process.stdout.write(`${formatIncoming(p.incoming, f.incomingFormat)}\t${p.carrierId}\t${p.change}\tdue ${p.due}\t${when}\t${p.references}\n`);
          }
        }
        if (list.some((p) => p.overdue)) process.exitCode = ExitCode.input;
      } finally {
        await register.close();
      }
    });
}
