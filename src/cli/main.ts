/** The grif command line. One handler turns every failure into a message and an exit code. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { readFileSync, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ARTICLE_3,
  checkDerived,
  isPartyId,
  type DerivedStatus,
  LANGS,
  planReceivingStamp,
  type PartyId,
  type Verdict,
} from '../core/index.js';
import { ExitCode, GrifError, UsageError } from '../errors.js';
import { createExtractSession, DEFAULT_DPI, type ExtractSession } from '../extract/context.js';
import { fromEnv, maxMemoryMb, maxMemoryOption } from './settings.js';
import { DEFAULT_LIMITS, type ProgressEvent } from '../extract/extractor.js';
import { supportedExtensions } from '../extract/read-carrier.js';
import { stampFile, type StampOutcome } from '../stamp/stamp-file.js';
import { checkOutput, OutputError, removeStaleTemps, writeAtomically } from '../stamp/write-output.js';
import { examineFile } from './examine-file.js';
import { registerCommand } from './register-command.js';
import { addServiceCommands } from './service-commands.js';
import { addUsersCommands } from './users-command.js';
import { addNoticeCommands } from './notice-commands.js';
import { addTransferCommands } from './transfer-commands.js';
import { addReceiveCommand } from './receive-command.js';
import { addDestroyCommand, addDisposalCommands } from './disposal-commands.js';
import { addInventoryCommand } from './inventory-command.js';
import { expandInputs } from './inputs.js';
import { printable } from './printable.js';
import { derivedText, planText, resultJson, resultTable, summaryLine, type FileResult } from './report.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parseParty(value: string): PartyId {
  const p = value.toUpperCase();
  if (!isPartyId(p)) throw new InvalidArgumentError('expected KZ or KG.');
  return p;
}

function out(line: string): void {
  process.stdout.write(line + '\n');
}

function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a whole number above 0.`);
    return n;
  };
}

interface ExtractFlags {
  workers?: number;
  fullPage?: boolean;
  dpi?: number;
  maxPages?: number;
  maxBytes?: number;
  pageTimeout?: number;
  maxMemoryMb?: string;
  progress?: boolean;
}

/** --from and --to, both required: the two Parties of Article 6. */
function withParties(cmd: Command): Command {
  return cmd
    .addOption(new Option('--from <party>', 'the sending Party: KZ or KG').argParser(parseParty).makeOptionMandatory())
    .addOption(new Option('--to <party>', 'the receiving Party: KZ or KG').argParser(parseParty).makeOptionMandatory());
}

function checkParties(opts: { from: PartyId; to: PartyId }): void {
  if (opts.from === opts.to) throw new UsageError(`--from and --to are both ${opts.from}; give the two different Parties`);
}

/** The options every command that reads carriers shares. */
function withExtractOptions(cmd: Command): Command {
  return cmd
    .option('--workers <n>', 'OCR workers, pages read at once (default: the number of cores)', positiveInt('--workers'))
    .option('--full-page', 'OCR whole pages even when the stamp areas decide')
    .option('--dpi <n>', `resolution for OCR of PDF pages without a text layer (default: ${DEFAULT_DPI})`, positiveInt('--dpi'))
    .option('--max-pages <n>', `refuse carriers with more pages: PDF pages, image frames, text pages between form feeds (default: ${DEFAULT_LIMITS.maxPages})`, positiveInt('--max-pages'))
    .option('--max-bytes <n>', `refuse carrier files larger than this, of any kind (default: ${DEFAULT_LIMITS.maxBytes}, 512 MiB)`, positiveInt('--max-bytes'))
    .option('--page-timeout <seconds>', `give up OCR of one page after this long (default: ${DEFAULT_LIMITS.pageTimeoutMs / 1000})`, positiveInt('--page-timeout'))
    .addOption(maxMemoryOption())
    .option('--progress', 'show per-page progress on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'never show progress');
}

function progressReporter(enabled: boolean | undefined): ((e: ProgressEvent) => void) | undefined {
  if (!(enabled ?? process.stderr.isTTY)) return undefined;
  const tty = process.stderr.isTTY;
  return (e) => {
    const line = `${printable(e.file)}: ${e.done}/${e.pages} page(s) read (page ${e.page}: ${e.source})`;
    process.stderr.write(tty ? `\r\x1b[K${line}${e.done === e.pages ? '\n' : ''}` : `${line}\n`);
  };
}

interface StampFlags {
  source?: string;
  from: PartyId;
  to: PartyId;
  out: string;
  russian?: boolean;
  pages: 'first' | 'all';
  authority?: string;
  regNumber?: string;
  copy?: string;
  date?: Date;
  receipt?: boolean;
  force?: boolean;
  json?: boolean;
}

function parseDate(value: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  // Date.UTC rolls 2026-13-01 over into 2027: a real date gives back its own month and day.
  if (!d || Number.isNaN(d.getTime()) || d.getUTCMonth() !== Number(m![2]) - 1 || d.getUTCDate() !== Number(m![3])) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD.');
  }
  return d;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function stampJson(o: StampOutcome): Record<string, unknown> {
  switch (o.status) {
    case 'stamped':
      return {
        file: o.file,
        status: 'stamped',
        level: o.verdict.level,
        output: o.output,
        update: o.update,
        ...(o.note ? { note: o.note } : {}),
        inputSha256: o.inputSha256,
        outputSha256: o.outputSha256,
        placements: o.placements,
      };
    case 'unchanged':
      return { file: o.file, status: 'unchanged', verdict: o.verdict.status, level: o.verdict.level, reason: o.reason };
    case 'review':
      return { file: o.file, status: 'review', verdict: o.verdict.status, level: o.verdict.level, reasons: o.reasons };
    case 'error':
      return { file: o.file, status: 'error', error: o.error };
  }
}

function stampText(o: StampOutcome): string {
  switch (o.status) {
    case 'stamped':
      return `${printable(o.file)}: stamped ${o.verdict.level} → ${printable(o.output)} (page${o.placements.length > 1 ? 's' : ''} ${o.placements.map((p) => p.page).join(', ')})${o.note ? `; note: ${o.note}` : ''}`;
    case 'unchanged':
      return `${printable(o.file)}: not stamped: ${printable(o.reason)}`;
    case 'review':
      return `${printable(o.file)}: not stamped, a person must decide: ${printable(o.reasons.join('; '))}`;
    case 'error':
      return `${printable(o.file)}: error: ${printable(o.error)}`;
  }
}

const receiptPathOf = (output: string): string => output.replace(/\.pdf$/i, '') + '.receipt.json';

async function writeReceipt(o: Extract<StampOutcome, { status: 'stamped' }>, flags: StampFlags): Promise<void> {
  const receipt = {
    input: o.file,
    inputSha256: o.inputSha256,
    output: o.output,
    outputSha256: o.outputSha256,
    level: o.verdict.level,
    from: flags.from,
    to: flags.to,
    update: o.update,
    ...(o.note ? { note: o.note } : {}),
    stampsFound: o.verdict.stamps.map((s) => ({ lang: s.lang, level: s.level, text: s.text, page: s.page, confidence: s.confidence })),
    placements: o.placements,
    at: new Date().toISOString(),
  };
  const path = receiptPathOf(o.output);
  await writeAtomically(path, Buffer.from(JSON.stringify(receipt, null, 2) + '\n'), { inputs: [o.file], force: flags.force ?? false });
}

/**
 * Every output a stamp run would write (the PDFs, and the receipts with --receipt), checked before
 * any carrier is read, so that a refusal costs no OCR. All refusals are said, then it stops.
 */
async function refuseOutputs(inputs: readonly string[], outputOf: (file: string) => string, flags: StampFlags): Promise<void> {
  const others = flags.source ? [...inputs, flags.source] : inputs;
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const file of inputs) {
    const output = outputOf(file);
    const first = seen.get(output);
    if (first !== undefined) {
      problems.push(`${output}: both ${first} and ${file} would be stamped to it; stamp them into different folders`);
      continue;
    }
    seen.set(output, file);
    for (const path of flags.receipt ? [output, receiptPathOf(output)] : [output]) {
      try {
        await checkOutput(path, { inputs: others, force: flags.force ?? false });
      } catch (err) {
        if (!(err instanceof OutputError)) throw err;
        problems.push(err.message);
      }
    }
  }
  if (problems.length === 0) return;
  for (const p of problems) process.stderr.write(`grif: ${printable(p)}\n`);
  throw new UsageError(`nothing was read or written: ${problems.length} output(s) refused`);
}

function openSession(flags: ExtractFlags): ExtractSession {
  const onProgress = progressReporter(flags.progress);
  const tessdata = fromEnv('tessdata');
  return createExtractSession({
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
    ...(tessdata ? { tessdata } : {}),
    fullPage: flags.fullPage ?? false,
    ...(flags.dpi !== undefined ? { dpi: flags.dpi } : {}),
    limits: {
      ...(flags.maxPages !== undefined ? { maxPages: flags.maxPages } : {}),
      ...(flags.maxBytes !== undefined ? { maxBytes: flags.maxBytes } : {}),
      ...(flags.pageTimeout !== undefined ? { pageTimeoutMs: flags.pageTimeout * 1000 } : {}),
      maxHeapMb: maxMemoryMb(flags.maxMemoryMb),
    },
    ...(onProgress ? { onProgress } : {}),
  });
}

async function examineAll(args: readonly string[], flags: ExtractFlags): Promise<FileResult[]> {
  const files = await expandInputs(args);
  if (files.length === 0) throw new UsageError(`no carrier files found in ${args.join(', ')} (supported: ${supportedExtensions().join(', ')})`);
  const session = openSession(flags);
  try {
    const results: FileResult[] = [];
    for (const file of files) results.push(await examineFile(file, session));
    return results;
  } finally {
    await session.close();
  }
}

function reportErrors(results: readonly FileResult[]): void {
  for (const r of results) if (r.error) process.stderr.write(`grif: ${printable(r.error)}\n`);
}

/**
 * grif verify's answers beyond ExitCode's 0, 1 and 2, so that `grif verify … && send` goes on only
 * when the check passed: 3, Art. 6.1 is broken (the derived carrier is unmarked or marked lower
 * than its source); 4, a person must decide a level first (either carrier in conflict or review).
 */
export const VerifyExit = { violation: 3, review: 4 } as const;
const VERIFY_EXIT: Readonly<Record<DerivedStatus, number>> = { ok: ExitCode.ok, ...VerifyExit };

function exitFor(results: readonly FileResult[]): ExitCode {
  return results.some((r) => r.error) ? ExitCode.input : ExitCode.ok;
}

export function buildProgram(): Command {
  const program = new Command('grif')
    .description(
      'Classification markings under the 2006 Kazakhstan–Kyrgyzstan agreement: detect the stamps on a carrier, ' +
        'verify them against the Article 3 equivalents, add the receiving side\'s marking (Art. 6.1), ' +
        'and run the stamping service with its register (Art. 6.2).',
    )
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit status: 0 when every file was processed (whatever its verdict), 1 when some file could not be read,\n' +
        '2 for usage errors (and for stamp outputs refused before anything is read); grif verify also exits\n' +
        `${VerifyExit.violation} when the check fails and ${VerifyExit.review} when a person must decide first (grif help verify).`,
    );

  withExtractOptions(program
    .command('detect')
    .description('find the marking stamps on each carrier and give its verdict: marked, unmarked, conflict or review')
    .argument('<files...>', 'carrier files or directories: PDF, PNG, JPEG, TIFF, or UTF-8 .txt (form feeds between pages)')
    .option('--json', 'one JSON object per line: {"file","status","level","stamps","notes"}'))
    .action(async (files: string[], opts: ExtractFlags & { json?: boolean }) => {
      const results = await examineAll(files, opts);
      if (opts.json) for (const r of results) out(JSON.stringify(resultJson(r)));
      else {
        out(resultTable(results));
        out(summaryLine(results));
      }
      reportErrors(results);
      process.exitCode = exitFor(results);
    });

  withExtractOptions(program
    .command('verify')
    .description('check a translation or copy against its source: no lower a level than the source\'s (Art. 6.1)')
    .requiredOption('--source <file>', 'the source carrier')
    .requiredOption('--derived <file>', 'the translation or copy made from it')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `\nExit status: 0 when the check passes (the derived carrier is marked no lower than its source),\n` +
        `${VerifyExit.violation} when it fails (unmarked, or marked lower than the source: Art. 6.1),\n` +
        `${VerifyExit.review} when a person must decide a level first (either carrier in conflict or review),\n` +
        `1 when a carrier could not be read, 2 for usage errors. So \`grif verify … && next-step\` goes on only when it passes.`,
    ))
    .action(async (opts: ExtractFlags & { source: string; derived: string; json?: boolean }) => {
      const session = openSession(opts);
      let source: FileResult;
      let derived: FileResult;
      try {
        source = await examineFile(opts.source, session);
        derived = await examineFile(opts.derived, session);
      } finally {
        await session.close();
      }
      reportErrors([source, derived]);
      if (!source.verdict || !derived.verdict) {
        if (opts.json) {
          out(JSON.stringify({ source: resultJson(source), derived: resultJson(derived), status: 'error', requiredLevel: null, findings: [] }));
        }
        process.exitCode = ExitCode.input;
        return;
      }
      const check = checkDerived(source.verdict, derived.verdict);
      if (opts.json) {
        out(JSON.stringify({ source: resultJson(source), derived: resultJson(derived), ...check }));
      } else out(derivedText(source, derived, check));
      process.exitCode = VERIFY_EXIT[check.status];
    });

  withExtractOptions(withParties(program
    .command('plan')
    .description('the receiving side\'s comparable marking to add to each carrier (Art. 6.1); nothing is written')
    .argument('<files...>', 'carrier files or directories'))
    .option('--russian', 'add the Russian equivalent under the receiving state\'s marking')
    .option('--json', 'one JSON object per line'))
    .action(async (files: string[], opts: ExtractFlags & { from: PartyId; to: PartyId; russian?: boolean; json?: boolean }) => {
      checkParties(opts);
      const results = await examineAll(files, opts);
      for (const r of results) {
        const plan = r.verdict ? planReceivingStamp(r.verdict, { from: opts.from, to: opts.to, russian: opts.russian ?? false }) : null;
        if (opts.json) out(JSON.stringify({ ...resultJson(r), plan }));
        else out(`${printable(r.file)}: ${r.verdict ? `${r.verdict.status}${r.verdict.level ? ` (${r.verdict.level})` : ''}; ${planText(plan!)}` : `error: ${printable(r.error ?? '')}`}`);
      }
      reportErrors(results);
      process.exitCode = exitFor(results);
    });

  withExtractOptions(withParties(program
    .command('stamp')
    .description('add the receiving side\'s comparable marking (Art. 6.1) to carriers: to a PDF as an incremental update that keeps the original byte for byte; an image is made a PDF first')
    .argument('<files...>', 'PDF or image carriers, or directories'))
    .requiredOption('--out <path>', 'the stamped PDF, or a directory for them (NAME.stamped.pdf)')
    .option('--russian', 'add the Russian equivalent under the receiving state\'s marking')
    .addOption(new Option('--pages <which>', 'stamp the first page or every page').choices(['first', 'all']).default('first'))
    .option('--authority <name>', 'the receiving authority, for the registration block')
    .option('--reg-number <number>', 'the incoming registration number')
    .option('--copy <number>', 'the copy number')
    .option('--date <yyyy-mm-dd>', 'the registration date (default: today)', parseDate)
    .option('--source <file>', 'the carriers are translations or copies of this source: stamped only when marked no lower than it (Art. 6.1)')
    .option('--receipt', 'write a JSON receipt beside each stamped PDF (NAME.receipt.json)')
    .option('--force', 'replace an existing output file (never an input)')
    .option('--json', 'one JSON object per line')
    .addHelpText(
      'after',
      '\nThe outputs are checked before any carrier is read: an existing output (or receipt) without --force, an output\n' +
        'folder that does not exist or is not writable, an output that is an input, or two carriers with one output\n' +
        'name are refused at once with exit status 2. Exit status 1: some carrier could not be read or stamped (each\n' +
        'is reported, the rest are still stamped); 0 otherwise, whether or not a carrier needed a stamp.',
    ))
    .action(async (files: string[], opts: ExtractFlags & StampFlags) => {
      checkParties(opts);
      const inputs = await expandInputs(files);
      if (inputs.length === 0) throw new UsageError(`no carrier files found in ${files.join(', ')}`);
      const toDir = await isDirectory(opts.out);
      if (inputs.length > 1 && !toDir) throw new UsageError(`--out must be an existing directory when stamping ${inputs.length} files`);
      const outputOf = (file: string): string => (toDir ? join(opts.out, `${basename(file, extname(file))}.stamped.pdf`) : opts.out);
      await refuseOutputs(inputs, outputOf, opts);
      // What an earlier run killed mid-write left (its writer is gone): removed, and said.
      const left = await removeStaleTemps([toDir ? opts.out : dirname(opts.out)], { staleMs: 24 * 3600_000, deadAfterMs: 0 });
      if (left) process.stderr.write(`grif: removed ${left} temporary file(s) left in the output folder by an earlier run that was stopped mid-write\n`);
      const session = openSession(opts);
      const outcomes: StampOutcome[] = [];
      try {
        let source: Verdict | undefined;
        if (opts.source) {
          const s = await examineFile(opts.source, session);
          if (!s.verdict) throw new GrifError(`the source cannot be read: ${s.error}`, { code: 'input/source', exitCode: ExitCode.input });
          source = s.verdict;
        }
        for (const file of inputs) {
          const output = outputOf(file);
          const outcome = await stampFile(file, {
            from: opts.from,
            to: opts.to,
            russian: opts.russian ?? false,
            pages: opts.pages,
            registration: {
              date: opts.date ?? new Date(),
              ...(opts.authority ? { authority: opts.authority } : {}),
              ...(opts.regNumber ? { number: opts.regNumber } : {}),
              ...(opts.copy ? { copy: opts.copy } : {}),
            },
            output,
            force: opts.force ?? false,
            ...(source ? { source } : {}),
          }, session);
          if (outcome.status === 'stamped' && opts.receipt) await writeReceipt(outcome, opts);
          outcomes.push(outcome);
          if (opts.json) out(JSON.stringify(stampJson(outcome)));
          else out(stampText(outcome));
        }
      } finally {
        await session.close();
      }
      for (const o of outcomes) if (o.status === 'error') process.stderr.write(`grif: ${printable(o.error)}\n`);
      process.exitCode = outcomes.some((o) => o.status === 'error') ? ExitCode.input : ExitCode.ok;
    });

  program
    .command('levels')
    .description('print the Article 3 equivalence table')
    .option('--json', 'print it as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        out(JSON.stringify(ARTICLE_3));
        return;
      }
      out(['level', 'rank', ...LANGS].join('\t'));
      for (const row of ARTICLE_3) out([row.id, String(row.rank), ...LANGS.map((l) => row.spelling[l])].join('\t'));
    });

  addServiceCommands(program, `grif ${version()}`);
  addUsersCommands(program);
  addNoticeCommands(program);
  addTransferCommands(program);
  addReceiveCommand(program);
  addDisposalCommands(program);
  addDestroyCommand(program);
  addInventoryCommand(program);
  program.addCommand(registerCommand().copyInheritedSettings(program));

  return program;
}

/** The exit status: an ExitCode, or one of VerifyExit's. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? ExitCode.ok);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message (or the help) already.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof GrifError) {
      process.stderr.write(`grif: ${printable(err.message)}\n`);
      return err.exitCode;
    }
    process.stderr.write(`grif: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return ExitCode.input;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
