/**
 * `grif register`: lists and exports the register (Art. 6.2), and `grif register verify` checks
 * its hash chain. Both only read: they never create a register.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { GrifError } from '../errors.js';
import { latestDecision, statusOf, toCsv, toJsonLines } from '../register/export.js';
import { formatIncoming } from '../register/incoming.js';
import { openRegister, parseRegisterUrl } from '../register/open-register.js';
import type { Register, RegisterEntry } from '../register/register.js';
import { searchRegister } from '../register/search.js';
import { printable } from './printable.js';
import { dirOption, incomingFormatOption, registerLocation, registerOption } from './settings.js';

/** Exit status of `grif register verify` when the chain is broken (2 stays "could not run"). */
export const EXIT_CHAIN_BROKEN = 3;

interface RegisterFlags {
  dir: string;
  register?: string;
  incomingFormat: string;
  json?: boolean;
  csv?: boolean;
  search?: string;
  limit?: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('--limit must be a whole number above 0.');
  return n;
}


function table(entries: readonly RegisterEntry[], format: string): string {
  const rows = entries.map((e) => {
    const d = latestDecision(e);
    return [formatIncoming(e.incoming, format) || '-', e.receivedAt.slice(0, 16).replace('T', ' '), e.id, `${e.from}→${e.to}`, e.kind, statusOf(e), d?.level ?? '-', printable(e.name)];
  });
  const head = ['incoming', 'received (UTC)', 'id', 'dir', 'kind', 'status', 'level', 'name'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The name is last and not padded: it is the one column of unbounded width.
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** Opens an existing register (to read it, or to record in it); a register that is not there is said so, never made. */
export async function openToRead(flags: Pick<RegisterFlags, 'dir' | 'register'>): Promise<Register> {
  const { url, source } = registerLocation(flags);
  const location = parseRegisterUrl(url);
  if (location.backend === 'sqlite' && !existsSync(location.path)) {
    throw new GrifError(
      `there is no register at ${location.path} (${source}); it is made when the service first registers a carrier. ` +
        'Name another with --dir DIR, --register PATH|postgres://… or GRIF_REGISTER_URL.',
      { code: 'register' },
    );
  }
  return openRegister(url, { create: false });
}

function withLocation(cmd: Command): Command {
  return cmd
    .addOption(dirOption('the data directory whose register.sqlite to read'))
    .addOption(registerOption());
}

function verifyCommand(): Command {
  // --dir and --register are the parent's (`grif register --dir D verify` and `grif register verify --dir D` alike).
  return new Command('verify')
    .description(`recompute the register's hash chain over every event and carrier row: exit 0 when intact, ${EXIT_CHAIN_BROKEN} naming the first broken link (a row deleted or edited outside grif)`)
    .option('--json', 'one JSON object: ok, events, carriers, head, problem')
    .exitOverride()
    .action(async (_local: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<Pick<RegisterFlags, 'dir' | 'register' | 'json'>>();
      const register = await openToRead(flags);
      try {
        const report = await register.verify();
        if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
        else if (report.ok) {
          process.stdout.write(`the register's chain is intact: ${report.events} event(s) over ${report.carriers} carrier(s); head: event ${report.head.n}, ${report.head.hash}\n`);
        } else process.stdout.write(`the register's chain is BROKEN: ${report.problem}\n`);
        if (!report.ok) process.exitCode = EXIT_CHAIN_BROKEN;
      } finally {
        await register.close();
      }
    });
}

export function registerCommand(): Command {
  return withLocation(new Command('register'))
    .description('list the register (Art. 6.2): every carrier and copy received, newest first, with its incoming number and the decisions taken on it; `grif register verify` checks its hash chain')
    .addOption(new Option('--json', 'one JSON object per line: each carrier with all its events').conflicts('csv'))
    .option('--csv', 'CSV, one line per carrier with its latest decision (cells that would run as formulas start with \')')
    .option('--search <text>', 'only carriers with these words in their name, id or incoming number, SHA-256, level (in any language: "совершенно", "өте құпия", "top secret"), decidedBy, reference or date (2026-03-04 or 04.03.2026); case and look-alike letters do not matter')
    .option('--limit <n>', 'at most this many carriers', positiveInt)
    .addOption(incomingFormatOption('in the register'))
    .addCommand(verifyCommand())
    .exitOverride()
    .action(async (flags: RegisterFlags) => {
      const register = await openToRead(flags);
      try {
        const { entries } = await searchRegister(register, {
          ...(flags.search !== undefined ? { search: flags.search } : {}),
          ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        });
        if (flags.json) process.stdout.write(toJsonLines(entries));
        else if (flags.csv) process.stdout.write(toCsv(entries, flags.incomingFormat));
        else {
          const total = await register.count();
          if (entries.length > 0) process.stdout.write(table(entries, flags.incomingFormat));
          const matching = flags.search ? ` matching ${JSON.stringify(flags.search)}` : '';
          process.stdout.write(`${entries.length} carrier(s)${matching} shown; the register holds ${total.carriers} carrier(s) and ${total.events} event(s)\n`);
        }
      } finally {
        await register.close();
      }
    });
}
