// The drop-folder watcher against real files and real chokidar, with short waits.
import { appendFile, mkdir, mkdtemp, rename, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRouting } from '../../src/intake/inbox-layout.js';
import { watchInbox, type InboxFile, type InboxProblem, type InboxWatcherOptions } from '../../src/intake/inbox-watcher.js';

const STABLE = 200;
const RESCAN = 500;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

async function waitFor(cond: () => boolean, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(25);
  }
}

let root: string;
let inbox: string;
let files: InboxFile[];
let problems: InboxProblem[];
let watcher: { close(): Promise<void>; rescan(): Promise<void> } | undefined;

async function start(over: Partial<InboxWatcherOptions> = {}) {
  watcher = await watchInbox({
    inbox,
    stableMs: STABLE,
    rescanMs: RESCAN,
    // These tests' files are not real PDFs: taken once still, complete or not (but see 'a copy that pauses').
    incompleteMs: STABLE,
    onFile: async (f) => {
      files.push(f);
    },
    onProblem: async (p) => {
      problems.push(p);
    },
    ...over,
  });
  return watcher;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'grif-inbox-'));
  inbox = join(root, 'inbox');
  await mkdir(join(inbox, 'from-KZ'), { recursive: true });
  await mkdir(join(inbox, 'from-KG'), { recursive: true });
  files = [];
  problems = [];
});

afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  await rm(root, { recursive: true, force: true });
});

describe('watchInbox', () => {
  it('takes a file in from-KZ once, from KZ to KG', async () => {
    await start();
    const path = join(inbox, 'from-KZ', 'letter.pdf');
    await writeFile(path, 'x'.repeat(100));
    await waitFor(() => files.length > 0);
    await sleep(RESCAN * 2.5); // rescans and events come and go: still once
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ path, name: 'letter.pdf', from: 'KZ', to: 'KG', russian: false, size: 100 });
    expect(files[0]).not.toHaveProperty('derivedFrom');
    expect(problems).toEqual([]);
  });

  it('reads the folder name case-insensitively: FROM-kg goes from KG to KZ', async () => {
    await mkdir(join(inbox, 'FROM-kg'));
    await start();
    await writeFile(join(inbox, 'FROM-kg', 'a.pdf'), 'a');
    await waitFor(() => files.length > 0);
    expect(files[0]).toMatchObject({ from: 'KG', to: 'KZ' });
  });

  it('takes a file that was there before the watcher started', async () => {
    await writeFile(join(inbox, 'from-KG', 'old.pdf'), 'old');
    await start({ rescanMs: 60_000 });
    await waitFor(() => files.length > 0);
    expect(files[0]).toMatchObject({ name: 'old.pdf', from: 'KG', to: 'KZ' });
  });

  it('leaves .part, .tmp, .crdownload and dot files alone until renamed', async () => {
    await start();
    const part = join(inbox, 'from-KZ', 'scan.pdf.part');
    await writeFile(part, 'partial');
    await writeFile(join(inbox, 'from-KZ', '.hidden.pdf'), 'h');
    await writeFile(join(inbox, 'from-KZ', 'b.pdf.crdownload'), 'b');
    await writeFile(join(inbox, 'from-KZ', 'c.TMP'), 'c');
    await sleep(RESCAN * 2);
    expect(files).toEqual([]);
    await rename(part, join(inbox, 'from-KZ', 'scan.pdf'));
    await waitFor(() => files.length > 0);
    expect(files.map((f) => f.name)).toEqual(['scan.pdf']);
    expect(problems).toEqual([]);
  });

  it('does not take a file still being written', async () => {
    await start();
    const path = join(inbox, 'from-KZ', 'big.pdf');
    await writeFile(path, '');
    for (let i = 0; i < 15; i++) {
      await appendFile(path, 'y'.repeat(1000));
      await sleep(STABLE / 4);
      expect(files).toEqual([]);
    }
    await waitFor(() => files.length > 0);
    expect(files).toHaveLength(1);
    expect(files[0]!.size).toBe(15_000);
  });

  it('a copy that pauses halfway is not taken until it is finished: half a PDF, 5 s still, the rest', async () => {
    await start({ incompleteMs: 60_000 });
    const path = join(inbox, 'from-KZ', 'paused.pdf');
    const whole = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20_000, 0x41), Buffer.from('\ntrailer\n<<>>\n%%EOF\n')]);
    await writeFile(path, whole.subarray(0, 10_000));
    await sleep(5000);
    expect(files).toEqual([]);
    await appendFile(path, whole.subarray(10_000));
    await waitFor(() => files.length > 0);
    await sleep(RESCAN * 2);
    expect(files).toHaveLength(1);
    expect(files[0]!.size).toBe(whole.length);
  }, 20_000);

  it('takes a file that stays incomplete once it has been still for incompleteMs (to be refused as damaged)', async () => {
    await start({ incompleteMs: 1500 });
    const path = join(inbox, 'from-KZ', 'cut.png');
    await writeFile(path, Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    await sleep(STABLE * 2);
    expect(files).toEqual([]);
    await waitFor(() => files.length > 0);
    expect(files[0]).toMatchObject({ name: 'cut.png', size: 7 });
  }, 20_000);

  it('lets a sidecar override the folder and give russian and derivedFrom', async () => {
    await start();
    await writeFile(join(inbox, 'from-KZ', 'copy.pdf.json'), JSON.stringify({ from: 'KG', russian: true, derivedFrom: 'abc123' }));
    await writeFile(join(inbox, 'from-KZ', 'copy.pdf'), 'c');
    await writeFile(join(inbox, 'root.pdf.json'), JSON.stringify({ from: 'kz', to: 'KG' }));
    await writeFile(join(inbox, 'root.pdf'), 'r');
    await waitFor(() => files.length >= 2);
    await sleep(RESCAN);
    const byName = Object.fromEntries(files.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['copy.pdf', 'root.pdf']); // the sidecars are not carriers
    expect(byName['copy.pdf']).toMatchObject({ from: 'KG', to: 'KZ', russian: true, derivedFrom: 'abc123' });
    expect(byName['root.pdf']).toMatchObject({ from: 'KZ', to: 'KG', russian: false });
    expect(problems).toEqual([]);
  });

  it('reports a bad sidecar once per version, goes on with the others, and takes the file once fixed', async () => {
    await start();
    const side = join(inbox, 'from-KZ', 'bad.pdf.json');
    await writeFile(side, '{"from": "KZ",');
    await writeFile(join(inbox, 'from-KZ', 'bad.pdf'), 'b');
    await writeFile(join(inbox, 'from-KZ', 'same.pdf.json'), '{"from": "KZ", "to": "KZ"}');
    await writeFile(join(inbox, 'from-KZ', 'same.pdf'), 's');
    await writeFile(join(inbox, 'from-KZ', 'ru.pdf.json'), '{"from": "RU"}');
    await writeFile(join(inbox, 'from-KZ', 'ru.pdf'), 'r');
    await writeFile(join(inbox, 'from-KZ', 'good.pdf'), 'g');
    await waitFor(() => problems.length >= 3 && files.length >= 1);
    await sleep(RESCAN * 2);
    expect(files.map((f) => f.name)).toEqual(['good.pdf']);
    expect(problems).toHaveLength(3);
    const msg = Object.fromEntries(problems.map((p) => [p.name, p.message]));
    expect(msg['bad.pdf']).toMatch(/bad\.pdf\.json is not valid JSON/);
    expect(msg['same.pdf']).toMatch(/both KZ/);
    expect(msg['ru.pdf']).toMatch(/"from" must be "KZ" or "KG", not "RU"/);

    await writeFile(side, '{"from": "KZ"}');
    await waitFor(() => files.length >= 2);
    expect(files[1]).toMatchObject({ name: 'bad.pdf', from: 'KZ', to: 'KG' });
  });

  it('asks for a sending Party when a file in inbox/ has no sidecar', async () => {
    await start();
    await writeFile(join(inbox, 'orphan.pdf'), 'o');
    await waitFor(() => problems.length > 0);
    expect(problems[0]).toMatchObject({ name: 'orphan.pdf', path: join(inbox, 'orphan.pdf') });
    expect(problems[0]!.message).toBe(
      'no sending Party: put it in inbox/from-KZ/ or inbox/from-KG/, or add orphan.pdf.json',
    );
    // Adding the sidecar afterwards is enough.
    await writeFile(join(inbox, 'orphan.pdf.json'), '{"to": "KZ"}');
    await waitFor(() => files.length > 0);
    expect(files[0]).toMatchObject({ from: 'KG', to: 'KZ' });
  });

  it('retries a file whose onFile rejected at the next rescan', async () => {
    let calls = 0;
    const errors: unknown[] = [];
    await start({
      onFile: async (f) => {
        calls++;
        if (calls === 1) throw new Error('redis down');
        files.push(f);
      },
      onError: (e) => errors.push(e),
    });
    await writeFile(join(inbox, 'from-KG', 'retry.pdf'), 'r');
    await writeFile(join(inbox, 'from-KG', 'other.pdf'), 'o');
    await waitFor(() => files.length >= 2);
    expect(calls).toBe(3);
    expect(files.map((f) => f.name).sort()).toEqual(['other.pdf', 'retry.pdf']);
    expect(errors).toHaveLength(1);
    await sleep(RESCAN * 2);
    expect(calls).toBe(3);
  });

  it('takes a file again after it went away and came back with the same size and mtime', async () => {
    await start();
    const path = join(inbox, 'from-KZ', 'again.pdf');
    await writeFile(path, 'a');
    await utimes(path, 1_700_000_000, 1_700_000_000);
    await waitFor(() => files.length === 1);
    await rename(path, join(root, 'moved.pdf')); // what the pipeline does
    await sleep(RESCAN * 1.5);
    await writeFile(path, 'a');
    await utimes(path, 1_700_000_000, 1_700_000_000);
    await waitFor(() => files.length === 2);
    expect(files[1]!.mtimeMs).toBe(files[0]!.mtimeMs);
  });

  it('refuses a link to a file outside the inbox, takes a link inside it', async () => {
    await writeFile(join(root, 'secret.pdf'), 's');
    await writeFile(join(inbox, 'from-KZ', 'real.pdf.txt'), 'real');
    await start();
    await symlink(join(root, 'secret.pdf'), join(inbox, 'from-KZ', 'outside.pdf'));
    await symlink(join(inbox, 'from-KZ', 'real.pdf.txt'), join(inbox, 'from-KG', 'inside.pdf'));
    await waitFor(() => problems.length >= 1 && files.length >= 2);
    await sleep(RESCAN);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ name: 'outside.pdf' });
    expect(problems[0]!.message).toMatch(/outside the inbox/);
    expect(files.map((f) => f.name).sort()).toEqual(['inside.pdf', 'real.pdf.txt']);
    expect(files.find((f) => f.name === 'inside.pdf')).toMatchObject({ from: 'KG', size: 4 });
  });

  it('reports other folders once and does not enter them', async () => {
    await mkdir(join(inbox, 'archive'));
    await writeFile(join(inbox, 'archive', 'x.pdf'), 'x');
    await mkdir(join(inbox, 'from-KZ', 'batch'));
    await writeFile(join(inbox, 'from-KZ', 'batch', 'y.pdf'), 'y');
    await start();
    await sleep(RESCAN * 2.5);
    expect(files).toEqual([]);
    expect(problems.map((p) => p.name).sort()).toEqual(['archive', 'batch']);
    expect(problems.find((p) => p.name === 'batch')!.message).toMatch(/put the files themselves in from-KZ\//);
  });

  it('works on OS events alone, without rescans', async () => {
    await start({ rescanMs: 60_000 });
    await writeFile(join(inbox, 'from-KZ', 'event.pdf'), 'e');
    await waitFor(() => files.length > 0);
    expect(files[0]).toMatchObject({ name: 'event.pdf' });
  });

  it('works in polling mode (no rescans to help)', async () => {
    await start({ polling: true, pollMs: 100, rescanMs: 60_000 });
    expect(process.getActiveResourcesInfo()).toContain('StatWatcher');
    await writeFile(join(inbox, 'from-KG', 'polled.pdf'), 'p');
    await waitFor(() => files.length > 0);
    expect(files[0]).toMatchObject({ name: 'polled.pdf', from: 'KG', to: 'KZ' });
  });

  it.each([false, true])('close() stops everything and leaves no handles open (polling %s)', async (polling) => {
    const count = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const before = { fs: count('FSEventWrap'), stat: count('StatWatcher'), timers: count('Timeout') };
    const w = await start({ polling, pollMs: 100 });
    expect(count(polling ? 'StatWatcher' : 'FSEventWrap')).toBeGreaterThan(polling ? before.stat : before.fs);
    await writeFile(join(inbox, 'from-KZ', 'pending.pdf'), 'p'); // a stability timer will be running
    await sleep(150);
    await w.close();
    await w.close(); // twice is fine
    // fs.watch handles finish closing a loop turn or two after close() (libuv closes them async).
    await waitFor(() => count('FSEventWrap') === before.fs && count('StatWatcher') === before.stat, 1000);
    expect(count('Timeout')).toBeLessThanOrEqual(before.timers);
    await writeFile(join(inbox, 'from-KZ', 'late.pdf'), 'l');
    await sleep(RESCAN * 1.5);
    expect(files).toEqual([]);
    await w.rescan(); // a no-op once closed
  });

  it('close() waits for an onFile in progress', async () => {
    let started = false;
    let finished = false;
    const w = await start({
      onFile: async () => {
        started = true;
        await sleep(300);
        finished = true;
      },
    });
    await writeFile(join(inbox, 'from-KZ', 'slow.pdf'), 's');
    await waitFor(() => started);
    expect(finished).toBe(false);
    await w.close();
    expect(finished).toBe(true);
  });
});

describe('resolveRouting', () => {
  it('defaults to the folder and the other Party', () => {
    expect(resolveRouting('a.pdf', 'KZ', undefined)).toEqual({ ok: true, routing: { from: 'KZ', to: 'KG', russian: false } });
  });
  it('takes "to" alone as meaning the other Party sends', () => {
    expect(resolveRouting('a.pdf', undefined, '{"to":"KG"}')).toMatchObject({ ok: true, routing: { from: 'KZ', to: 'KG' } });
  });
  it('refuses unknown fields (a misspelt derivedFrom must not pass silently)', () => {
    const r = resolveRouting('a.pdf', 'KZ', '{"dervedFrom":"x"}');
    expect(r).toEqual({ ok: false, message: expect.stringMatching(/unknown field "dervedFrom"/), code: 'inbox/bad-sidecar' });
  });
  it('refuses wrong types', () => {
    expect(resolveRouting('a.pdf', 'KZ', '[1]').ok).toBe(false);
    expect(resolveRouting('a.pdf', 'KZ', '{"russian":"yes"}').ok).toBe(false);
    expect(resolveRouting('a.pdf', 'KZ', '{"derivedFrom":""}').ok).toBe(false);
    expect(resolveRouting('a.pdf', 'KZ', '{"from":1}').ok).toBe(false);
  });
});
