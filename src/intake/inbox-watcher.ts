/**
 * The drop folder: hands each fully written carrier to the pipeline once, with its Parties.
 *
 * Layout (see inbox-layout.ts): `inbox/from-KZ/*`, `inbox/from-KG/*`, or any file in `inbox/` or
 * those folders with a sidecar `NAME.json`. Only those two levels are read: any other folder in
 * `inbox/`, and any folder inside `from-XX/`, is reported once through onProblem and never
 * entered, so a clerk learns why its files are not taken.
 *
 * Two triggers, one rule. chokidar events make intake quick; a periodic full readdir walk makes
 * sure a missed event (network shares, overflowing inotify queues) only delays a file. Either
 * trigger leads to the same check: a file is taken when its size and mtime (and its sidecar's)
 * have not changed for `stableMs`, measured by us, so both paths agree on "fully written".
 *
 * The watcher never modifies or deletes a file; the pipeline moves it once its result is written.
 */
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { watch, type FSWatcher } from 'chokidar';
import type { PartyId } from '../core/index.js';
import { looksComplete } from './complete-file.js';
import {
  carrierPathOf,
  folderParty,
  isSidecarName,
  isUnfinishedName,
  resolveRouting,
  sidecarPathOf,
} from './inbox-layout.js';

export interface InboxFile {
  /** Absolute. */
  path: string;
  /** Basename. */
  name: string;
  from: PartyId;
  to: PartyId;
  russian: boolean;
  derivedFrom?: string;
  transfer?: string;
  senderReference?: string;
  joint?: boolean;
  size: number;
  mtimeMs: number;
}

export interface InboxProblem {
  path: string;
  name: string;
  /** For a clerk: what is wrong and what to do. */
  message: string;
  /** The same for a page: inbox/no-party, inbox/bad-sidecar, inbox/unreadable, inbox/link, inbox/not-a-file, inbox/folder. */
  code?: string;
}

export interface InboxWatcherOptions {
  inbox: string;
  onFile(f: InboxFile): Promise<void>;
  onProblem(p: InboxProblem): Promise<void>;
  /** Poll instead of OS events, for network shares. */
  polling?: boolean;
  /** Polling interval when `polling` (default 1000 ms). */
  pollMs?: number;
  /** Periodic full rescan (default 30000 ms). */
  rescanMs?: number;
  /** Size and mtime unchanged this long = fully written (default 2000 ms). */
  stableMs?: number;
  /**
   * A file still incomplete (no PDF trailer, no PNG end…; complete-file.ts) after being still this
   * long is taken anyway, to be refused as damaged with its reason (default 10 minutes).
   */
  incompleteMs?: number;
  /** How many onFile calls may run at once (default 4). */
  concurrency?: number;
  /** The watcher's own failures (a rejected onFile, an unreadable folder); it goes on regardless. */
  onError?(err: unknown): void;
}

export interface InboxWatcher {
  close(): Promise<void>;
  rescan(): Promise<void>;
}

const MAX_SIDECAR_BYTES = 64 * 1024;

type Snapshot =
  | { kind: 'gone' }
  | { kind: 'problem'; sig: string; message: string; code: string }
  | { kind: 'file'; sig: string; fileSig: string; file: InboxFile; complete: boolean };

/** Where a path sits in the layout: a carrier location (with its folder's Party) or nothing we read. */
function locate(inbox: string, path: string): { folder: PartyId | undefined } | undefined {
  const rel = relative(inbox, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const parts = rel.split(sep);
  if (parts.some(isUnfinishedName)) return undefined;
  if (parts.length === 1) return { folder: undefined };
  if (parts.length === 2 && parts[0] !== undefined) {
    const folder = folderParty(parts[0]);
    return folder ? { folder } : undefined;
  }
  return undefined;
}

const sigOf = (s: Stats): string => `${s.size}:${s.mtimeMs}`;

export async function watchInbox(opts: InboxWatcherOptions): Promise<InboxWatcher> {
  const inbox = resolve(opts.inbox);
  const stableMs = opts.stableMs ?? 2000;
  const incompleteMs = opts.incompleteMs ?? 10 * 60_000;
  const rescanMs = opts.rescanMs ?? 30_000;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const onError = opts.onError ?? ((): void => {});

  /** Versions already handed to onFile (carrier size+mtime), never handed again while unchanged. */
  const taken = new Map<string, string>();
  /** Problems already reported (carrier + sidecar version), reported once per version. */
  const reported = new Map<string, string>();
  /** First sighting of the current version, for the stability rule. */
  const seen = new Map<string, { sig: string; since: number }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const busy = new Map<string, Promise<void>>();
  /** Triggered while busy: look again when done, so an event is not lost. */
  const dirty = new Set<string>();
  let closed = false;
  let running = 0;
  const waiting: Array<() => void> = [];

  async function slot<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((res) => waiting.push(res));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  async function realInbox(): Promise<string> {
    try {
      return await realpath(inbox);
    } catch {
      return inbox;
    }
  }

  async function snapshot(path: string, folder: PartyId | undefined): Promise<Snapshot> {
    const name = basename(path);
    let st: Stats;
    try {
      st = await lstat(path);
      if (st.isSymbolicLink()) {
        // A link may point anywhere; take it only when its target is inside the inbox.
        const root = await realInbox();
        let target: string;
        try {
          target = await realpath(path);
        } catch {
          return { kind: 'problem', sig: `link:${sigOf(st)}`, message: `${name} is a link to nothing: drop the file itself`, code: 'inbox/link' };
        }
        const rel = relative(root, target);
        if (rel.startsWith('..') || isAbsolute(rel)) {
          return { kind: 'problem', sig: `link:${sigOf(st)}`, message: `${name} is a link to a file outside the inbox: copy the file itself into the inbox`, code: 'inbox/link' };
        }
        st = await stat(path);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'gone' };
      return { kind: 'problem', sig: `err:${code}`, message: `${name} cannot be read (${code ?? String(err)}): check its permissions`, code: 'inbox/unreadable' };
    }
    if (!st.isFile()) {
      return { kind: 'problem', sig: `type:${sigOf(st)}`, message: `${name} is not a regular file (a folder or a device?): only files are taken`, code: 'inbox/not-a-file' };
    }
    const fileSig = sigOf(st);

    let sidecar: string | undefined;
    let sideSig = '-';
    const sidePath = sidecarPathOf(path);
    try {
      const ss = await lstat(sidePath);
      sideSig = sigOf(ss);
      if (!ss.isFile()) {
        return { kind: 'problem', sig: `${fileSig}|${sideSig}`, message: `${basename(sidePath)} must be a plain file, not a link or a folder`, code: 'inbox/bad-sidecar' };
      }
      if (ss.size > MAX_SIDECAR_BYTES) {
        return { kind: 'problem', sig: `${fileSig}|${sideSig}`, message: `${basename(sidePath)} is too large to be a sidecar (${ss.size} bytes)`, code: 'inbox/bad-sidecar' };
      }
      sidecar = await readFile(sidePath, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') {
        return { kind: 'problem', sig: `${fileSig}|err:${code}`, message: `${basename(sidePath)} cannot be read (${code ?? String(err)})`, code: 'inbox/bad-sidecar' };
      }
    }
    const sig = `${fileSig}|${sideSig}`;
    const routing = resolveRouting(name, folder, sidecar);
    if (!routing.ok) return { kind: 'problem', sig, message: routing.message, code: routing.code };
    return {
      kind: 'file',
      sig,
      fileSig,
      file: { path, name, ...routing.routing, size: st.size, mtimeMs: st.mtimeMs },
      complete: await looksComplete(path, name, st.size).catch(() => true),
    };
  }

  function forget(path: string): void {
    taken.delete(path);
    reported.delete(path);
    seen.delete(path);
    const t = timers.get(path);
    if (t) clearTimeout(t);
    timers.delete(path);
  }

  function schedule(path: string, ms: number): void {
    if (closed || timers.has(path)) return;
    timers.set(
      path,
      setTimeout(() => {
        timers.delete(path);
        trigger(path);
      }, Math.max(1, ms)),
    );
  }

  /** Something may have happened to `path`: look at it (now, or after the current look). */
  function trigger(path: string): void {
    if (closed || timers.has(path)) return;
    if (busy.has(path)) {
      dirty.add(path);
      return;
    }
    const loc = locate(inbox, path);
    if (!loc || isSidecarName(basename(path))) return;
    const job = check(path, loc.folder)
      .catch(onError)
      .finally(() => {
        busy.delete(path);
        if (dirty.delete(path)) trigger(path);
      });
    busy.set(path, job);
  }

  async function check(path: string, folder: PartyId | undefined): Promise<void> {
    const snap = await snapshot(path, folder);
    if (closed) return;
    if (snap.kind === 'gone') return forget(path);
    if (snap.kind === 'file' && taken.get(path) === snap.fileSig) return;
    if (snap.kind === 'problem' && reported.get(path) === snap.sig) return;

    const now = performance.now();
    const first = seen.get(path);
    if (!first || first.sig !== snap.sig) {
      seen.set(path, { sig: snap.sig, since: now });
      return schedule(path, stableMs);
    }
    if (now - first.since < stableMs) return schedule(path, first.since + stableMs - now);
    // Still, but not finished (a copy that paused): looked at again until it is, or until it has
    // been still so long that it is taken as it is (and refused as damaged, with the reason).
    if (snap.kind === 'file' && !snap.complete && now - first.since < incompleteMs) return schedule(path, Math.min(stableMs, first.since + incompleteMs - now));
    seen.delete(path);

    if (snap.kind === 'problem') {
      await report(path, snap.sig, snap.message, snap.code);
      return;
    }
    await slot(async () => {
      if (closed) return;
      try {
        await opts.onFile(snap.file);
        taken.set(path, snap.fileSig);
        reported.delete(path);
      } catch (err) {
        onError(err); // not remembered: the next rescan offers it again
      }
    });
  }

  async function report(path: string, sig: string, message: string, code: string): Promise<void> {
    try {
      await opts.onProblem({ path, name: basename(path), message, code });
      reported.set(path, sig);
    } catch (err) {
      onError(err);
    }
  }

  /** A folder we do not enter: say so once. */
  function reportFolder(path: string, message: string): void {
    if (closed || reported.has(path) || busy.has(path)) return;
    const job = report(path, 'folder', message, 'inbox/folder').finally(() => busy.delete(path));
    busy.set(path, job);
  }

  async function entries(dir: string): Promise<Dirent[]> {
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onError(err);
      return [];
    }
  }

  async function walk(): Promise<void> {
    const present = new Set<string>();
    for (const e of await entries(inbox)) {
      if (isUnfinishedName(e.name)) continue;
      const p = join(inbox, e.name);
      present.add(p);
      if (!e.isDirectory()) {
        trigger(p);
        continue;
      }
      if (!folderParty(e.name)) {
        reportFolder(p, `folder ${e.name}/ is not read: put carriers in inbox/from-KZ/ or inbox/from-KG/`);
        continue;
      }
      for (const f of await entries(p)) {
        if (isUnfinishedName(f.name)) continue;
        const fp = join(p, f.name);
        present.add(fp);
        if (f.isDirectory()) reportFolder(fp, `folders inside ${e.name}/ are not read: put the files themselves in ${e.name}/`);
        else trigger(fp);
      }
    }
    // Files that went away (moved on by the pipeline) are forgotten, so a new drop under the
    // same name and mtime (cp -p) is taken again. Checked one by one: a file may have arrived
    // after its folder was listed.
    for (const path of new Set([...taken.keys(), ...reported.keys(), ...seen.keys()])) {
      if (present.has(path)) continue;
      try {
        await lstat(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !busy.has(path)) forget(path);
      }
    }
  }

  let scanning: Promise<void> | undefined;
  function rescan(): Promise<void> {
    if (closed) return Promise.resolve();
    scanning ??= walk()
      .catch(onError)
      .finally(() => (scanning = undefined));
    return scanning;
  }

  const watcher: FSWatcher = watch(inbox, {
    ignoreInitial: true, // the first rescan covers what is already there
    followSymlinks: false,
    depth: 1,
    usePolling: opts.polling ?? false,
    interval: opts.pollMs ?? 1000,
    binaryInterval: opts.pollMs ?? 1000,
    // Not watched: unfinished names, and anything below a folder we do not read.
    ignored: (p: string) => {
      const rel = relative(inbox, p);
      if (!rel) return false;
      const parts = rel.split(sep);
      if (parts.some(isUnfinishedName)) return true;
      return parts.length > 2 || (parts.length === 2 && parts[0] !== undefined && !folderParty(parts[0]));
    },
  });
  watcher.on('all', (event, path) => {
    const abs = resolve(inbox, path);
    const carrier = isSidecarName(abs) ? carrierPathOf(abs) : abs;
    if (event === 'add' || event === 'change') trigger(carrier);
    else if (event === 'unlink') {
      if (carrier === abs) forget(abs);
      else trigger(carrier); // a sidecar went away: the carrier's routing changed
    } else if (event === 'addDir' && dirname(abs) === inbox) void rescan(); // a new folder: report or read it now
    else if (event === 'unlinkDir') void rescan();
  });
  watcher.on('error', onError);
  await new Promise<void>((res) => watcher.once('ready', res));

  await rescan();
  const interval = setInterval(() => void rescan(), rescanMs);

  return {
    rescan,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(interval);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      for (const release of waiting.splice(0)) release();
      await watcher.close();
      await scanning;
      await Promise.allSettled([...busy.values()]);
    },
  };
}
