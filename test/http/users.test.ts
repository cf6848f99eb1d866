// The users file (src/http/users.ts): only hashes kept, tokens checked in constant time against
// every entry, atomic add and remove, and a running service seeing changes without a restart.
import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addUser, findUser, hashToken, loadUsers, removeUser, UserStore, usersFileOf, UsersError, type UserRecord } from '../../src/http/users.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

let tmp: string;
let n = 0;
let file: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'grif-users-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  file = usersFileOf(join(tmp, `data-${++n}`));
});

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('the users file', () => {
  it('is DIR/users.json', () => {
    expect(usersFileOf('/srv/grif-data')).toBe('/srv/grif-data/users.json');
  });

  it('keeps only the SHA-256 of a new token, in a file only its owner reads', async () => {
    const { user, token } = await addUser(file, '  А.  Клерк ', 'clerk', new Date('2025-03-01T10:00:00Z'));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(user).toEqual({ name: 'А. Клерк', tokenSha256: sha256(token), created: '2025-03-01T10:00:00.000Z', role: 'clerk' });
    expect(hashToken(token)).toBe(sha256(token));
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(token);
    expect(JSON.parse(text)).toEqual([user]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    // No temporary file left beside it.
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(file, '..'))).toEqual(['users.json']);
  });

  it('gives every user a different token, and refuses a name taken (whatever its case)', async () => {
    const a = await addUser(file, 'А. Клерк');
    const b = await addUser(file, 'Б. Проверяющая');
    expect(a.token).not.toBe(b.token);
    await expect(addUser(file, 'а. КЛЕРК')).rejects.toThrow(/already a user "А\. Клерк"/);
    expect((await loadUsers(file)).map((u) => u.name)).toEqual(['А. Клерк', 'Б. Проверяющая']);
  });

  it('refuses names that are empty, too long, or hold control or direction characters', async () => {
    for (const bad of ['', '   ', 'x'.repeat(201), 'A\u0007B', 'A\u202eB']) await expect(addUser(file, bad)).rejects.toThrow(UsersError);
    expect(await loadUsers(file)).toEqual([]);
  });

  it('removes a user by name; the others stay', async () => {
    await addUser(file, 'А. Клерк');
    const b = await addUser(file, 'Б. Проверяющая');
    expect((await removeUser(file, 'а. клерк')).name).toBe('А. Клерк');
    const left = await loadUsers(file);
    expect(left.map((u) => u.name)).toEqual(['Б. Проверяющая']);
    expect(findUser(left, b.token)?.name).toBe('Б. Проверяющая');
    await expect(removeUser(file, 'А. Клерк')).rejects.toThrow(/no user "А\. Клерк"/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('is empty when missing, and refuses a broken one with the reason', async () => {
    expect(await loadUsers(file)).toEqual([]);
    await addUser(file, 'x');
    await writeFile(file, '{ not json');
    await expect(loadUsers(file)).rejects.toThrow(/not JSON/);
    await writeFile(file, JSON.stringify([{ name: 'x', tokenSha256: 'abc' }]));
    await expect(loadUsers(file)).rejects.toThrow(/entry 1 needs .* 64 hex digits/);
    await writeFile(file, JSON.stringify({ name: 'x' }));
    await expect(loadUsers(file)).rejects.toThrow(/JSON array/);
  });
});

describe('checking a token', () => {
  const users: UserRecord[] = ['a', 'b', 'c', 'd'].map((t, i) => ({ name: `user ${i}`, tokenSha256: sha256(`token-${t}`), created: '', role: 'clerk' as const }));

  it('finds the holder of a token, and nobody for any other', () => {
    expect(findUser(users, 'token-a')?.name).toBe('user 0');
    expect(findUser(users, 'token-d')?.name).toBe('user 3');
    for (const other of [undefined, '', 'token-e', 'token-a ', 'TOKEN-A', sha256('token-a')]) expect(findUser(users, other)).toBeUndefined();
    expect(findUser([], 'token-a')).toBeUndefined();
  });

  it('compares with every stored hash in constant time, whether or not an early one matched', () => {
    const equal = vi.mocked(crypto.timingSafeEqual);
    for (const token of ['token-a', 'token-c', 'nobody', 'a much longer token than any of the others, which must not matter']) {
      equal.mockClear();
      findUser(users, token);
      expect(equal, token).toHaveBeenCalledTimes(users.length);
      // Always two 32-byte digests: the token's length does not show.
      for (const [x, y] of equal.mock.calls) {
        expect((x as Buffer).length).toBe(32);
        expect((y as Buffer).length).toBe(32);
      }
    }
  });
});

describe('the service\'s view of the file', () => {
  it('sees users added and removed without a restart', async () => {
    const store = new UserStore(file);
    expect(await store.open()).toEqual([]);
    const a = await addUser(file, 'А. Клерк');
    expect((await store.identify(a.token))?.name).toBe('А. Клерк');
    const b = await addUser(file, 'Б. Проверяющая');
    expect((await store.identify(b.token))?.name).toBe('Б. Проверяющая');
    await removeUser(file, 'А. Клерк');
    expect(await store.identify(a.token)).toBeUndefined();
    expect((await store.identify(b.token))?.name).toBe('Б. Проверяющая');
    await rm(file);
    expect(await store.identify(b.token)).toBeUndefined();
  });

  it('reads the file again when its mtime changes (an edit in place), and not otherwise', async () => {
    const a = await addUser(file, 'А. Клерк');
    const store = new UserStore(file);
    await store.open();
    const spy = vi.spyOn(JSON, 'parse');
    try {
      for (let i = 0; i < 5; i++) expect((await store.identify(a.token))?.name).toBe('А. Клерк');
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    // Edited in place (same inode, same size): only the mtime says it changed.
    const renamed = (await readFile(file, 'utf8')).replace('А. Клерк', 'А. Писарь');
    const before = await stat(file);
    await writeFile(file, renamed);
    const later = new Date(before.mtimeMs + 5_000);
    await utimes(file, later, later);
    expect((await stat(file)).ino).toBe(before.ino);
    expect((await store.identify(a.token))?.name).toBe('А. Писарь');
  });

  it('lets no user in while the file is broken, says so once, and recovers when it is fixed', async () => {
    const a = await addUser(file, 'А. Клерк');
    const problems: string[] = [];
    const store = new UserStore(file, (err) => problems.push(err.message));
    await store.open();
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.slice(0, 20));
    await utimes(file, new Date(Date.now() + 10_000), new Date(Date.now() + 10_000));
    expect(await store.identify(a.token)).toBeUndefined();
    expect(await store.identify(a.token)).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not JSON/);
    await writeFile(file, good);
    await utimes(file, new Date(Date.now() + 20_000), new Date(Date.now() + 20_000));
    expect((await store.identify(a.token))?.name).toBe('А. Клерк');
  });

  it('refuses to open a broken file (the service then does not start)', async () => {
    await writeFile(join(tmp, 'broken.json'), '[{"name": "x"}]');
    await expect(new UserStore(join(tmp, 'broken.json')).open()).rejects.toThrow(UsersError);
  });
});
