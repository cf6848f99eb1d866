/**
 * Per-user tokens: DIR/users.json (mode 0600) lists who may sign in with a token of their own,
 * `[{ "name", "tokenSha256", "created", "role" }]` (role: clerk, reviewer or admin; roles.ts). Only the SHA-256 of each token is kept; the token
 * itself is shown once, by `grif users add`. A review decision made with a user's token is
 * recorded under that user's name. The service re-reads the file when it changes (a new inode,
 * size or mtime: `grif users add` writes it atomically), so adding or removing a user needs no
 * restart.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { GrifError } from '../errors.js';
import { writeAtomically } from '../stamp/write-output.js';
import { isRole, ROLES, type Role } from './roles.js';

export const USERS_FILE = 'users.json';
export const MAX_NAME_LENGTH = 200;

export interface UserRecord {
  readonly name: string;
  /** SHA-256 of the token, 64 lowercase hex digits. */
  readonly tokenSha256: string;
  /** When the user was added (ISO 8601). */
  readonly created: string;
  /** What they may do (roles.ts); a user written before there were roles is a clerk. */
  readonly role: Role;
}

export class UsersError extends GrifError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'users', exitCode: 2, cause });
  }
}

/** DIR/users.json. */
export const usersFileOf = (dir: string): string => join(resolve(dir), USERS_FILE);

/** A new token, a user's or the service's: 32 random bytes, base64url (43 characters). */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** A token's SHA-256: what is stored, and what is compared (in constant time, at a fixed length). */
export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
export const hashToken = (token: string): string => tokenDigest(token).toString('hex');

/** A name as stored and compared: NFC, trimmed, inner runs of white space made one space. */
export function normalName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ');
}

const sameName = (a: string, b: string): boolean => normalName(a).toLocaleLowerCase() === normalName(b).toLocaleLowerCase();

/** Refuses a name the register could not show as given: empty, too long, or with control or direction characters. */
export function checkName(raw: string): string {
  const name = normalName(raw);
  if (!name) throw new UsersError('a user needs a name (the one the register records with their decisions)');
  if (name.length > MAX_NAME_LENGTH) throw new UsersError(`a user's name is at most ${MAX_NAME_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) {
    throw new UsersError('a user\'s name may not hold control or text-direction characters');
  }
  return name;
}

function parseUsers(text: string, file: string): UserRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsersError(`${file}: not JSON (${(err as Error).message}); fix it, or remove it and add the users again with grif users add`, err);
  }
  if (!Array.isArray(data)) throw new UsersError(`${file}: must be a JSON array of { "name", "tokenSha256", "created" }`);
  const users: UserRecord[] = [];
  for (const [i, u] of data.entries()) {
    const { name, tokenSha256, created, role } = (typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof tokenSha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(tokenSha256)) {
      throw new UsersError(`${file}: entry ${i + 1} needs a "name" and a "tokenSha256" of 64 hex digits`);
    }
    if (role !== undefined && !isRole(role)) throw new UsersError(`${file}: entry ${i + 1} has the role ${JSON.stringify(role)}; a role is one of ${ROLES.join(', ')}`);
    users.push({ name: checkName(name), tokenSha256: tokenSha256.toLowerCase(), created: typeof created === 'string' ? created : '', role: role ?? 'clerk' });
  }
  return users;
}

/** The users in the file; none when there is no file. */
export async function loadUsers(file: string): Promise<UserRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new UsersError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, err);
  }
  return parseUsers(text, file);
}

/**
 * The user whose token this is. Every stored hash is compared, in constant time, whether or not
 * an earlier one matched: how long it takes says nothing about which entry (if any) matched.
 */
export function findUser(users: readonly UserRecord[], token: string | undefined): UserRecord | undefined {
  if (token === undefined || token === '') return undefined;
  const candidate = tokenDigest(token);
  let found: UserRecord | undefined;
  for (const u of users) {
    const stored = Buffer.from(u.tokenSha256, 'hex');
    if (timingSafeEqual(stored, candidate) && found === undefined) found = u;
  }
  return found;
}

async function save(file: string, users: readonly UserRecord[]): Promise<void> {
  const text = JSON.stringify(users, null, 2) + '\n';
  await mkdir(dirname(file), { recursive: true });
  await writeAtomically(file, Buffer.from(text, 'utf8'), { inputs: [], force: true, mode: 0o600 });
}

/** Adds a user with a new token; the token is returned once and kept nowhere. */
export async function addUser(file: string, rawName: string, role: Role = 'clerk', now: Date = new Date()): Promise<{ user: UserRecord; token: string }> {
  const name = checkName(rawName);
  if (!isRole(role)) throw new UsersError(`${String(role)} is not a role; a role is one of ${ROLES.join(', ')}`);
  const users = await loadUsers(file);
  const taken = users.find((u) => sameName(u.name, name));
  if (taken) throw new UsersError(`there is already a user "${taken.name}" (remove them first to give them a new token)`);
  const token = newToken();
  const user: UserRecord = { name, tokenSha256: hashToken(token), created: now.toISOString(), role };
  await save(file, [...users, user]);
  return { user, token };
}

/** Removes a user (the name compared without regard to case); their token stops working at once. */
export async function removeUser(file: string, rawName: string): Promise<UserRecord> {
  const users = await loadUsers(file);
  const gone = users.find((u) => sameName(u.name, rawName));
  if (!gone) throw new UsersError(`there is no user "${normalName(rawName)}" in ${file}`);
  await save(file, users.filter((u) => u !== gone));
  return gone;
}

/**
 * The users file as the service sees it: looked at on every request (one stat), read again when
 * it changed. A file that cannot be read or parsed lets no user in (the service token still
 * works) until it is fixed; `onProblem` hears of it once per version of the file.
 */
export class UserStore {
  private users: readonly UserRecord[] = [];
  private version: string | undefined;

  constructor(
    readonly file: string,
    private readonly onProblem: (err: UsersError) => void = () => undefined,
  ) {}

  /** Reads the file now; throws if it is there but unreadable (for a clear error at start). */
  async open(): Promise<readonly UserRecord[]> {
    const version = await this.versionOf();
    this.users = await loadUsers(this.file);
    this.version = version;
    return this.users;
  }

  private async versionOf(): Promise<string> {
    try {
      const s = await stat(this.file, { bigint: true });
      return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      return `error:${(err as NodeJS.ErrnoException).code ?? ''}`;
    }
  }

  /** The users now. */
  async current(): Promise<readonly UserRecord[]> {
    const version = await this.versionOf();
    if (version === this.version) return this.users;
    try {
      this.users = await loadUsers(this.file);
    } catch (err) {
      this.users = [];
      this.onProblem(err instanceof UsersError ? err : new UsersError(String(err), err));
    }
    this.version = version;
    return this.users;
  }

  async identify(token: string | undefined): Promise<UserRecord | undefined> {
    if (token === undefined || token === '') return undefined;
    return findUser(await this.current(), token);
  }
}
