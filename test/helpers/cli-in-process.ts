/**
 * A grif command run in this process, as main() runs it, with what it writes captured: its stdout
 * and stderr, its exit code (process.exitCode, or a GrifError's own, whose message then goes to
 * stderr as main() writes it), and any error it threw. For tests of one command's output against
 * real registers and data directories, without starting a process per call.
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { GrifError } from '../../src/errors.js';

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What it threw, if anything (a GrifError, commander's own CommanderError, …). */
  readonly error?: unknown;
}

/** Runs `args` (as typed after `grif`) against a program made by `build` (an addXCommand, or a ready command). */
export async function runInProcess(build: ((program: Command) => void) | Command, args: readonly string[]): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const before = process.exitCode;
  process.exitCode = 0;
  try {
    let program: Command;
    if (build instanceof Command) program = build;
    else {
      program = new Command().exitOverride();
      build(program);
    }
    await program.parseAsync([...args], { from: 'user' });
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } catch (error) {
    // As grif's main() answers: a GrifError's message and exit code.
    if (error instanceof GrifError) return { code: error.exitCode, stdout, stderr: stderr + `grif: ${error.message}\n`, error };
    return { code: 1, stdout, stderr, error };
  } finally {
    process.exitCode = before;
    out.mockRestore();
    err.mockRestore();
  }
}
