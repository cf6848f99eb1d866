/**
 * Intake: the clerk drops carriers (or chooses them with the file input), says which Party sent
 * them, and follows each one: upload progress, then its stage polled every second (queued,
 * extracting page n/N, detecting, stamping), then its result: the verdict, page 1 before and
 * after stamping, and the stamped PDF and receipt to download.
 */
import { ApiError, download, FINAL, getBlob, getJson, other, uploadCarrier, type CarrierStatus, type Party, type Receipt, type Stage } from './api.js';
import { $, announce, errorText, formatBytes, h, langName, levelName, partyName } from './dom.js';
import { t } from './i18n.js';
import { errorSentence, errorView, reasonsView } from './reasons.js';

const EXTENSIONS = ['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff'];
const TRACKED_KEY = 'grif.tracked';
const PARTY_KEY = 'grif.from';
const UPLOADS_AT_ONCE = 3;

interface Tracked {
  key: string;
  name: string;
  size?: number;
  from?: Party;
  id?: string;
  upload: 'waiting' | 'sending' | 'done' | 'failed';
  sent: number;
  total: number;
  error?: string;
  duplicateOf?: string;
  status?: CarrierStatus;
  receipt?: Receipt;
  /** The stage the result part was last drawn for. */
  drawn?: string;
  polling?: boolean;
  card?: HTMLLIElement;
  /** Object URLs of its previews, freed when the card goes. */
  urls: string[];
}

/** What a carrier's result needs beside its status: its name, its receipt, and a place for the previews' object URLs. */
export interface ResultView {
  readonly name: string;
  readonly receipt?: Receipt | undefined;
  /** Object URLs of its previews; whoever shows the result frees them when it goes. */
  readonly urls: string[];
}

const tracked: Tracked[] = [];
let pending: { item: Tracked; file: File; fields: Record<string, string> }[] = [];
/** Whether the signed-in role may decide reviews (a clerk is not offered the review screen). */
let mayReview = false;
let sending = 0;
let tick = 0;
let timer: number | undefined;

const list = (): HTMLUListElement => $<HTMLUListElement>('#uploads');

function save(): void {
  const kept = tracked.filter((x) => x.id).map((x) => ({ id: x.id, name: x.name, ...(x.duplicateOf ? { duplicateOf: x.duplicateOf } : {}) }));
  sessionStorage.setItem(TRACKED_KEY, JSON.stringify(kept));
}

/** Follows a carrier already in the service (one decided in review, or one uploaded earlier in this tab). */
export function track(id: string, name: string, duplicateOf?: string): void {
  const known = tracked.find((x) => x.id === id && !x.duplicateOf);
  if (known) {
    void poll(known);
    return;
  }
  const item: Tracked = { key: id, id, name, upload: 'done', sent: 0, total: 0, urls: [], ...(duplicateOf ? { duplicateOf } : {}) };
  tracked.unshift(item);
  save();
  draw(item);
}

function chosenParty(): Party | undefined {
  const checked = document.querySelector<HTMLInputElement>('input[name="from"]:checked');
  return checked ? (checked.value as Party) : undefined;
}

function addFiles(files: readonly File[]): void {
  if (files.length === 0) return;
  const from = chosenParty();
  const problem = $('#intake-problem');
  if (!from) {
    problem.textContent = t('intake.chooseParty');
    document.querySelector<HTMLInputElement>('input[name="from"]')?.focus();
    return;
  }
  problem.textContent = '';
  localStorage.setItem(PARTY_KEY, from);
  const russian = $<HTMLInputElement>('#russian').checked;
  const transfer = $<HTMLInputElement>('#transfer').value.trim();
  const joint = $<HTMLInputElement>('#joint').checked;
  for (const file of files) {
    const item: Tracked = { key: `u${Date.now()}-${Math.random().toString(36).slice(2)}`, name: file.name, size: file.size, from, upload: 'waiting', sent: 0, total: file.size, urls: [] };
    tracked.unshift(item);
    const ext = file.name.includes('.') ? file.name.slice(file.name.lastIndexOf('.')).toLowerCase() : '';
    if (!EXTENSIONS.includes(ext)) {
      item.upload = 'failed';
      item.error = t('intake.unsupported', { ext: ext || '—' });
    } else pending.push({ item, file, fields: { from, to: other(from), russian: String(russian), ...(transfer ? { transfer } : {}), ...(joint ? { joint: 'true' } : {}) } });
    draw(item);
  }
  announce(t('intake.added', { n: files.length }));
  pump();
}

function pump(): void {
  while (sending < UPLOADS_AT_ONCE && pending.length > 0) {
    const next = pending.shift()!;
    sending++;
    void send(next.item, next.file, next.fields).finally(() => {
      sending--;
      pump();
    });
  }
}

async function send(item: Tracked, file: File, fields: Record<string, string>): Promise<void> {
  item.upload = 'sending';
  draw(item);
  try {
    const a = await uploadCarrier(file, fields, (sent, total) => {
      item.sent = sent;
      item.total = total;
      draw(item);
    });
    item.upload = 'done';
    item.id = a.carrierId;
    if (a.status === 'duplicate') item.duplicateOf = a.firstName ?? '';
    save();
    announce(a.status === 'duplicate' ? t('intake.duplicate', { name: item.name, first: a.firstName ?? '' }) : t('intake.uploaded', { name: item.name }));
    await poll(item);
  } catch (err) {
    item.upload = 'failed';
    item.error = errorText(err);
    announce(`${item.name}: ${item.error}`);
  }
  draw(item);
}

async function poll(item: Tracked): Promise<void> {
  if (!item.id || item.polling) return;
  item.polling = true;
  try {
    const before = item.status?.stage;
    item.status = await getJson<CarrierStatus>(`/carriers/${item.id}`);
    const stage = item.status.stage;
    if (stage !== before && (FINAL.includes(stage) || stage === 'review')) {
      if (item.status.downloads.receipt) item.receipt = await getJson<Receipt>(item.status.downloads.receipt).catch(() => undefined);
      announce(`${item.name}: ${stageText(item.status)}`);
    }
  } catch (err) {
    item.error = errorText(err);
    // The service no longer knows it (another data directory): stop asking.
    if (err instanceof ApiError && err.status === 404) item.upload = 'failed';
  } finally {
    item.polling = false;
  }
  draw(item);
}

function pollAll(): void {
  tick++;
  for (const item of tracked) {
    if (!item.id || item.upload !== 'done') continue;
    const stage = item.status?.stage;
    if (stage && FINAL.includes(stage)) continue;
    // A carrier waiting for a person changes seldom: every third second is enough.
    if (stage === 'review' && tick % 3 !== 0) continue;
    void poll(item);
  }
}

export function stageText(s: Pick<CarrierStatus, 'stage' | 'progress' | 'detail' | 'errorCode'>): string {
  if (s.stage === 'extracting' && s.progress) return t('stage.extractingPage', { page: s.progress.page, pages: s.progress.pages });
  if (s.stage === 'rejected') return t('stage.rejectedWhy', { reason: errorSentence(s.errorCode) ?? s.detail ?? '' });
  if (s.stage === 'parked') return t('stage.parkedWhy', { reason: errorSentence(s.errorCode) ?? s.detail ?? '' });
  return t(`stage.${s.stage}`);
}

export function badge(stage: Stage | 'uploading' | 'failed' | 'waiting'): HTMLSpanElement {
  return h('span', { class: `badge badge-${stage}` }, t(`badge.${stage}`));
}

/** Draws (or updates in place) a carrier's card; the result part only when its stage changed, so focus stays put. */
function draw(item: Tracked): void {
  if (!item.card) {
    item.card = h('li', { class: 'card', 'data-key': item.key });
    list().prepend(item.card);
    $('#uploads-empty').hidden = true;
  }
  const card = item.card;
  const s = item.status;
  const stage: Stage | 'uploading' | 'failed' | 'waiting' = item.upload === 'failed' ? 'failed' : item.upload !== 'done' ? (item.upload === 'waiting' ? 'waiting' : 'uploading') : (s?.stage ?? 'queued');
  card.dataset['stage'] = stage;
  if (item.id) card.dataset['carrier'] = item.id;

  let head = card.querySelector('.card-head');
  if (!head) {
    head = h('div', { class: 'card-head' });
    card.append(head, h('p', { class: 'status' }), h('div', { class: 'bar-holder' }), h('div', { class: 'result' }));
  }
  const from = s?.from ?? item.from;
  head.replaceChildren(
    ...[
      h('h3', { class: 'card-name' }, item.name),
      from ? h('span', { class: 'parties' }, t('intake.direction', { from: partyName(from), to: partyName(other(from)) })) : null,
      item.size !== undefined ? h('span', { class: 'size' }, formatBytes(item.size)) : null,
    ].filter((x): x is HTMLElement => x !== null),
  );

  const status = card.querySelector<HTMLElement>('.status')!;
  let text: string;
  if (item.upload === 'waiting') text = t('upload.waiting');
  else if (item.upload === 'sending') text = t('upload.sending', { percent: item.total ? Math.round((item.sent / item.total) * 100) : 0 });
  else if (item.upload === 'failed') text = t('upload.failed', { reason: item.error ?? '' });
  else if (!s) text = t('stage.queued');
  else text = stageText(s);
  if (item.duplicateOf !== undefined) text = `${t('intake.duplicateNote', { first: item.duplicateOf })} ${text}`;
  const b = badge(stage);
  // The badge alone when it says it all ("stamped" twice reads badly).
  const same = text.trim().toLocaleLowerCase() === (b.textContent ?? '').trim().toLocaleLowerCase();
  if (same) status.replaceChildren(b);
  else status.replaceChildren(b, ' ', h('span', { class: 'status-text' }, text));

  // One bar: the upload's bytes, then the pages read.
  const holder = card.querySelector<HTMLElement>('.bar-holder')!;
  let value: number | undefined;
  let max = 100;
  if (item.upload === 'sending') {
    value = item.total ? Math.round((item.sent / item.total) * 100) : 0;
  } else if (s?.stage === 'extracting' && s.progress) {
    value = s.progress.page;
    max = s.progress.pages;
  } else if (item.upload === 'done' && s && !FINAL.includes(s.stage) && s.stage !== 'review') {
    value = undefined; // indeterminate while queued or detecting
  } else {
    holder.replaceChildren();
    value = -1;
  }
  if (value !== -1) {
    let bar = holder.querySelector('progress');
    if (!bar) {
      bar = h('progress', { max: 100, 'aria-label': t('intake.progressOf', { name: item.name }) });
      holder.replaceChildren(bar);
    }
    bar.max = max;
    if (value === undefined) bar.removeAttribute('value');
    else bar.value = value;
  }

  const result = card.querySelector<HTMLElement>('.result')!;
  const drawnFor = s && (FINAL.includes(s.stage) || s.stage === 'review') ? `${s.stage}` : '';
  if (drawnFor !== (item.drawn ?? '')) {
    item.drawn = drawnFor;
    for (const u of item.urls.splice(0)) URL.revokeObjectURL(u);
    result.replaceChildren(...(s && drawnFor ? resultOf(item, s) : []));
  }
}

function stampsList(s: CarrierStatus): HTMLElement {
  if (s.stamps.length === 0) return h('span', {}, t('result.noStamps'));
  return h(
    'ul',
    { class: 'stamps' },
    ...s.stamps.map((st) =>
      h('li', {}, t('result.stamp', { level: levelName(st.level), lang: langName(st.lang), page: st.page }), st.evidence === 'weak' ? ` (${t('result.weak')})` : ''),
    ),
  );
}

function previewFigure(item: ResultView, path: string, caption: string): HTMLElement {
  const img = h('img', { alt: t('result.previewAlt', { what: caption, name: item.name }), class: 'preview', width: 1000, height: 1414 });
  // The image is a link to itself at full size, in a new tab.
  const link = h('a', { class: 'preview-link', target: '_blank', rel: 'noopener', title: t('result.fullSize') }, img);
  const fig = h('figure', { class: 'preview-fig' }, link, h('figcaption', {}, caption));
  img.setAttribute('aria-busy', 'true');
  getBlob(path).then(
    ({ blob }) => {
      const url = URL.createObjectURL(blob);
      item.urls.push(url);
      img.onload = () => {
        img.width = img.naturalWidth;
        img.height = img.naturalHeight;
        img.removeAttribute('aria-busy');
      };
      img.src = url;
      link.href = url;
    },
    (err: unknown) => fig.replaceChildren(h('p', { class: 'muted' }, `${caption}: ${errorText(err)}`)),
  );
  return fig;
}

/**
 * A carrier's result as the intake card shows it (also the register's carrier detail): the level,
 * the markings found and added, the downloads, and page 1 before and after; or why it waits for a
 * person, or why it was rejected.
 */
export function resultOf(item: ResultView, s: CarrierStatus): Node[] {
  const id = s.carrierId;
  const facts = h('dl', { class: 'facts' });
  const fact = (term: string, ...value: (Node | string)[]) => facts.append(h('dt', {}, term), h('dd', {}, ...value));
  const out: Node[] = [facts];
  // The incoming number the register gave it (a service before numbers gave none).
  if (s.incoming) fact(t('result.incoming'), s.incoming);
  if (s.stage === 'stamped' || s.stage === 'unmarked' || s.stage === 'already-marked') {
    fact(t('result.level'), levelName(s.level));
    fact(t('result.stampsFound'), stampsList(s));
    const added = item.receipt?.added ?? [];
    fact(t('result.added'), added.length ? added.map((m) => `${m.text} (${langName(m.lang)})`).join('; ') : s.stage === 'unmarked' ? t('result.noneUnmarked') : t('result.noneNeeded'));
    // Never "stamped" for a carrier nothing was added to.
    if (item.receipt?.reference) fact(t('result.decision'), t('result.decidedBy', { who: item.receipt.decidedBy ?? '', reference: item.receipt.reference }));
    const actions = h('div', { class: 'actions' });
    if (s.downloads.pdf) actions.append(downloadButton(s.downloads.pdf, s.stage === 'stamped' ? t('result.downloadPdf') : t('result.downloadUnchanged'), item.name));
    if (s.downloads.receipt) actions.append(downloadButton(s.downloads.receipt, t('result.downloadReceipt'), item.name));
    // The verdict and the downloads beside page 1 before and after.
    return [
      h(
        'div',
        { class: 'result-grid' },
        h('div', {}, facts, actions),
        h(
          'div',
          { class: 'previews' },
          previewFigure(item, `/carriers/${id}/preview/original.png`, t('result.before')),
          previewFigure(item, `/carriers/${id}/preview/stamped.png`, s.stage === 'stamped' ? t('result.after') : t('result.returned')),
        ),
      ),
    ];
  } else if (s.stage === 'review') {
    fact(t('result.why'), ...reasonsView(s.reasons ?? (s.detail ? [s.detail] : []), s.reasonCodes));
    fact(t('result.stampsFound'), stampsList(s));
    if (mayReview) out.push(h('div', { class: 'actions' }, h('a', { class: 'button', href: `#review/${id}` }, t('result.openReview'))));
  } else if (s.stage === 'parked') {
    // The service's trouble, not the carrier's: it waits for a person to take it again.
    fact(t('result.reason'), ...errorView(s.detail ?? '', s.errorCode));
    fact(t('result.parked'), t('result.parkedHint', { id }));
  } else if (s.stage === 'rejected') {
    fact(t('result.reason'), ...errorView(s.detail ?? '', s.errorCode));
    if (item.receipt?.reference) fact(t('result.decision'), t('result.decidedBy', { who: item.receipt.decidedBy ?? '', reference: item.receipt.reference }));
    if (s.downloads.receipt) out.push(h('div', { class: 'actions' }, downloadButton(s.downloads.receipt, t('result.downloadError'), item.name)));
  }
  return out;
}

function downloadButton(path: string, label: string, name: string): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'button' }, label);
  b.setAttribute('aria-label', `${label}: ${name}`);
  b.addEventListener('click', () => {
    b.disabled = true;
    download(path)
      .catch((err: unknown) => announce(errorText(err)))
      .finally(() => (b.disabled = false));
  });
  return b;
}

/** Redraws every card in the language just chosen. */
export function redrawIntake(): void {
  for (const item of tracked) {
    item.drawn = undefined;
    draw(item);
  }
}

export function initIntake(): void {
  const zone = $('#dropzone');
  const input = $<HTMLInputElement>('#file-input');
  input.accept = EXTENSIONS.join(',');
  input.addEventListener('change', () => {
    addFiles([...(input.files ?? [])]);
    input.value = '';
  });
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    addFiles([...(e.dataTransfer?.files ?? [])]);
  });
  // A file dropped beside the zone would be opened by the browser, leaving the page.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());

  const saved = localStorage.getItem(PARTY_KEY);
  if (saved) {
    const radio = document.querySelector<HTMLInputElement>(`input[name="from"][value="${saved === 'KG' ? 'KG' : 'KZ'}"]`);
    if (radio) radio.checked = true;
  }
  $('#clear-finished').addEventListener('click', () => {
    for (let i = tracked.length - 1; i >= 0; i--) {
      const x = tracked[i]!;
      if (x.upload === 'failed' || (x.status && FINAL.includes(x.status.stage))) {
        for (const u of x.urls) URL.revokeObjectURL(u);
        x.card?.remove();
        tracked.splice(i, 1);
      }
    }
    save();
    $('#uploads-empty').hidden = tracked.length > 0;
  });
}

/** Starts following: the carriers this tab followed before a reload, then every second. `review`: whether the role may decide reviews. */
export function startIntake(review: boolean): void {
  mayReview = review;
  const kept = JSON.parse(sessionStorage.getItem(TRACKED_KEY) ?? '[]') as { id: string; name: string; duplicateOf?: string }[];
  for (const k of kept.reverse()) track(k.id, k.name, k.duplicateOf);
  pollAll();
  timer = window.setInterval(pollAll, 1000);
}

export function stopIntake(): void {
  if (timer !== undefined) window.clearInterval(timer);
  timer = undefined;
  pending = [];
  for (const x of tracked) for (const u of x.urls) URL.revokeObjectURL(u);
  tracked.length = 0;
  list().replaceChildren();
  $('#uploads-empty').hidden = false;
  sessionStorage.removeItem(TRACKED_KEY);
}
