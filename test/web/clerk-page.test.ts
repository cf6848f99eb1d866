// The clerks' web page end to end, in Debian's headless Chromium driven by playwright-core,
// against `grif up` (the HTTP intake, the stage workers and the drop-folder watcher in one
// process) on a real Redis: upload two carriers, see one stamped and one held for review, decide
// the review, download the stamped PDFs and read their markings back with `grif detect`.
// Screenshots of each screen go to .tmp/screenshots/ for a person to look at.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWebAsset } from '../../src/http/web.js';
import { REVIEW_REASON_CODES } from '../../src/service/reason-codes.js';
import { ROOT } from '../helpers/carriers.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { EVENT_KINDS } from '../../src/register/register.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const TOKEN = 'web-test-token-0123456789abcdef';
const SHOTS = join(ROOT, '.tmp', 'screenshots');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const WEB = join(ROOT, 'web');
const LANGS = ['ru', 'kk', 'ky', 'en'] as const;

if (!HAVE_CHROMIUM) {
  console.warn(`test/web: skipped: no Chromium at ${CHROMIUM} (Debian package "chromium"; scripts/setup.sh installs it)`);
}

// Rejection codes the service writes beside its English error (GrifError codes, a person's
// rejection, the drop folder's); the page says each in its own words.
const REJECTION_CODES = [
  'input/encrypted',
  'input/damaged',
  'input/wrong-content',
  'input/unsupported-type',
  'input/too-many-pages',
  'input/too-many-pixels',
  'input/too-large',
  'input/too-much-memory',
  'extract/crashed',
  'ocr/timeout',
  'ocr/failed',
  'stamp/failed',
  'review/refused',
  'review/rejected',
  'internal',
  'inbox/no-party',
  'inbox/bad-sidecar',
  'inbox/too-large',
  'inbox/refused',
];

const dictionary = (lang: string): Record<string, string> => JSON.parse(readFileSync(join(WEB, 'public', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;

// The dictionaries need no browser: every language has every key, the placeholders match, and
// every key the page asks for exists.
describe('the dictionaries', () => {
  const en = dictionary('en');
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it.each(LANGS)('%s has every key, with the same placeholders, and no empty text', (lang) => {
    const d = dictionary(lang);
    expect(Object.keys(d).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(d)) {
      expect(v.trim(), `${lang} ${k}`).not.toBe('');
      expect(placeholders(v), `${lang} ${k}`).toEqual(placeholders(en[k]!));
    }
  });

  it('holds every key the page uses', () => {
    const used = new Set<string>();
    const html = readFileSync(join(WEB, 'public', 'index.html'), 'utf8');
    for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) used.add(m[1]!);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1]!.split(';')) used.add(pair.split(':')[1]!.trim());
    for (const f of readdirSync(join(WEB, 'src'))) {
      for (const m of readFileSync(join(WEB, 'src', f), 'utf8').matchAll(/\bt\('([a-zA-Z.-]+)'/g)) used.add(m[1]!);
    }
    // Keys made from the service's words.
    for (const s of ['queued', 'extracting', 'detecting', 'stamping', 'stamped', 'unmarked', 'already-marked', 'review', 'rejected', 'parked']) used.add(`stage.${s}`).add(`badge.${s}`);
    for (const s of ['waiting', 'uploading', 'failed']) used.add(`badge.${s}`);
    for (const l of ['special-importance', 'top-secret', 'secret']) used.add(`level.${l}`);
    for (const l of ['kk', 'ky', 'ru']) used.add(`lang.${l}`);
    for (const p of ['KZ', 'KG']) used.add(`party.${p}`);
    for (const v of ['conflict', 'review', 'marked', 'unmarked']) used.add(`verdict.${v}`);
    for (const e of EVENT_KINDS) used.add(`event.${e}`);
    for (const e of ['strong', 'weak']) used.add(`evidence.${e}`);
    for (const c of REVIEW_REASON_CODES) used.add(`reason.${c}`);
    for (const c of REJECTION_CODES) used.add(`rejection.${c}`);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });
});

describe('the page\'s own files', () => {
  it('are open without the token; nothing else is', () => {
    for (const p of ['/', '/index.html', '/web/js/main.js', '/web/i18n/kk.json', '/web/style.css']) expect(isWebAsset(p), p).toBe(true);
    for (const p of ['/review', '/carriers', '/web', '/web/../review', '/web/%2e%2e/review', '/web/..%2freview', '/queues', '/index.htm', '//']) expect(isWebAsset(p), p).toBe(false);
  });
});

interface Detected {
  status: string;
  level: string | null;
  stamps: { lang: string; level: string; page: number; evidence: string }[];
}

async function detect(file: string): Promise<Detected> {
  const { stdout } = await run(process.execPath, [CLI, 'detect', '--json', '--no-progress', file], { cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n')[0]!) as Detected;
}

describe.skipIf(!HAVE_CHROMIUM)('the clerks\' page in Chromium, against grif up with Redis and workers', () => {
  let redis: TestRedis;
  let tmp: string;
  let service: ChildProcess;
  let serviceLog = '';
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  const shot = async (name: string) => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const card = (name: string) => page.locator('#uploads li.card').filter({ has: page.locator('.card-name', { hasText: name }) });

  beforeAll(async () => {
    // The page itself (vitest's global setup builds the service; the page is built here the same way npm run build does).
    await run('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, timeout: 120_000 });
    await mkdir(SHOTS, { recursive: true });
    redis = await startTestRedis();
    tmp = await mkdtemp(join(tmpdir(), 'grif-web-'));
    service = spawn(process.execPath, [CLI, 'up', '--dir', join(tmp, 'data'), '--port', '0', '--ocr-workers', '2', '--log-level', 'warn'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: redis.url, GRIF_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`grif up did not start in 60 s:\n${serviceLog}`)), 60_000);
      const onData = (b: Buffer) => {
        serviceLog += b.toString();
        const m = /HTTP on (http:\/\/[^\s]+?)\.? Ctrl-C/.exec(serviceLog);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      service.stderr!.on('data', onData);
      service.stdout!.on('data', (b: Buffer) => (serviceLog += b.toString()));
      service.once('exit', (code) => reject(new Error(`grif up exited (${code}):\n${serviceLog}`)));
    });

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // No network here: without these, Chromium keeps trying to reach Google's services.
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A laptop screen; a fresh profile (Playwright gives every context its own).
    context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU', acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (m) => {
      // The wrong token tried at sign-in is answered 401, which Chromium reports as a failed load.
      if (m.type() === 'error' && !/status of 401/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    if (service && service.exitCode === null) {
      const exited = new Promise((r) => service.once('exit', r));
      service.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (service.exitCode === null) service.kill('SIGKILL');
    }
    await redis?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }, 60_000);

  it('loads without a token, asks for one, and refuses a wrong one', async () => {
    await page.goto(url);
    await expect.poll(() => page.locator('#signin').isVisible()).toBe(true);
    // The browser says Russian: the page speaks Russian.
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    expect(await page.locator('#signin-title').textContent()).toBe('Вход');
    await page.getByLabel('Токен').fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => page.locator('#signin-error').textContent()).toMatch(/не принимает этот токен/);
    await shot('01-sign-in');

    await page.getByLabel('Токен').fill(TOKEN);
    await page.getByLabel(/Ваше имя/).fill('А. Клерк');
    // By keyboard: Enter submits the form.
    await page.getByLabel('Токен').press('Enter');
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    expect(await page.evaluate('sessionStorage.getItem("grif.token")')).toBe(TOKEN);
    expect(await page.locator('#nav-intake').getAttribute('aria-current')).toBe('page');
  }, 30_000);

  it('uploads two carriers: one is stamped, one waits for review', async () => {
    await page.getByLabel('Республика Казахстан').check();
    // The drop zone is a label for the file input, so keyboard users reach the chooser by Tab.
    await page.locator('#file-input').focus();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('file-input');
    await page.locator('#file-input').setInputFiles([join(FIXTURES, 'digital-ru-secret.pdf'), join(FIXTURES, 'conflict-kk-ru.pdf')]);
    await expect.poll(() => page.locator('#uploads li.card').count()).toBe(2);
    await shot('02-intake-uploading');

    const stamped = card('digital-ru-secret.pdf');
    const held = card('conflict-kk-ru.pdf');
    await expect.poll(() => stamped.getAttribute('data-stage'), { timeout: 60_000 }).toBe('stamped');
    // The verdict: the level found, where, and the Kyrgyz marking added.
    await expect.poll(() => stamped.locator('.facts').textContent()).toMatch(/Секретно — русский, стр\. 1/);
    expect(await stamped.locator('.facts').textContent()).toMatch(/жашыруун \(кыргызский\)/i);
    // Both previews loaded.
    await expect.poll(() => stamped.locator('img.preview').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth)), { timeout: 30_000 }).toEqual([1000, 1000]);

    await expect.poll(() => held.getAttribute('data-stage'), { timeout: 90_000 }).toBe('review');
    expect(await held.locator('.status-text').textContent()).toBe('Требуется проверка человеком');
    // Why, in the page's language with the levels named as it names them; the service's English folded away under details.
    await expect.poll(() => held.locator('.facts .reasons').textContent()).toMatch(/^Найденные грифы не являются эквивалентами по статье 3 \((Особой важности|Совершенно секретно|Секретно)(, (Особой важности|Совершенно секретно|Секретно))+\)/);
    const english = held.locator('.facts details.english');
    expect(await english.locator('summary').textContent()).toBe(dictionary('ru')['details.english']);
    expect(await english.getAttribute('open')).toBeNull();
    expect(await english.textContent()).toMatch(/stamps are not Article 3 equivalents/);
    await shot('03-intake-results');
  }, 150_000);

  it('downloads the stamped PDF, and grif detect reads the receiving side\'s marking on it', async () => {
    const stamped = card('digital-ru-secret.pdf');
    const [download] = await Promise.all([page.waitForEvent('download'), stamped.getByRole('button', { name: /Скачать PDF с грифом/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^digital-ru-secret\.pdf\.[0-9a-f]{8}-KZ-KG\.stamped\.pdf$/);
    const file = join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const d = await detect(file);
    expect(d).toMatchObject({ status: 'marked', level: 'secret' });
    expect(d.stamps).toEqual(expect.arrayContaining([expect.objectContaining({ lang: 'ky', level: 'secret', page: 1 }), expect.objectContaining({ lang: 'ru', level: 'secret' })]));

    const [receipt] = await Promise.all([page.waitForEvent('download'), stamped.getByRole('button', { name: /Скачать квитанцию/ }).click()]);
    const receiptFile = join(tmp, receipt.suggestedFilename());
    await receipt.saveAs(receiptFile);
    expect(JSON.parse(readFileSync(receiptFile, 'utf8'))).toMatchObject({ status: 'stamped', level: 'secret', from: 'KZ', to: 'KG' });
  }, 60_000);

  it('shows the review with the stamps outlined; a decision sends the carrier on to be stamped', async () => {
    await card('conflict-kk-ru.pdf').getByRole('link', { name: 'Открыть в проверке' }).click();
    await expect.poll(() => page.locator('#review').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#review-detail h3').textContent()).toBe('conflict-kk-ru.pdf');
    expect(await page.locator('#review-list a[aria-current="true"]').count()).toBe(1);
    // The page image, with a box around each stamp found on it.
    const preview = page.locator('#review-detail img.preview');
    await expect.poll(() => preview.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth), { timeout: 30_000 }).toBe(1000);
    const boxes = page.locator('#review-detail .stamp-box');
    expect(await boxes.count()).toBeGreaterThanOrEqual(2);
    const img = (await preview.boundingBox())!;
    for (const b of await boxes.all()) {
      const r = (await b.boundingBox())!;
      expect(r.width).toBeGreaterThan(5);
      expect(r.x).toBeGreaterThanOrEqual(img.x - 1);
      expect(r.x + r.width).toBeLessThanOrEqual(img.x + img.width + 1);
      expect(r.y).toBeGreaterThanOrEqual(img.y - 1);
    }
    const rows = await page.locator('#review-detail table tbody tr').count();
    expect(rows).toBe(await boxes.count());

    // Why a person must decide: in Russian, the service's English one click away.
    const reasons = page.locator('#review-detail .reasons');
    expect(await reasons.textContent()).toMatch(/^Найденные грифы не являются эквивалентами по статье 3 \(.+\): степень секретности определяет человек\./);
    expect(await reasons.textContent()).not.toMatch(/equivalent/);
    const details = page.locator('#review-detail details.english');
    expect(await details.locator('summary').textContent()).toBe('Подробности (текст службы на английском)');
    expect(await details.locator('[lang="en"]').isVisible()).toBe(false);
    await details.locator('summary').click();
    await expect.poll(() => details.locator('[lang="en"]').isVisible()).toBe(true);
    expect(await details.locator('[lang="en"]').textContent()).toMatch(/stamps are not Article 3 equivalents/);
    await shot('04-review');

    // In Kazakh once the language is switched (and back to Russian for the rest).
    await page.getByLabel('Язык', { exact: true }).selectOption('kk');
    await expect.poll(() => page.locator('#review-detail .reasons').textContent()).toMatch(/^Табылған грифтер 3-бап бойынша өзара баламалы емес \((Аса маңызды|Өте құпия|Құпия)(, (Аса маңызды|Өте құпия|Құпия))+\)/);
    expect(await page.locator('#review-detail details.english summary').textContent()).toBe(dictionary('kk')['details.english']);
    await shot('04b-review-kazakh');
    await page.getByLabel('Тіл', { exact: true }).selectOption('ru');
    await expect.poll(() => page.locator('#review-detail .reasons').textContent()).toMatch(/^Найденные грифы/);

    // A level below the evidence cannot be chosen; the suggested one is the lowest allowed.
    const options = await page.locator('#decision-level option').evaluateAll((os) =>
      os.map((o) => ({ value: (o as unknown as { value: string }).value, disabled: (o as unknown as { disabled: boolean }).disabled })),
    );
    const allowed = options.filter((o) => !o.disabled).map((o) => o.value);
    expect(allowed.length).toBeGreaterThan(0);
    const chosen = await page.locator('#decision-level').inputValue();
    expect(allowed).toContain(chosen);

    // The reference is required: the form says so and keeps the focus on it.
    await page.getByRole('button', { name: 'Установить гриф и проставить' }).click();
    await expect.poll(() => page.locator('.decision .form-message').textContent()).toMatch(/реквизиты/);
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('decision-reference');
    expect(await page.getByLabel('Кто принял решение').inputValue()).toBe('А. Клерк');

    await page.getByLabel(/Реквизиты письменного разрешения/).fill('Письмо № 17/2024');
    await page.getByRole('button', { name: 'Установить гриф и проставить' }).click();
    await expect.poll(() => page.locator('#review-detail .decided').textContent()).toMatch(/Решение записано в реестр/);
    await shot('05-review-decided');
    await expect.poll(() => page.locator('#review-list').textContent()).toMatch(/Носителей, ожидающих проверки, нет/);

    // Back to Intake: the carrier goes on and is stamped at the level decided.
    await page.getByRole('link', { name: 'Следить в разделе «Приём»' }).click();
    const held = card('conflict-kk-ru.pdf');
    await expect.poll(() => held.getAttribute('data-stage'), { timeout: 60_000 }).toBe('stamped');
    await expect.poll(() => held.locator('.facts').textContent()).toMatch(/Письмо № 17\/2024/);
    const [download] = await Promise.all([page.waitForEvent('download'), held.getByRole('button', { name: /Скачать PDF с грифом/ }).click()]);
    const file = join(tmp, download.suggestedFilename());
    await download.saveAs(file);
    const d = await detect(file);
    // The conflicting markings stay on the carrier; the Kyrgyz marking added carries the level decided.
    expect(d.stamps).toEqual(expect.arrayContaining([expect.objectContaining({ lang: 'ky', level: chosen, page: 1 })]));
    await held.locator('img.preview').last().scrollIntoViewIfNeeded();
    await expect.poll(() => held.locator('img.preview').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth)), { timeout: 30_000 }).toEqual([1000, 1000]);
    await shot('06-intake-after-review');
  }, 150_000);

  it('lists the register, finds by name, and exports CSV', async () => {
    await page.getByRole('link', { name: 'Реестр' }).click();
    await expect.poll(() => page.locator('#register').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#register-rows tr').count()).toBe(2);
    expect(await page.locator('#register-rows').textContent()).toMatch(/Письмо № 17\/2024/);
    await shot('07-register');
    await page.getByLabel('Поиск').fill('conflict');
    await page.getByLabel('Поиск').press('Enter');
    await expect.poll(() => page.locator('#register-rows tr').count()).toBe(1);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить CSV' }).click()]);
    expect(csv.suggestedFilename()).toBe('grif-register.csv');
    const file = join(tmp, 'register.csv');
    await csv.saveAs(file);
    const text = readFileSync(file, 'utf8');
    // A byte-order mark first, for spreadsheet programs.
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toMatch(/^incoming,id,receivedAt,name/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/conflict-kk-ru\.pdf/);
  }, 30_000);

  it('finds carriers by a level word in any language; a row opens the carrier: its status, events and downloads', async () => {
    const ru = dictionary('ru');
    const search = async (q: string) => {
      await page.getByLabel('Поиск').fill(q);
      await page.getByLabel('Поиск').press('Enter');
      await expect.poll(() => page.locator('#register-summary').textContent()).toContain(`«${q}»`);
      return page.locator('#register-rows tr .row-link').allTextContents();
    };
    // A word of a level's name in Cyrillic: the carrier decided "Совершенно секретно", not the "Секретно" one.
    expect(await search('совершенно')).toEqual(['conflict-kk-ru.pdf']);
    expect(await page.locator('#register-summary').textContent()).toMatch(/найдено: 1/);
    expect(await search('Өте құпия')).toEqual(['conflict-kk-ru.pdf']);
    expect(await search('АБДАН ЖАШЫРУУН')).toEqual(['conflict-kk-ru.pdf']);
    // A level's whole name, in Kazakh: that level only.
    expect(await search('құпия')).toEqual(['digital-ru-secret.pdf']);
    // Who decided and the decision's reference.
    expect(await search('клерк 17/2024')).toEqual(['conflict-kk-ru.pdf']);
    expect(await search('секретно')).toEqual(['digital-ru-secret.pdf']);

    // A click anywhere on the row opens the carrier.
    await page.locator('#register-rows tr').first().locator('td').first().click();
    await expect.poll(() => page.locator('#register-detail h3').textContent()).toBe('digital-ru-secret.pdf');
    expect(page.url()).toMatch(/#register\/[0-9a-f]{32}-KZ-KG$/);
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('register-detail-title');
    const detail = page.locator('#register-detail');
    expect(await detail.locator('.status .badge').textContent()).toBe(ru['badge.stamped']);
    // Its events from the register: read, then stamped.
    const events = detail.locator('table.events tbody tr');
    await expect.poll(() => events.count()).toBeGreaterThanOrEqual(2);
    expect(await events.last().locator('th').textContent()).toBe(ru['event.stamped']);
    expect(await events.last().textContent()).toContain('Секретно');
    // Page 1 before and after, and the downloads the intake card offers.
    await expect.poll(() => detail.locator('img.preview').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth)), { timeout: 30_000 }).toEqual([1000, 1000]);
    await shot('07b-register-carrier');
    const [download] = await Promise.all([page.waitForEvent('download'), detail.getByRole('button', { name: /Скачать PDF с грифом/ }).click()]);
    const file = join(tmp, `register-${download.suggestedFilename()}`);
    await download.saveAs(file);
    expect(await detect(file)).toMatchObject({ status: 'marked', level: 'secret' });

    // Escape closes it; the focus goes back to its row, and Enter there opens it again.
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.isHidden()).toBe(true);
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.textContent')).toBe('digital-ru-secret.pdf');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#register-detail h3').textContent()).toBe('digital-ru-secret.pdf');
    await detail.getByRole('link', { name: 'Назад к реестру' }).click();
    await expect.poll(() => detail.isHidden()).toBe(true);

    // The carrier decided in review shows the decision, who took it and its reference among its events.
    await search('conflict');
    await page.locator('#register-rows .row-link').first().click();
    await expect.poll(() => page.locator('#register-detail h3').textContent()).toBe('conflict-kk-ru.pdf');
    await expect.poll(() => detail.locator('table.events tbody').textContent()).toContain(ru['event.decision']!);
    expect(await detail.locator('table.events tbody').textContent()).toMatch(/А\. Клерк.*Письмо № 17\/2024/);
    await detail.getByRole('link', { name: 'Назад к реестру' }).click();
    await expect.poll(() => detail.isHidden()).toBe(true);
  }, 90_000);

  it('speaks Kazakh, Kyrgyz and English when asked, and remembers the choice', async () => {
    const expected = { kk: 'Тізілім', ky: 'Реестр', en: 'Register' } as const;
    for (const lang of ['kk', 'ky', 'en'] as const) {
      await page.getByLabel(dictionary((await page.locator('html').getAttribute('lang')) ?? 'ru')['header.language']!, { exact: true }).selectOption(lang);
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.locator('#register-title').textContent()).toBe(expected[lang]);
      expect(await page.locator('#nav-intake').textContent()).toBe(dictionary(lang)['nav.intake']);
    }
    await page.getByLabel('Language', { exact: true }).selectOption('kk');
    await page.getByRole('link', { name: 'Қабылдау' }).click();
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    await expect.poll(() => card('digital-ru-secret.pdf').locator('.facts').textContent()).toMatch(/Құпия — орыс тілі, 1-бет/);
    await shot('08-intake-kazakh');
    await page.getByRole('link', { name: 'Тексеру' }).click();
    await expect.poll(() => page.locator('#review').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#review-list').textContent()).toMatch(/Тексеруді күтіп тұрған тасығыш жоқ/);
    await page.getByLabel('Тіл', { exact: true }).selectOption('ky');
    await page.getByRole('link', { name: 'Кабыл алуу' }).click();
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    expect(await page.locator('#intake-title').textContent()).toBe('Алып жүрүүчүлөрдү кабыл алуу');
    await shot('09-intake-kyrgyz');

    // A reload keeps the language, the sign-in (this tab's session) and the carriers followed.
    await page.reload();
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('ky');
    await expect.poll(() => page.locator('#uploads li.card').count()).toBe(2);

    // Signing out forgets the token.
    await page.getByRole('button', { name: 'Чыгуу' }).click();
    await expect.poll(() => page.locator('#signin').isVisible()).toBe(true);
    expect(await page.evaluate('sessionStorage.getItem("grif.token")')).toBeNull();
    await page.getByLabel('Тил', { exact: true }).selectOption('ru');
  }, 60_000);

  it('signs in again; an image carrier gets its previews too; a text file is refused at once; a rejection says why in Russian', async () => {
    await page.getByLabel('Токен').fill(TOKEN);
    await page.getByRole('button', { name: 'Войти' }).click();
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    // Signing out forgot the carriers followed.
    expect(await page.locator('#uploads li.card').count()).toBe(0);
    // The sending Party chosen before is remembered.
    expect(await page.getByLabel('Республика Казахстан').isChecked()).toBe(true);
    await page.locator('#file-input').setInputFiles([
      { name: 'image-kk-secret.png', mimeType: 'image/png', buffer: readFileSync(join(FIXTURES, 'image-kk-secret.png')) },
      { name: 'note.txt', mimeType: 'text/plain', buffer: Buffer.from('СЕКРЕТНО') },
      { name: 'encrypted.pdf', mimeType: 'application/pdf', buffer: readFileSync(join(FIXTURES, 'encrypted.pdf')) },
    ]);
    const refused = card('note.txt');
    await expect.poll(() => refused.getAttribute('data-stage')).toBe('failed');
    expect(await refused.locator('.status-text').textContent()).toMatch(/на файл \.txt гриф проставить нельзя/);
    const image = card('image-kk-secret.png');
    await expect.poll(() => image.getAttribute('data-stage'), { timeout: 90_000 }).toBe('stamped');
    await expect.poll(() => image.locator('img.preview').evaluateAll((imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth)), { timeout: 30_000 }).toEqual([1000, 1000]);
    await shot('10-intake-image');

    // Rejected by the workers: the reason in Russian from its code, the service's English under details.
    const locked = card('encrypted.pdf');
    await expect.poll(() => locked.getAttribute('data-stage'), { timeout: 60_000 }).toBe('rejected');
    const said = dictionary('ru')['rejection.input/encrypted']!;
    expect(await locked.locator('.status-text').textContent()).toBe(`Отклонён: ${said}`);
    await expect.poll(() => locked.locator('.facts dd').nth(1).textContent()).toContain(said);
    expect(await locked.locator('.facts details.english').textContent()).toMatch(/encrypted\.pdf: the PDF is password-protected/);
    await shot('11-intake-rejected');
  }, 120_000);

  it('signs a user in with a personal token (grif users add): the page shows their name, asks for none, and the register records it', async () => {
    const NAME = 'Д. Ревизор';
    const { stdout } = await run(process.execPath, [CLI, 'users', 'add', NAME, '--role', 'reviewer', '--dir', join(tmp, 'data')], { cwd: ROOT, timeout: 30_000 });
    const userToken = stdout.trim();
    expect(userToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another person at another browser (a fresh profile: no name kept, no sign-in), the service still running.
    const theirs = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
    try {
      const p = await theirs.newPage();
      p.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      p.on('pageerror', (e) => consoleErrors.push(String(e)));
      await p.goto(url);
      await expect.poll(() => p.locator('#signin').isVisible()).toBe(true);
      expect(await p.locator('#signin-name-hint').textContent()).toBe(dictionary('ru')['signin.nameHint']);
      await p.getByLabel('Токен').fill(userToken);
      await p.getByRole('button', { name: 'Войти' }).click();
      await expect.poll(() => p.locator('#intake').isVisible()).toBe(true);
      expect(await p.locator('#whoami').textContent()).toBe(`Вход выполнен: ${NAME}`);

      // The conflicting scan again, now sent by Kyrgyzstan: a carrier of its own, held for review.
      await p.getByLabel('Кыргызская Республика').check();
      await p.locator('#file-input').setInputFiles([join(FIXTURES, 'conflict-kk-ru.pdf')]);
      const held = p.locator('#uploads li.card').filter({ has: p.locator('.card-name', { hasText: 'conflict-kk-ru.pdf' }) });
      await expect.poll(() => held.getAttribute('data-stage'), { timeout: 90_000 }).toBe('review');
      await held.getByRole('link', { name: 'Открыть в проверке' }).click();
      await expect.poll(() => p.locator('#review-detail h3').textContent()).toBe('conflict-kk-ru.pdf');

      // Who decides is the token's user: shown, not asked for.
      expect(await p.locator('#decision-by').count()).toBe(0);
      expect(await p.locator('#review-detail input[name="decidedBy"]').count()).toBe(0);
      expect(await p.locator('#decision-by-user').textContent()).toBe(NAME);
      expect(await p.getByRole('group', { name: 'Кто принял решение' }).textContent()).toContain(dictionary('ru')['review.decidedByToken']);
      await p.screenshot({ path: join(SHOTS, '12-review-personal-token.png'), fullPage: true });
      await p.getByLabel(/Реквизиты письменного разрешения/).fill('Письмо № 19/2024');
      await p.getByRole('button', { name: 'Установить гриф и проставить' }).click();
      await expect.poll(() => p.locator('#review-detail .decided').textContent()).toMatch(/Решение записано в реестр/);

      // The register names them.
      await p.getByRole('link', { name: 'Реестр' }).click();
      await p.getByLabel('Поиск').fill('19/2024');
      await p.getByLabel('Поиск').press('Enter');
      await expect.poll(() => p.locator('#register-rows tr').count()).toBe(1);
      expect(await p.locator('#register-rows').textContent()).toContain(NAME);
    } finally {
      await theirs.close();
    }
  }, 150_000);

  it('a carrier that already bears the receiving side\'s marking is never called stamped: its own outcome on the card and in the register', async () => {
    await page.getByRole('link', { name: 'Приём' }).click();
    await page.getByLabel('Республика Казахстан').check();
    // The stamped PDF downloaded above comes back from Kazakhstan: it bears ЖАШЫРУУН already.
    const stampedFile = readdirSync(tmp).find((n) => n.startsWith('digital-ru-secret.pdf.') && n.endsWith('.stamped.pdf'))!;
    await page.locator('#file-input').setInputFiles([join(tmp, stampedFile)]);
    const again = card(stampedFile);
    await expect.poll(async () => ['already-marked', 'review', 'stamped', 'rejected', 'unmarked'].includes((await again.getAttribute('data-stage')) ?? ''), { timeout: 90_000 }).toBe(true);
    expect(await again.getAttribute('data-stage'), (await again.textContent()) ?? '').toBe('already-marked');
    const ru = dictionary('ru');
    const text = (await again.textContent()) ?? '';
    expect(text).toContain(ru['badge.already-marked']);
    expect(text).not.toContain(ru['badge.stamped']);
    expect(text).not.toContain(ru['result.downloadPdf']);
    expect(text).toContain(ru['result.downloadUnchanged']);
    expect(text).toMatch(new RegExp(`${ru['result.incoming']}\\s*\\d+/\\d{4}`));
    // The register says so too.
    await page.getByRole('link', { name: 'Реестр' }).click();
    await page.getByLabel('Поиск').fill(stampedFile);
    await page.getByLabel('Поиск').press('Enter');
    await expect.poll(() => page.locator('#register-rows tr').count()).toBe(1);
    const row = (await page.locator('#register-rows tr').textContent()) ?? '';
    expect(row).toContain(ru['event.already-marked']);
    expect(row).not.toContain(ru['event.stamped']);
    await shot('14-already-marked');
  }, 120_000);

  it('a rubber stamp smeared past reading waits for review, its region outlined on the page', async () => {
    await page.getByRole('link', { name: 'Приём' }).click();
    await page.getByLabel('Республика Казахстан').check();
    await page.locator('#file-input').setInputFiles([join(FIXTURES, 'stamps', 'unreadable-violet-m9-300.pdf')]);
    const held = card('unreadable-violet-m9-300.pdf');
    await expect.poll(() => held.getAttribute('data-stage'), { timeout: 90_000 }).toBe('review');
    await held.getByRole('link', { name: 'Открыть в проверке' }).click();
    await expect.poll(() => page.locator('#review-detail h3').textContent()).toBe('unreadable-violet-m9-300.pdf');
    const preview = page.locator('#review-detail img.preview');
    await expect.poll(() => preview.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth), { timeout: 30_000 }).toBe(1000);
    // One dashed outline, at the top right where the stamp is; the reason in Russian from its code.
    const marks = page.locator('#review-detail .stamp-box.unread-mark');
    expect(await marks.count()).toBe(1);
    const img = (await preview.boundingBox())!;
    const box = (await marks.first().boundingBox())!;
    expect((box.x - img.x) / img.width).toBeGreaterThan(0.6);
    expect((box.y + box.height - img.y) / img.height).toBeLessThan(0.2);
    expect(await page.locator('#review-detail .reasons li').first().textContent()).toBe(dictionary('ru')['reason.unreadable-mark']);
    expect(await page.locator('#review-detail figcaption').textContent()).toContain(dictionary('ru')['review.unreadOutlined']!.replace('{n}', '1'));
    await shot('13-review-unreadable-stamp');
  }, 120_000);

  it('grif up on samples/: every sample dropped into the inbox ends somewhere; the one already bearing the receiving marking is never called stamped', async () => {
    // All of samples/carriers, as Kazakhstan sends them to Kyrgyzstan: scan-ky-top-secret.pdf bears ЖАШЫРУУН already.
    const inbox = join(tmp, 'data', 'inbox', 'from-KZ');
    const samples = readdirSync(join(ROOT, 'samples', 'carriers'));
    for (const name of samples) {
      await copyFile(join(ROOT, 'samples', 'carriers', name), join(inbox, `.${name}.part`));
      await rename(join(inbox, `.${name}.part`), join(inbox, `samples-${name}`));
    }
    await expect.poll(() => readdirSync(inbox).filter((n) => n.startsWith('samples-')).length, { timeout: 240_000, interval: 1000 }).toBe(0);
    const ru = dictionary('ru');
    await page.getByRole('link', { name: 'Реестр' }).click();
    await page.getByLabel('Поиск').fill('samples-scan-ky-top-secret.pdf');
    await page.getByLabel('Поиск').press('Enter');
    await expect.poll(() => page.locator('#register-rows tr').count()).toBe(1);
    await expect.poll(async () => (await page.locator('#register-rows tr').textContent()) ?? '', { timeout: 60_000 }).toContain(ru['event.already-marked']);
    const row = (await page.locator('#register-rows tr').textContent()) ?? '';
    expect(row).not.toContain(ru['event.stamped']);
    // Its own page: the outcome, and the carrier unchanged to download, never "the stamped PDF".
    await page.locator('#register-rows tr').first().locator('td').first().click();
    const detail = page.locator('#register-detail');
    await expect.poll(() => page.locator('#register-detail h3').textContent()).toBe('samples-scan-ky-top-secret.pdf');
    await expect.poll(() => detail.locator('.status .badge').textContent(), { timeout: 30_000 }).toBe(ru['badge.already-marked']);
    expect((await detail.textContent()) ?? '').not.toContain(ru['badge.stamped']);
    expect(await detail.getByRole('button', { name: /Скачать PDF с грифом/ }).count()).toBe(0);
    // Each sample ended in exactly one folder (the text files among them are refused: they cannot take a
    // stamp); one whose bytes came earlier in this run is a duplicate, said by a note in the outbox.
    const folders = ['outbox', 'review', 'rejected'].map((f) => readdirSync(join(tmp, 'data', f)));
    for (const name of samples) {
      const where = folders.filter((names) => names.some((n) => n.startsWith(`samples-${name}.`)));
      expect(where.length, name).toBe(1);
    }
    await shot('15-samples-already-marked');
  }, 300_000);

  it('after intake: a transfer confirmed, a notice recorded with its deadline, the carrier re-marked and downloaded', async () => {
    await page.goto(`${url}/#intake`);
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    await page.getByLabel('Кыргызская Республика').check();
    await page.getByLabel(/^Передача/).fill('Опись № 7/123');
    await page.locator('#file-input').setInputFiles([join(FIXTURES, 'digital-ky-special-importance.pdf')]);
    const sent = card('digital-ky-special-importance.pdf');
    await expect.poll(() => sent.getAttribute('data-stage'), { timeout: 60_000 }).toBe('stamped');
    await page.getByLabel(/^Передача/).fill('');
    const found = (await (await fetch(`${url}/register?search=digital-ky-special-importance`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { entries: { id: string }[] };
    const id = found.entries[0]!.id;

    // The transfer: one carrier not confirmed; confirming downloads the confirmation at once.
    await page.locator('#nav-after').click();
    await expect.poll(() => page.locator('#after').isVisible()).toBe(true);
    const transfer = page.locator('#transfer-rows tr', { hasText: 'Опись № 7/123' });
    await expect.poll(() => transfer.locator('td').nth(1).textContent()).toBe('1');
    await page.getByLabel(/Получающий орган/).fill('Канцелярия Премьер-Министра РК');
    const [confirmation] = await Promise.all([page.waitForEvent('download'), transfer.getByRole('button', { name: 'Подтвердить получение' }).click()]);
    const confirmationFile = join(tmp, 'confirmation.pdf');
    await confirmation.saveAs(confirmationFile);
    const { stdout: confirmationText } = await run('pdftotext', ['-layout', confirmationFile, '-']);
    expect(confirmationText).toMatch(/АЛЫНГАНДЫГЫ ЖӨНҮНДӨ ТАСТЫКТОО/);
    expect(confirmationText).toMatch(/ПОДТВЕРЖДЕНИЕ О ПОЛУЧЕНИИ/);
    expect(confirmationText).toContain('digital-ky-special-importance.pdf');
    await expect.poll(() => transfer.locator('td').nth(1).textContent()).toBe('0');
    expect(await transfer.getByRole('button', { name: /^Подтверждение \d+\/\d{4}$/ }).count()).toBe(1);

    // A notice lowering it to top secret, from the Party that sent it: its deadline shows.
    await page.getByLabel('Носители (идентификаторы в журнале)').fill(id);
    await page.getByLabel('Новый гриф').selectOption('top-secret');
    await page.locator('#notice-from').selectOption('KG');
    await page.locator('#notice-reference').fill('02-7/55');
    await page.locator('#notice-date').fill('2026-11-20');
    await page.locator('#notice-authority').fill('ГКНБ КР');
    await page.getByRole('button', { name: 'Учесть уведомление' }).click();
    await expect.poll(() => page.locator('#notice-result').textContent()).toMatch(/^Уведомление учтено для носителей: 1; перемаркировать до \d{4}-\d{2}-\d{2}\.$/);
    const row = page.locator('#notice-rows tr', { hasText: 'digital-ky-special-importance.pdf' });
    await expect.poll(() => row.textContent()).toMatch(/Совершенно секретно.*осталось 30 дн\..*02-7\/55/);
    await shot('16-after-intake');

    // Re-marked from the page: the PDF comes down at once, and grif detect reads the new level.
    const [remarked] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), row.getByRole('button', { name: 'Перемаркировать' }).click()]);
    const remarkedFile = join(tmp, 'remarked.pdf');
    await remarked.saveAs(remarkedFile);
    const d = await detect(remarkedFile);
    expect(d).toMatchObject({ status: 'marked', level: 'top-secret' });
    expect(d.stamps.every((s) => s.level === 'top-secret')).toBe(true);
    await expect.poll(() => page.locator('#notices-empty').isVisible()).toBe(true);
    await shot('17-after-intake-remarked');
  }, 180_000);

  it('copies, a return and a destruction (asked to be confirmed first), and the inventory adds up', async () => {
    await page.goto(`${url}/#intake`);
    await expect.poll(() => page.locator('#intake').isVisible()).toBe(true);
    await page.getByLabel('Республика Казахстан').check();
    await page.locator('#file-input').setInputFiles([join(FIXTURES, 'digital-two-pages-ru.pdf'), join(FIXTURES, 'digital-unmarked-ru.pdf')]);
    await expect.poll(() => card('digital-two-pages-ru.pdf').getAttribute('data-stage'), { timeout: 60_000 }).toBe('stamped');
    await expect.poll(() => card('digital-unmarked-ru.pdf').getAttribute('data-stage'), { timeout: 60_000 }).toBe('unmarked');
    const idOf = async (name: string): Promise<string> =>
      ((await (await fetch(`${url}/register?search=${name}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { entries: { id: string }[] }).entries[0]!.id;
    const twoPages = await idOf('digital-two-pages-ru');
    const unmarked = await idOf('digital-unmarked-ru');
    const inventory = async () => (await (await fetch(`${url}/inventory`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { carriers: { received: number; onHand: number; returned: number; destroyed: number }; copies: { received: number }; addsUp: boolean };
    const before = await inventory();

    await page.locator('#nav-disposal').click();
    await expect.poll(() => page.locator('#disposal').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#inventory-summary [data-count="carriers"]').textContent()).toBe(
      `Носители: получено ${before.carriers.received} = в наличии ${before.carriers.onHand} + возвращено ${before.carriers.returned} + уничтожено ${before.carriers.destroyed}`,
    );

    // Two copies with the originator's permission; the first downloaded carries its number in the receiving state's language.
    await page.getByLabel('Носитель (идентификатор в реестре)').fill(twoPages);
    await page.getByLabel('Письменное разрешение источника').fill('Разрешение № 3-11/07');
    await page.getByLabel('Сколько').fill('2');
    await page.getByRole('button', { name: 'Изготовить копии' }).click();
    await expect.poll(() => page.locator('#copy-result').textContent(), { timeout: 60_000 }).toMatch(/^Изготовлены копии: № 1, 2\./);
    const [copy] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Экз. № 1' }).click()]);
    const copyFile = join(tmp, 'copy-1.pdf');
    await copy.saveAs(copyFile);
    expect((await run('pdftotext', ['-layout', copyFile, '-'])).stdout).toContain('Нуска № 1 (алуучунун көчүрмөсү)');

    // A return on the originator's notice.
    await page.locator('#return-carriers').fill(unmarked);
    await page.locator('#return-notice').fill('Уведомление № 7-2/20');
    await page.locator('#return-reference').fill('Сопроводительное письмо № 55');
    await page.locator('#return-date').fill('2026-12-01');
    await page.getByRole('button', { name: 'Записать возврат' }).click();
    await expect.poll(() => page.locator('#return-result').textContent()).toBe('Возвращено носителей: 1, копий: 0.');

    // A destruction is asked to be confirmed; cancelled, nothing happens.
    await page.locator('#destroy-carriers').fill(twoPages);
    await page.locator('#destroy-notice').fill('Уведомление № 7-2/19');
    await page.locator('#destroy-act').fill('12/2026');
    await page.getByLabel('Член комиссии', { exact: true }).fill('Н. Алиева');
    await page.getByLabel('Второй член комиссии').fill('Б. Осмонов');
    await page.getByLabel('Акт также на русском языке').check();
    await page.getByRole('button', { name: 'Уничтожить…' }).click();
    await expect.poll(() => page.locator('#destroy-confirm').isVisible()).toBe(true);
    expect(await page.locator('#destroy-confirm-text').textContent()).toContain('отменить это нельзя');
    await shot('18-destruction-confirm');
    await page.getByRole('button', { name: 'Отмена' }).click();
    await expect.poll(() => page.locator('#destroy-confirm').isVisible()).toBe(false);
    const still = (await (await fetch(`${url}/carriers/${twoPages}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { stage: string };
    expect(still.stage).toBe('stamped');
    // Confirmed: the act comes down at once, in Kyrgyz and Russian.
    await page.getByRole('button', { name: 'Уничтожить…' }).click();
    const [act] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByRole('button', { name: 'Уничтожить', exact: true }).click()]);
    expect(act.suggestedFilename()).toBe('act-12-2026.pdf');
    const actFile = join(tmp, 'act-12.pdf');
    await act.saveAs(actFile);
    const actText = (await run('pdftotext', ['-layout', actFile, '-'])).stdout;
    expect(actText).toContain('ЖОК КЫЛУУ ЖӨНҮНДӨ АКТ');
    expect(actText).toContain('АКТ ОБ УНИЧТОЖЕНИИ');
    expect(actText).toContain('digital-two-pages-ru.pdf');
    await expect.poll(() => page.locator('#destroy-result').textContent()).toMatch(/^Акт 12\/2026: уничтожено носителей: 1; искомых SHA-256: 4/);
    // Kept: the act again by its number (its "/" encoded in the address), the same bytes; a number only part of it names no act.
    const again = await fetch(`${url}/destructions/${encodeURIComponent('12/2026')}/pdf`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(again.status).toBe(200);
    expect(Buffer.from(await again.arrayBuffer()).equals(readFileSync(actFile))).toBe(true);
    expect(again.headers.get('content-disposition')).toContain(`filename="act-12-2026.pdf"`);
    expect((await fetch(`${url}/destructions/12/pdf`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);

    // The account: the destroyed carrier with its two copies and the returned one, and it adds up.
    const ended = page.locator('#inventory-ended tr');
    await expect.poll(() => ended.count()).toBe(4);
    expect(await page.locator('#inventory-ended').textContent()).toContain('digital-two-pages-ru.pdf, экз. № 2');
    const after = await inventory();
    expect(after.carriers).toEqual({ received: before.carriers.received, onHand: before.carriers.onHand - 2, returned: before.carriers.returned + 1, destroyed: before.carriers.destroyed + 1 });
    expect(after.addsUp).toBe(true);
    expect(await page.locator('#inventory-summary').textContent()).toContain('Учёт сходится.');
    await shot('19-inventory');
  }, 180_000);

  it('a clerk is offered only what a clerk may do: no review screen, no way into it', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'users', 'add', 'Е. Клерк', '--dir', join(tmp, 'data')], { cwd: ROOT, timeout: 30_000 });
    const theirs = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ru-RU' });
    try {
      const p = await theirs.newPage();
      p.on('pageerror', (e) => consoleErrors.push(String(e)));
      await p.goto(url);
      await p.getByLabel('Токен').fill(stdout.trim());
      await p.getByRole('button', { name: 'Войти' }).click();
      await expect.poll(() => p.locator('#intake').isVisible()).toBe(true);
      expect(await p.locator('#nav-review').isVisible()).toBe(false);
      expect(await p.locator('#nav-register').isVisible()).toBe(true);
      // The account is for everyone; copying, returning and destroying are not offered to a clerk.
      await p.goto(`${url}/#disposal`);
      await expect.poll(() => p.locator('#inventory-summary li').count()).toBe(4);
      for (const form of ['#copy-form', '#return-form', '#destroy-form']) expect(await p.locator(form).isVisible(), form).toBe(false);
      // The review screen by its address: the intake instead.
      await p.goto(`${url}/#review`);
      await expect.poll(() => p.locator('#intake').isVisible()).toBe(true);
      expect(await p.locator('#review').isVisible()).toBe(false);
      // A carrier held for review: its card says why, and offers no way to decide.
      // (The smeared stamp again, now sent by Kyrgyzstan: a carrier of its own.)
      await p.getByLabel('Кыргызская Республика').check();
      await p.locator('#file-input').setInputFiles([join(FIXTURES, 'stamps', 'unreadable-violet-m9-300.pdf')]);
      const held = p.locator('#uploads li.card').filter({ has: p.locator('.card-name', { hasText: 'unreadable-violet-m9-300.pdf' }) });
      await expect.poll(() => held.getAttribute('data-stage'), { timeout: 90_000 }).toBe('review');
      expect(await held.getByRole('link', { name: 'Открыть в проверке' }).count()).toBe(0);
    } finally {
      await theirs.close();
    }
  }, 150_000);

  it('a page of another origin (another port of 127.0.0.1) can neither change nor read anything, whatever the browser holds', async () => {
    // The browser holds the dashboard's cookie, as an admin who opened /queues?token=… would.
    await page.goto(`${url}/queues?token=${encodeURIComponent(TOKEN)}`);
    const before = await (await fetch(`${url}/register?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { total: number };
    const attack = `<!doctype html><html><body><iframe name="sink"></iframe>
<form id="f" method="POST" action="${url}/carriers" enctype="multipart/form-data" target="sink"><input name="from" value="KZ"></form>
<script>
(async () => {
  const out = { wrote: [], read: [] };
  const form = () => { const f = new FormData(); f.set('from', 'KZ'); f.set('file', new Blob(['%PDF-1.4 x'], { type: 'application/pdf' }), 'evil.pdf'); return f; };
  for (const mode of ['no-cors', 'cors']) {
    try { const r = await fetch('${url}/carriers', { method: 'POST', body: form(), credentials: 'include', mode }); out.wrote.push(mode + ':' + r.status); } catch (e) { out.wrote.push(mode + ':blocked'); }
  }
  document.getElementById('f').submit();
  for (const path of ['/register', '/queues/api/queues', '/me']) {
    try { const r = await fetch('${url}' + path, { credentials: 'include' }); out.read.push(path + ':' + r.status + ':' + (await r.text()).slice(0, 40)); } catch (e) { out.read.push(path + ':blocked'); }
  }
  await new Promise((r) => setTimeout(r, 1500));
  window.done = out;
})();
</script></body></html>`;
    const evil = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(attack));
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    try {
      const p = await context.newPage();
      await p.goto(`http://127.0.0.1:${(evil.address() as { port: number }).port}/`);
      await p.waitForFunction('window.done !== undefined', undefined, { timeout: 30_000 });
      const out = (await p.evaluate('window.done')) as { wrote: string[]; read: string[] };
      // Nothing read: the browser let no answer through.
      for (const r of out.read) expect(r, r).toMatch(/:blocked$/);
      await p.close();
    } finally {
      evil.close();
    }
    // Nothing written: the register holds what it held.
    const after = await (await fetch(`${url}/register?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { total: number };
    expect(after.total).toBe(before.total);
  }, 60_000);

  it('logged nothing wrong in the browser', () => {
    expect(consoleErrors).toEqual([]);
  });
});
