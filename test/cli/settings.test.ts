// Settings in one module (src/cli/settings.ts): every command with a data directory takes --dir and
// GRIF_DIR alike, every command that opens the register finds it the same way, and README's table
// lists exactly the settings the code has.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/cli/settings.js';
import { ROOT } from '../helpers/carriers.js';

const GRIF = join(ROOT, 'bin', 'grif');

function grif(args: readonly string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GRIF_') && k !== 'REDIS_URL'));
  return spawnSync(GRIF, args, { cwd: ROOT, encoding: 'utf8', env: { ...clean, ...env } });
}

const WITH_DIR = ['up', 'worker', 'serve', 'retry', 'reconcile', 'register', 'users add', 'users list', 'users remove'];

describe('settings', () => {
  it.each(WITH_DIR)('grif %s takes --dir, defaulting to $GRIF_DIR', (cmd) => {
    const help = grif([...cmd.split(' '), '--help']).stdout;
    expect(help).toMatch(/--dir <DIR>/);
    expect(help).toMatch(/\$GRIF_DIR/);
  });

  it('grif register, register verify and reconcile find the register through GRIF_DIR, and say so when it is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grif-settings-'));
    for (const args of [['register'], ['register', 'verify'], ['reconcile']]) {
      const r = grif(args, { GRIF_DIR: dir });
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toContain(`there is no register at ${join(dir, 'register.sqlite')} (--dir / GRIF_DIR)`);
    }
    // A flag wins over the environment.
    const other = mkdtempSync(join(tmpdir(), 'grif-settings-'));
    expect(grif(['register', '--dir', other], { GRIF_DIR: dir }).stderr).toContain(join(other, 'register.sqlite'));
  });

  it('grif up refuses a GRIF_TOKEN shorter than 16 characters before it starts anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grif-settings-'));
    const r = grif(['up', '--dir', dir, '--port', '0'], { GRIF_TOKEN: 'short' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/at least 16 characters/);
    expect(existsSync(join(dir, 'redis'))).toBe(false);
  });

  it.each(['up', 'worker', 'detect', 'stamp'])('grif %s takes --max-memory-mb, else GRIF_MAX_MEMORY_MB, and refuses a bad value before it starts anything', (cmd) => {
    const dir = mkdtempSync(join(tmpdir(), 'grif-settings-'));
    expect(grif([cmd, '--help']).stdout).toContain('--max-memory-mb <N>');
    const args = cmd === 'detect' || cmd === 'stamp' ? [cmd, ...(cmd === 'stamp' ? ['--from', 'KZ', '--to', 'KG', '--out', dir] : []), join(ROOT, 'samples', 'carriers', 'digital-kk-top-secret.pdf')] : [cmd, '--dir', dir, '--redis', 'redis://127.0.0.1:1'];
    const r = grif(args, { GRIF_MAX_MEMORY_MB: '32' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/GRIF_MAX_MEMORY_MB must be a whole number of MiB from 64 to 65536 \(got "32"\)/);
    expect(existsSync(join(dir, 'redis'))).toBe(false);
  });

  it('README lists every setting the code has, and no other', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| Environment | Flag | Default | What |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    const listed = rows.map((r) => /^\| `([A-Z_]+)`/.exec(r)?.[1]).filter(Boolean);
    expect([...listed].sort()).toEqual(Object.values(SETTINGS).map((s) => s.env).sort());
  });
});
