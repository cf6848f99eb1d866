/**
 * The register (Art. 6.2): every carrier and copy received, newest first, with where it stands
 * (its latest decision); searchable, paged, and exported as CSV (the search applies to the export).
 * The service searches (src/register/search.ts): names, numbers, levels in any language, who
 * decided, references, dates. Each row's name opens the carrier (#register/<id>): its status, its
 * events in the register, and the downloads and previews the intake card shows.
 */
import { download, getJson, type CarrierStatus, type Receipt, type RegisterEntry, type RegisterEvent } from './api.js';
import { $, announce, errorText, h, levelName, partyName } from './dom.js';
import { dateTime, t } from './i18n.js';
import { badge, resultOf, stageText, type ResultView } from './intake.js';

const PAGE = 50;
let entries: RegisterEntry[] = [];
let total: number | undefined;
let search = '';
let offset = 0;
let loadError: string | undefined;

/** The carrier open in the detail, as last loaded. */
interface Detail extends ResultView {
  id: string;
  entry?: RegisterEntry;
  status?: CarrierStatus;
  receipt?: Receipt;
  error?: string;
}
let detail: Detail | undefined;
/** What the detail panel shows now (redrawn only when the carrier, its data or the language change: its previews load once). */
let drawn: { detail: Detail | undefined; lang: string } | undefined;

/** The event that says where a carrier stands (a repeated arrival decides nothing). */
function latest(e: RegisterEntry): RegisterEvent | undefined {
  for (let i = e.events.length - 1; i >= 0; i--) if (e.events[i]!.kind !== 'duplicate') return e.events[i];
  return e.events.at(-1);
}

/** The incoming number: the first 8 hex digits of the carrier's SHA-256, as the stamp's registration block has it. */
/** The incoming number the service gives; an older service's register had none: the id's first digits. */
const incomingNumber = (e: { id: string; incomingNumber?: string }): string => e.incomingNumber || e.id.slice(0, 8);

export async function loadRegister(): Promise<void> {
  const q = new URLSearchParams({ limit: String(PAGE + 1), offset: String(offset) });
  if (search) q.set('search', search);
  try {
    const answer = await getJson<{ entries: RegisterEntry[]; total?: number }>(`/register?${q}`);
    entries = answer.entries;
    total = answer.total;
    loadError = undefined;
  } catch (err) {
    entries = [];
    total = undefined;
    loadError = errorText(err);
  }
  drawRegister();
}

function summary(shown: number): string {
  if (loadError) return loadError;
  if (shown === 0) return search ? t('register.noneFound', { search }) : t('register.empty');
  const range = { from: offset + 1, to: offset + shown };
  return search && total !== undefined ? t('register.found', { n: total, search, ...range }) : t('register.showing', range);
}

export function drawRegister(): void {
  const body = $('#register-rows');
  const shown = entries.slice(0, PAGE);
  $('#register-summary').textContent = summary(shown.length);
  body.replaceChildren(
    ...shown.map((e) => {
      const d = latest(e);
      const open = e.id === detail?.id;
      const link = h('a', { href: `#register/${e.id}`, class: 'row-link', 'aria-current': open ? 'true' : undefined }, e.name);
      const row = h(
        'tr',
        { class: open ? 'open' : undefined, 'data-carrier': e.id },
        h('td', {}, dateTime(e.receivedAt)),
        h('th', { scope: 'row', class: 'name' }, link),
        h('td', {}, t('intake.direction', { from: partyName(e.from), to: partyName(e.to) })),
        h('td', {}, kindText(e)),
        h('td', {}, d ? t(`event.${d.kind}`) : t('event.registered')),
        h('td', {}, d?.level ? levelName(d.level) : '—'),
        h('td', {}, d?.decidedBy ?? ''),
        h('td', {}, d?.reference ?? ''),
        h('td', {}, h('code', { title: e.id }, incomingNumber(e))),
      );
      // A click anywhere on the row opens it, as its name does (the name is the keyboard's way in).
      row.addEventListener('click', (ev) => {
        if (!(ev.target as Element).closest('a, button')) link.click();
      });
      return row;
    }),
  );
  $<HTMLButtonElement>('#register-prev').disabled = offset === 0;
  $<HTMLButtonElement>('#register-next').disabled = entries.length <= PAGE;
  drawDetail();
}

const kindText = (e: RegisterEntry): string =>
  e.kind === 'copy' ? t('register.copyOf', { source: (e.derivedFrom ?? '').slice(0, 8) }) : t('register.carrier');

/** Frees the previews of the carrier drawn last. */
function freeUrls(): void {
  for (const u of drawn?.detail?.urls.splice(0) ?? []) URL.revokeObjectURL(u);
}

/** Loads one carrier's register entry, its status and receipt, and shows them. */
async function loadDetail(id: string): Promise<void> {
  detail = { id, name: entries.find((e) => e.id === id)?.name ?? '', urls: [] };
  drawRegister();
  const mine = detail;
  try {
    const [entry, status] = await Promise.all([getJson<RegisterEntry>(`/register/${id}`), getJson<CarrierStatus>(`/carriers/${id}`)]);
    const receipt = status.downloads.receipt ? await getJson<Receipt>(status.downloads.receipt).catch(() => undefined) : undefined;
    if (detail !== mine) return; // another carrier was opened meanwhile
    detail = { id, name: entry.name, urls: [], entry, status, ...(receipt ? { receipt } : {}) };
  } catch (err) {
    if (detail !== mine) return;
    detail = { ...mine, error: errorText(err) };
  }
  drawRegister();
  $<HTMLElement>('#register-detail h3').focus();
  announce(detail.status ? `${detail.name}: ${stageText(detail.status)}` : (detail.error ?? ''));
}

function eventsTable(entry: RegisterEntry): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table events' },
      h('caption', {}, t('register.detail.events')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['register.event.at', 'register.event.kind', 'register.col.level', 'register.col.decidedBy', 'register.col.reference', 'register.event.detail'].map((k) =>
            h('th', { scope: 'col' }, t(k)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...entry.events.map((ev) =>
          h(
            'tr',
            {},
            h('td', {}, dateTime(ev.at)),
            h('th', { scope: 'row' }, t(`event.${ev.kind}`)),
            h('td', {}, ev.level ? levelName(ev.level) : '—'),
            h('td', {}, ev.decidedBy),
            h('td', {}, ev.reference ?? ''),
            h('td', {}, eventDetail(ev)),
          ),
        ),
      ),
    ),
  );
}

/** The markings added are the same in any language; the service's other words are English, folded away. */
function eventDetail(ev: RegisterEvent): Node | string {
  if (!ev.detail) return '';
  if (ev.kind === 'stamped') return ev.detail;
  return h('details', { class: 'english' }, h('summary', {}, t('details.english')), h('p', { lang: 'en' }, ev.detail));
}

function drawDetail(): void {
  const panel = $('#register-detail');
  const lang = document.documentElement.lang;
  if (drawn && drawn.detail === detail && drawn.lang === lang) return;
  freeUrls();
  drawn = { detail, lang };
  panel.hidden = !detail;
  if (!detail) {
    panel.replaceChildren();
    return;
  }
  const d = detail;
  const close = h('a', { class: 'button small', href: '#register' }, t('register.detail.close'));
  const head = h('div', { class: 'detail-head' }, h('h3', { id: 'register-detail-title', tabindex: '-1' }, d.name || incomingNumber(d)), close);
  if (d.error) {
    panel.replaceChildren(head, h('p', { class: 'problem', role: 'alert' }, d.error));
    return;
  }
  if (!d.entry || !d.status) {
    panel.replaceChildren(head, h('p', { class: 'muted', 'aria-busy': 'true' }, t('register.detail.loading')));
    return;
  }
  const e = d.entry;
  const s = d.status;
  const facts = h('dl', { class: 'facts' });
  const fact = (term: string, value: Node | string) => facts.append(h('dt', {}, term), h('dd', {}, value));
  fact(t('register.col.received'), dateTime(e.receivedAt));
  fact(t('register.col.direction'), t('intake.direction', { from: partyName(e.from), to: partyName(e.to) }));
  fact(t('register.col.kind'), kindText(e));
  fact(t('register.col.id'), h('code', {}, incomingNumber(e)));
  fact(t('register.detail.id'), h('code', {}, e.id));
  const b = badge(s.stage);
  const said = stageText(s);
  // The badge alone when it says it all, as on the intake card.
  const status = h('p', { class: 'status' }, b, ...(said.toLocaleLowerCase() === (b.textContent ?? '').toLocaleLowerCase() ? [] : [' ', h('span', { class: 'status-text' }, said)]));
  panel.replaceChildren(head, status, facts, ...resultOf(d, s), eventsTable(e));
}

/**
 * Shows the register screen: the list, and the carrier of #register/<id> open above it (none for
 * #register). Returns whether it moves the focus itself (opening a carrier, or closing one).
 */
export function showRegister(id: string | undefined): boolean {
  const closing = !id && detail !== undefined;
  const was = detail?.id;
  if (!id) {
    freeUrls();
    detail = undefined;
  }
  void loadRegister().then(() => {
    // Back from a carrier: the focus returns to its row.
    if (closing && was) document.querySelector<HTMLElement>(`#register-rows tr[data-carrier="${was}"] a.row-link`)?.focus();
  });
  if (id && id !== detail?.id) void loadDetail(id);
  return id !== undefined || closing;
}

export function initRegister(): void {
  $('#register-search').addEventListener('submit', (e) => {
    e.preventDefault();
    search = $<HTMLInputElement>('#register-q').value.trim();
    offset = 0;
    void loadRegister().then(() => announce($('#register-summary').textContent ?? ''));
  });
  $('#register-prev').addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE);
    void loadRegister();
  });
  $('#register-next').addEventListener('click', () => {
    offset += PAGE;
    void loadRegister();
  });
  $('#register-csv').addEventListener('click', () => {
    const b = $<HTMLButtonElement>('#register-csv');
    b.disabled = true;
    download(`/register.csv${search ? `?search=${encodeURIComponent(search)}` : ''}`)
      .catch((err: unknown) => announce(errorText(err)))
      .finally(() => (b.disabled = false));
  });
  // Escape closes the open carrier, as its "back" link does (but clears the search field in it).
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !detail || $('#register').hidden || (e.target as Element | null)?.closest?.('input, select, textarea')) return;
    location.hash = '#register';
  });
}

export function resetRegister(): void {
  freeUrls();
  entries = [];
  total = undefined;
  detail = undefined;
  search = '';
  offset = 0;
}
