/**
 * Review: the carriers a person must decide (conflicting markings, weak evidence, a translation
 * that does not match its source). For the one chosen: why it is here, the page with the found
 * stamps outlined, the candidate levels, and the decision form: a level with the written
 * permission or decision reference, or a rejection. The decision goes to the register and the
 * carrier goes on (it is then followed under Intake).
 */
import { ApiError, getBlob, getJson, LEVELS, postJson, rank, type Level, type Me, type ReviewItem } from './api.js';
import { $, announce, errorText, h, langName, levelName, partyName } from './dom.js';
import { dateTime, t } from './i18n.js';
import { track } from './intake.js';
import { reasonsView } from './reasons.js';

const NAME_KEY = 'grif.name';

let items: ReviewItem[] = [];
let selected: string | undefined;
let shownPage = 1;
let previewUrl: string | undefined;
let loadError: string | undefined;
let outcome: { id: string; name: string; text: string } | undefined;

const NOBODY: Me = { kind: 'service', name: null, role: 'clerk', may: { review: false, retry: false, dashboard: false, metrics: false, notices: false, disposal: false } };
let me: Me = NOBODY;

/** The name typed for decisions made with the service's shared token (kept in this browser). */
export const myName = (): string => localStorage.getItem(NAME_KEY) ?? '';
export function setMyName(name: string): void {
  if (name.trim()) localStorage.setItem(NAME_KEY, name.trim());
}

/** Who signed in: with their own token, the service records their decisions under their name. */
export function setMe(who: Me): void {
  me = who;
}
/** The user of a personal token, or null with the service's token. */
export const signedInUser = (): string | null => me.name;
/** The name to show as signed in: the token's user, else the name typed. */
export const shownName = (): string => me.name ?? myName();

export async function loadReview(): Promise<void> {
  try {
    items = (await getJson<{ items: ReviewItem[] }>('/review')).items;
    loadError = undefined;
  } catch (err) {
    loadError = errorText(err);
  }
  drawList();
  drawDetail();
}

/**
 * Refreshes the queue's list alone (new carriers arrive while a reviewer works); the open
 * carrier and its form are left as they are, and so is the focus.
 */
export async function refreshReviewList(): Promise<void> {
  if (document.getElementById('review-list')?.contains(document.activeElement)) return;
  try {
    const fresh = (await getJson<{ items: ReviewItem[] }>('/review')).items;
    const before = new Set(items.map((i) => i.carrierId));
    const arrived = fresh.filter((i) => !before.has(i.carrierId)).length;
    // The open carrier stays in the list until its own screen is redrawn.
    const open = outcome?.id === selected ? undefined : items.find((i) => i.carrierId === selected);
    items = open && !fresh.some((i) => i.carrierId === open.carrierId) ? [...fresh, open] : fresh;
    loadError = undefined;
    drawList();
    if (arrived > 0) announce(t('review.count', { n: fresh.length }));
  } catch {
    /* the next refresh, or the button, tries again */
  }
}

/** Opens one carrier (from #review/<id>); the list when none. */
export function selectReview(id: string | undefined): void {
  if (id !== selected) {
    shownPage = firstStampPage(items.find((i) => i.carrierId === id));
    outcome = outcome?.id === id ? outcome : undefined;
  }
  selected = id;
  void loadReview().then(() => {
    if (id && items.some((i) => i.carrierId === id)) document.querySelector<HTMLElement>('#review-detail h3')?.focus();
  });
}

function firstStampPage(item: ReviewItem | undefined): number {
  const pages = [...(item?.stamps ?? []), ...(item?.unreadMarks ?? [])].map((s) => s.page).filter((p) => p >= 1);
  return pages.length ? Math.min(...pages) : 1;
}

function drawList(): void {
  const list = $('#review-list');
  const count = $('#review-count');
  count.textContent = t('review.count', { n: items.length });
  if (loadError) {
    list.replaceChildren(h('li', { class: 'problem', role: 'alert' }, loadError));
    return;
  }
  if (items.length === 0) {
    list.replaceChildren(h('li', { class: 'muted' }, t('review.empty')));
    return;
  }
  list.replaceChildren(
    ...items.map((i) =>
      h(
        'li',
        {},
        h(
          'a',
          { href: `#review/${i.carrierId}`, class: 'review-item', 'aria-current': i.carrierId === selected ? 'true' : undefined },
          h('strong', {}, i.name),
          h('span', {}, t('intake.direction', { from: partyName(i.from), to: partyName(i.to) })),
          h('span', {}, t(`verdict.${i.verdict}`)),
          h('span', { class: 'muted' }, dateTime(i.writtenAt)),
        ),
      ),
    ),
  );
}

function drawDetail(): void {
  const panel = $('#review-detail');
  const item = items.find((i) => i.carrierId === selected);
  if (previewUrl) {
    URL.revokeObjectURL(previewUrl);
    previewUrl = undefined;
  }
  if (!item || outcome?.id === item.carrierId) {
    panel.replaceChildren(
      outcome ? decidedNote(outcome) : h('p', { class: 'muted' }, selected ? t('review.gone') : t('review.choose')),
    );
    return;
  }

  const stampsTable = h(
    'table',
    { class: 'table' },
    h('caption', {}, t('review.stamps')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, t('review.col.level')), h('th', { scope: 'col' }, t('review.col.lang')), h('th', { scope: 'col' }, t('review.col.page')), h('th', { scope: 'col' }, t('review.col.evidence')))),
    h(
      'tbody',
      {},
      ...item.stamps.map((s, n) =>
        h('tr', {}, h('td', {}, n + 1), h('td', {}, levelName(s.level)), h('td', {}, langName(s.lang)), h('td', {}, s.page), h('td', {}, t(`evidence.${s.evidence ?? 'strong'}`))),
      ),
    ),
  );

  const pages = [...new Set([...item.stamps, ...(item.unreadMarks ?? [])].map((s) => s.page))].sort((a, b) => a - b);
  const pageButtons =
    pages.length > 1
      ? h(
          'div',
          { class: 'actions', role: 'group', 'aria-label': t('review.pages') },
          ...pages.map((p) => {
            const b = h('button', { type: 'button', class: 'button small', 'aria-pressed': String(p === shownPage) }, t('review.page', { page: p }));
            b.addEventListener('click', () => {
              shownPage = p;
              drawDetail();
            });
            return b;
          }),
        )
      : null;

  panel.replaceChildren(
    h('h3', { tabindex: '-1' }, item.name),
    h('p', {}, t('intake.direction', { from: partyName(item.from), to: partyName(item.to) }), ' · ', t(`verdict.${item.verdict}`), ' · ', dateTime(item.writtenAt)),
    h('h4', {}, t('review.why')),
    ...reasonsView(item.reasons, item.reasonCodes),
    h('h4', {}, t('review.candidates')),
    h('p', { class: 'candidates' }, item.candidates.length ? item.candidates.map(levelName).join(', ') : t('level.none'), item.minLevel ? ` — ${t('review.minLevel', { level: levelName(item.minLevel) })}` : ''),
    h('div', { class: 'review-body' }, h('div', { class: 'review-page' }, pageButtons, pageFigure(item, shownPage)), h('div', { class: 'review-side' }, stampsTable, decisionForm(item))),
  );
}

/** The page with the found stamps outlined: boxes placed in percent of the page, so they follow the image's size. */
function pageFigure(item: ReviewItem, page: number): HTMLElement {
  const img = h('img', { class: 'preview', alt: t('review.pageAlt', { page, name: item.name }), width: 1000, height: 1414 });
  const frame = h('div', { class: 'outlined' }, img);
  const size = item.pageSizes?.[page - 1] ?? null;
  const onPage = item.stamps.filter((s) => s.page === page);
  let outlined = 0;
  onPage.forEach((s) => {
    if (!s.bbox || !size || size.width <= 0 || size.height <= 0) return;
    const [x0, y0, x1, y1] = s.bbox;
    const pct = (v: number, of: number) => `${Math.max(0, Math.min(100, (v / of) * 100)).toFixed(2)}%`;
    const n = item.stamps.indexOf(s) + 1;
    const box = h('span', { class: `stamp-box level-${s.level}`, title: `${n}. ${levelName(s.level)} (${langName(s.lang)})` }, h('span', { class: 'stamp-label' }, String(n)));
    box.style.left = pct(x0, size.width);
    box.style.top = pct(y0, size.height);
    box.style.width = pct(x1 - x0, size.width);
    box.style.height = pct(y1 - y0, size.height);
    frame.append(box);
    outlined++;
  });
  // Stamp-like marks that could not be read: outlined apart, for the person to read themselves.
  const marks = (item.unreadMarks ?? []).filter((m) => m.page === page);
  if (size && size.width > 0 && size.height > 0) {
    for (const m of marks) {
      const [x0, y0, x1, y1] = m.bbox;
      const pct = (v: number, of: number) => `${Math.max(0, Math.min(100, (v / of) * 100)).toFixed(2)}%`;
      const box = h('span', { class: 'stamp-box unread-mark', title: t('review.unreadMark') }, h('span', { class: 'stamp-label' }, '?'));
      box.style.left = pct(x0, size.width);
      box.style.top = pct(y0, size.height);
      box.style.width = pct(x1 - x0, size.width);
      box.style.height = pct(y1 - y0, size.height);
      frame.append(box);
    }
  }
  const stampsCaption = onPage.length === 0 ? t('review.noStampsOnPage', { page }) : outlined ? t('review.outlined', { n: outlined, page }) : t('review.noBoxes', { page });
  const caption = marks.length ? `${stampsCaption} ${t('review.unreadOutlined', { n: marks.length, page })}` : stampsCaption;
  getBlob(`/carriers/${item.carrierId}/preview/original.png?page=${page}`).then(
    ({ blob }) => {
      previewUrl = URL.createObjectURL(blob);
      img.onload = () => {
        img.width = img.naturalWidth;
        img.height = img.naturalHeight;
      };
      img.src = previewUrl;
    },
    (err: unknown) => frame.replaceChildren(h('p', { class: 'problem' }, errorText(err))),
  );
  return h('figure', { class: 'preview-fig' }, frame, h('figcaption', {}, caption));
}

function decisionForm(item: ReviewItem): HTMLFormElement {
  const min = item.minLevel ? rank(item.minLevel) : 0;
  const suggested: Level = item.minLevel ?? item.candidates[0] ?? 'secret';
  const level = h(
    'select',
    { id: 'decision-level', name: 'level' },
    ...LEVELS.map((l) =>
      h('option', { value: l, selected: l === suggested, disabled: rank(l) < min }, rank(l) < min ? `${levelName(l)} — ${t('review.belowEvidence')}` : levelName(l)),
    ),
  );
  const reference = h('input', { id: 'decision-reference', name: 'reference', type: 'text', required: true, autocomplete: 'off', maxlength: 200 });
  // With a personal token the service records its user: the name is shown, not asked for.
  const user = signedInUser();
  const who = user === null ? h('input', { id: 'decision-by', name: 'decidedBy', type: 'text', required: true, autocomplete: 'name', maxlength: 200, value: myName() }) : undefined;
  const whoField = who
    ? h('div', { class: 'field' }, h('label', { for: 'decision-by' }, t('review.decidedBy')), who)
    : h(
        'div',
        { class: 'field', role: 'group', 'aria-labelledby': 'decision-by-label' },
        h('span', { id: 'decision-by-label', class: 'label' }, t('review.decidedBy')),
        h('strong', { id: 'decision-by-user' }, user),
        h('small', { class: 'hint' }, t('review.decidedByToken')),
      );
  const message = h('p', { class: 'form-message', role: 'status' });
  const form = h(
    'form',
    { class: 'decision', novalidate: true },
    h('h4', {}, t('review.decision')),
    h('div', { class: 'field' }, h('label', { for: 'decision-level' }, t('review.level')), level),
    h('div', { class: 'field' }, h('label', { for: 'decision-reference' }, t('review.reference')), reference, h('small', { class: 'hint' }, t('review.referenceHint'))),
    whoField,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary', name: 'action', value: 'set' }, t('review.setLevel')),
      h('button', { type: 'submit', class: 'button danger', name: 'action', value: 'reject' }, t('review.reject')),
    ),
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const action = ((e as SubmitEvent).submitter as HTMLButtonElement | null)?.value === 'reject' ? 'reject' : 'set';
    const required: [HTMLInputElement, string][] = [[reference, 'review.needReference']];
    if (who) required.push([who, 'review.needName']);
    for (const [input, key] of required) {
      if (!input.value.trim()) {
        message.textContent = t(key);
        message.className = 'form-message problem';
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
    }
    if (action === 'reject' && !window.confirm(t('review.confirmReject', { name: item.name }))) return;
    if (who) setMyName(who.value);
    // With a personal token "decidedBy" is left out: the service records the token's user.
    const by = who ? { decidedBy: who.value.trim() } : {};
    const body = action === 'reject' ? { reject: true, reference: reference.value.trim(), ...by } : { level: level.value, reference: reference.value.trim(), ...by };
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    message.textContent = t('review.sending');
    message.className = 'form-message';
    postJson<{ status: 'queued' | 'rejected' }>(`/review/${item.carrierId}`, body).then(
      (r) => {
        const text = r.status === 'queued' ? t('review.queued', { name: item.name, level: levelName(level.value as Level) }) : t('review.rejected', { name: item.name });
        outcome = { id: item.carrierId, name: item.name, text };
        announce(text);
        track(item.carrierId, item.name);
        void loadReview().then(() => document.querySelector<HTMLElement>('#review-detail .decided')?.focus());
      },
      (err: unknown) => {
        message.textContent = err instanceof ApiError && err.status === 409 ? t('review.alreadyDecided') : errorText(err);
        message.className = 'form-message problem';
        for (const b of form.querySelectorAll('button')) b.disabled = false;
      },
    );
  });
  return form;
}

function decidedNote(o: { id: string; name: string; text: string }): HTMLElement {
  return h('div', { class: 'decided', tabindex: '-1', role: 'status' }, h('p', {}, o.text), h('p', {}, h('a', { href: '#intake', class: 'button' }, t('review.follow'))));
}

export function redrawReview(): void {
  drawList();
  drawDetail();
}

export function initReview(): void {
  $('#review-refresh').addEventListener('click', () => void loadReview().then(() => announce(t('review.count', { n: items.length }))));
}

export function resetReview(): void {
  me = NOBODY;
  items = [];
  selected = undefined;
  outcome = undefined;
}
