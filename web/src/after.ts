/**
 * The screen for a carrier's life after intake: transfers and their confirmation of receipt
 * (Art. 5.3), and level-change notices with their deadlines and re-marking (Art. 6.3). Recording a
 * notice and re-marking are offered only to roles that may (GET /me's may.notices).
 */
import { download, getJson, postJson, type Confirmation, type NoticeRecorded, type PendingList, type Remarked, type TransferList } from './api.js';
import { $, announce, errorText, fieldValue, h, idList, levelName, withBy } from './dom.js';
import { t } from './i18n.js';

let transfers: TransferList['items'] = [];
let pending: PendingList['items'] = [];
let mayNotices = false;
let loaded = false;

const changeName = (c: string): string => (c === 'removed' ? t('after.removed') : levelName(c as Parameters<typeof levelName>[0]));

function daysText(p: PendingList['items'][number]): string {
  if (p.overdue) return t('after.overdue', { n: -p.daysLeft });
  return p.daysLeft === 0 ? t('after.dueToday') : t('after.daysLeft', { n: p.daysLeft });
}

function drawTransfers(): void {
  const body = $('#transfer-rows');
  $('#transfers-empty').hidden = transfers.length > 0;
  body.replaceChildren(
    ...transfers.map((tr) => {
      const confirm =
        tr.unconfirmed > 0
          ? h('button', { type: 'button', class: 'button small', 'data-transfer': tr.transfer, onclick: () => void confirmTransfer(tr.transfer) }, t('after.confirm'))
          : null;
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, tr.transfer),
        h('td', {}, tr.carriers.map((c) => `${c.incoming} ${c.name}`).join('; ')),
        h('td', {}, String(tr.unconfirmed)),
        h(
          'td',
          { class: 'cell-actions' },
          confirm,
          ...tr.confirmations.map((c) =>
            h('button', { type: 'button', class: 'button small', onclick: () => void download(c.pdf, `confirmation-${c.number.replace(/\W+/g, '-')}.pdf`) }, t('after.downloadConfirmation', { number: c.number })),
          ),
        ),
      );
    }),
  );
}

function drawPending(): void {
  const body = $('#notice-rows');
  $('#notices-empty').hidden = pending.length > 0;
  body.replaceChildren(
    ...pending.map((p) =>
      h(
        'tr',
        { class: p.overdue ? 'overdue' : '' },
        h('td', {}, p.incoming),
        h('th', { scope: 'row' }, p.name),
        h('td', {}, changeName(p.change)),
        h('td', {}, p.due),
        h('td', {}, daysText(p)),
        h('td', {}, p.references),
        h(
          'td',
          { class: 'cell-actions' },
          mayNotices ? h('button', { type: 'button', class: 'button small', 'data-remark': p.carrierId, onclick: () => void remark(p.carrierId, p.name) }, t('after.remark')) : null,
        ),
      ),
    ),
  );
}

export function drawAfter(): void {
  if (!loaded) return;
  $('#notice-form').hidden = !mayNotices;
  drawTransfers();
  drawPending();
}

export async function loadAfter(): Promise<void> {
  const problem = $('#after-problem');
  try {
    const [tr, pe] = await Promise.all([getJson<TransferList>('/transfers'), getJson<PendingList>('/notices')]);
    transfers = tr.items;
    pending = pe.items;
    loaded = true;
    problem.textContent = '';
    drawAfter();
  } catch (err) {
    problem.textContent = errorText(err);
  }
}

async function confirmTransfer(transfer: string): Promise<void> {
  const problem = $('#after-problem');
  try {
    const authority = fieldValue('confirm-authority');
    const c = await postJson<Confirmation>(`/transfers/${encodeURIComponent(transfer)}/confirmation`, withBy(authority ? { authority } : {}));
    announce(t('after.confirmed', { number: c.number }));
    problem.textContent = '';
    await download(c.links.pdf, `confirmation-${c.number.replace(/\W+/g, '-')}.pdf`);
    await loadAfter();
  } catch (err) {
    problem.textContent = errorText(err);
  }
}

async function remark(id: string, name: string): Promise<void> {
  const problem = $('#after-problem');
  const button = document.querySelector<HTMLButtonElement>(`button[data-remark="${id}"]`);
  if (button) button.disabled = true;
  try {
    const r = await postJson<Remarked>(`/carriers/${id}/remark`, withBy($<HTMLInputElement>('#remark-russian').checked ? { russian: true } : {}));
    announce(t('after.remarked', { name, n: r.struck }));
    problem.textContent = '';
    await download(r.links.pdf);
    await loadAfter();
  } catch (err) {
    problem.textContent = errorText(err);
    if (button) button.disabled = false;
  }
}

async function recordNotice(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  const problem = $('#notice-problem');
  const carriers = idList('notice-carriers');
  const notice = (suffix: string) => ({
    from: fieldValue(`notice-from${suffix}`),
    reference: fieldValue(`notice-reference${suffix}`),
    date: fieldValue(`notice-date${suffix}`),
    authority: fieldValue(`notice-authority${suffix}`),
    ...(fieldValue(`notice-received${suffix}`) ? { received: fieldValue(`notice-received${suffix}`) } : {}),
  });
  const notices = [notice(''), ...($<HTMLInputElement>('#notice-joint').checked ? [notice('2')] : [])];
  try {
    const r = await postJson<NoticeRecorded>('/notices', withBy({ carriers, level: fieldValue('notice-level'), notices }));
    problem.textContent = '';
    const due = r.recorded[0]?.due ?? '';
    $('#notice-result').textContent = t('after.recorded', { n: r.recorded.length, due });
    announce(t('after.recorded', { n: r.recorded.length, due }));
    await loadAfter();
  } catch (err) {
    problem.textContent = errorText(err);
  }
}

export function initAfter(): void {
  $<HTMLFormElement>('#notice-form').addEventListener('submit', (e) => void recordNotice(e));
  $<HTMLInputElement>('#notice-joint').addEventListener('change', (e) => {
    $('#notice-second').hidden = !(e.target as HTMLInputElement).checked;
  });
  $('#after-refresh').addEventListener('click', () => void loadAfter());
}

export function showAfter(may: boolean): void {
  mayNotices = may;
  void loadAfter();
}

export function resetAfter(): void {
  transfers = [];
  pending = [];
  loaded = false;
  mayNotices = false;
}
