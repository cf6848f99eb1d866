/** `grif register`: lists and exports the register (Art. 6.2). It only reads: it never creates a register. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { GrifError } from '../errors.js';
import { latestDecision, statusOf, toCsv, toJsonLines } from '../register/export.js';
import { openRegister, parseRegisterUrl } from '../register/open-register.js';
import type { RegisterEntry } from '../register/register.js';
import { searchRegister } from '../register/search.js';
import { printable } from './printable.js';

export const DEFAULT_REGISTER_URL = './grif-data/register.sqlite';

interface RegisterFlags {
  register?: string;
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


function table(entries: readonly RegisterEntry[]): string {
  const rows = entries.map((e) => {
    const d = latestDecision(e);
    return [e.receivedAt.slice(0, 16).replace('T', ' '), e.id, `${e.from}→${e.to}`, e.kind, statusOf(e), d?.level ?? '-', printable(e.name)];
  });
  const head = ['received (UTC)', 'id', 'dir', 'kind', 'status', 'level', 'name'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // The name is last and not padded: it is the one column of unbounded width.
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

function whereFrom(flags: RegisterFlags): { url: string; source: string } {
  if (flags.register) return { url: flags.register, source: '--register' };
  const env = process.env.GRIF_REGISTER_URL?.trim();
  if (env) return { url: env, source: 'GRIF_REGISTER_URL' };
  return { url: DEFAULT_REGISTER_URL, source: 'the default' };
}

export function registerCommand(): Command {
  return new Command('register')
    .description('list the register (Art. 6.2): every carrier and copy received, newest first, with the decisions taken on it')
    .option('--register <url>', `the register: a SQLite file, sqlite:PATH or postgres://… (default: $GRIF_REGISTER_URL, else ${DEFAULT_REGISTER_URL})`)
    .addOption(new Option('--json', 'one JSON object per line: each carrier with all its events').conflicts('csv'))
    .option('--csv', 'CSV, one line per carrier with its latest decision (cells that would run as formulas start with \')')
    .option('--search <text>', 'only carriers with these words in their name, id or incoming number, SHA-256, level (in any language: "совершенно", "өте құпия", "top secret"), decidedBy, reference or date (2026-03-04 or 04.03.2026); case and look-alike letters do not matter')
    .option('--limit <n>', 'at most this many carriers', positiveInt)
    .exitOverride()
    .action(async (flags: RegisterFlags) => {
      const { url, source } = whereFrom(flags);
      const location = parseRegisterUrl(url);
      if (location.backend === 'sqlite' && !existsSync(location.path)) {
        throw new GrifError(
          `there is no register at ${location.path} (${source}); it is made when the service first registers a carrier. ` +
            'Name another with --register PATH|postgres://… or GRIF_REGISTER_URL.',
          { code: 'register' },
        );
      }
      const register = await openRegister(url, { create: false });
      try {
        const { entries } = await searchRegister(register, {
          ...(flags.search !== undefined ? { search: flags.search } : {}),
          ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
        });
        if (flags.json) process.stdout.write(toJsonLines(entries));
        else if (flags.csv) process.stdout.write(toCsv(entries));
        else {
          const total = await register.count();
          if (entries.length > 0) process.stdout.write(table(entries));
          const matching = flags.search ? ` matching ${JSON.stringify(flags.search)}` : '';
          process.stdout.write(`${entries.length} carrier(s)${matching} shown; the register holds ${total.carriers} carrier(s) and ${total.events} event(s)\n`);
        }
      } finally {
        await register.close();
      }
    });
}
