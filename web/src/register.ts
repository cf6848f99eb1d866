/**
 * The register (Art. 6.2): every carrier and copy received, newest first, with where it stands
 * (its latest decision); searchable, paged, and exported as CSV (the search applies to the export).
 */
import { download, getJson, type RegisterEntry, type RegisterEvent } from './api.js';
import { $, announce, errorText, h, levelName, partyName } from './dom.js';
import { dateTime, t } from './i18n.js';

const PAGE = 50;
let entries: RegisterEntry[] = [];
let search = '';
let offset = 0;
let loadError: string | undefined;

/** The event that says where a carrier stands (a repeated arrival decides nothing). */
function latest(e: RegisterEntry): RegisterEvent | undefined {
  for (let i = e.events.length - 1; i >= 0; i--) if (e.events[i]!.kind !== 'duplicate') return e.events[i];
  return e.events.at(-1);
}

export async function loadRegister(): Promise<void> {
  const q = new URLSearchParams({ limit: String(PAGE + 1), offset: String(offset) });
  if (search) q.set('search', search);
  try {
    entries = (await getJson<{ entries: RegisterEntry[] }>(`/register?${q}`)).entries;
    loadError = undefined;
  } catch (err) {
    entries = [];
    loadError = errorText(err);
  }
  drawRegister();
}

export function drawRegister(): void {
  const body = $('#register-rows');
  const shown = entries.slice(0, PAGE);
  $('#register-summary').textContent = loadError
    ? loadError
    : shown.length === 0
      ? search
        ? t('register.noneFound', { search })
        : t('register.empty')
      : t('register.showing', { from: offset + 1, to: offset + shown.length });
  body.replaceChildren(
    ...shown.map((e) => {
      const d = latest(e);
      return h(
        'tr',
        {},
        h('td', {}, dateTime(e.receivedAt)),
        h('th', { scope: 'row', class: 'name' }, e.name),
        h('td', {}, t('intake.direction', { from: partyName(e.from), to: partyName(e.to) })),
        h('td', {}, e.kind === 'copy' ? t('register.copyOf', { source: (e.derivedFrom ?? '').slice(0, 8) }) : t('register.carrier')),
        h('td', {}, d ? t(`event.${d.kind}`) : t('event.registered')),
        h('td', {}, d?.level ? levelName(d.level) : '—'),
        h('td', {}, d?.decidedBy ?? ''),
        h('td', {}, d?.reference ?? ''),
        h('td', {}, h('code', { title: e.id }, e.id.slice(0, 8))),
      );
    }),
  );
  $<HTMLButtonElement>('#register-prev').disabled = offset === 0;
  $<HTMLButtonElement>('#register-next').disabled = entries.length <= PAGE;
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
}

export function resetRegister(): void {
  entries = [];
  search = '';
  offset = 0;
}
