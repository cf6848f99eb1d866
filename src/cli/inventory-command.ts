/**
 * `grif inventory [--as-of DATE] [--since DATE] [--csv|--json]`: the account of every carrier and
 * copy (Art. 6.2) as of a day, from the register alone (service/inventory.ts). The text says
 * whether the numbers add up (received = on hand + returned + destroyed, for carriers and copies);
 * an account that does not is an error (exit 1): the register would not be telling the truth.
 */
import type { Command } from 'commander';
import { isDate } from '../core/notice.js';
import { ExitCode, GrifError, UsageError } from '../errors.js';
import { accountAddsUp, addsUp, inventoryCsv, inventoryOf, yearStart, type Inventory } from '../service/inventory.js';
import { openToRead } from './register-command.js';
import { localDay } from '../service/notices.js';
import { today } from './notice-commands.js';
import { dirOption, incomingFormatOption, registerOption } from './settings.js';

const day = (flag: string, v: string | undefined): string | undefined => {
  if (v !== undefined && !isDate(v)) throw new UsageError(`${flag} must be a date, YYYY-MM-DD (got ${JSON.stringify(v)})`);
  return v;
};

export function inventoryText(inv: Inventory): string {
  const out: string[] = [`Inventory as of ${inv.asOf} (returns and destructions from ${inv.since})`];
  const c = inv.carriers;
  const k = inv.copies;
  out.push(`carriers: received ${c.received} = on hand ${c.onHand} + returned ${c.returned} + destroyed ${c.destroyed}${addsUp(c) ? '' : '  DOES NOT ADD UP'}`);
  out.push(`copies:   made ${k.received} = held ${k.onHand} + returned ${k.returned} + destroyed ${k.destroyed}${addsUp(k) ? '' : '  DOES NOT ADD UP'}`);
  out.push('on hand, by sending Party and level:');
  const parties = Object.keys(inv.onHandBy).sort();
  if (!parties.length) out.push('  none');
  for (const p of parties) {
    out.push(`  from ${p}: ${Object.entries(inv.onHandBy[p]!).map(([level, n]) => `${level} ${n}`).join(', ')}`);
  }
  const overdue = inv.notices.filter((n) => n.overdue).length;
  out.push(`level-change notices: ${inv.notices.length} pending, ${overdue} overdue`);
  for (const n of inv.notices) out.push(`  ${n.incoming}  to ${n.change}  due ${n.due}${n.overdue ? '  OVERDUE' : ''}`);
  out.push(`returned and destroyed from ${inv.since}: ${inv.ended.length}`);
  for (const l of inv.ended) {
    out.push(`  ${l.incoming}${l.copy !== null ? ` copy № ${l.copy}` : ''}  ${l.standing}  ${l.ended!.at.slice(0, 10)}  ${l.ended!.reference ?? ''}`.trimEnd());
  }
  return out.join('\n') + '\n';
}

export function addInventoryCommand(program: Command): void {
  program
    .command('inventory')
    .description('the account of every carrier and copy as of a day (Art. 6.2): on hand by level and sending Party, copies held, notices pending or overdue, returned and destroyed in a period; received = on hand + returned + destroyed')
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(incomingFormatOption('in the account'))
    .option('--as-of <YYYY-MM-DD>', 'the day the account is as of, at its end (default: today, or $GRIF_TODAY)')
    .option('--since <YYYY-MM-DD>', 'the first day of the period for returns and destructions (default: 1 January of --as-of)')
    .option('--csv', 'one row per carrier and copy, as CSV')
    .option('--json', 'the account as JSON')
    .action(async (f: { dir: string; register?: string; incomingFormat: string; asOf?: string; since?: string; csv?: boolean; json?: boolean }) => {
      if (f.csv && f.json) throw new UsageError('choose one of --csv and --json');
      const asOf = today(f.asOf, '--as-of');
      const since = day('--since', f.since) ?? yearStart(asOf);
      if (since > asOf) throw new UsageError(`--since ${since} is after --as-of ${asOf}`);
      const register = await openToRead(f);
      try {
        const inv = inventoryOf(await register.list(), asOf, since, (iso) => localDay(new Date(iso)), f.incomingFormat);
        process.stdout.write(f.csv ? inventoryCsv(inv) : f.json ? JSON.stringify(inv, null, 2) + '\n' : inventoryText(inv));
        if (!accountAddsUp(inv)) {
          throw new GrifError('the account does not add up (received ≠ on hand + returned + destroyed): check the register (grif register verify)', { code: 'internal', exitCode: ExitCode.input });
        }
      } finally {
        await register.close();
      }
    });
}
