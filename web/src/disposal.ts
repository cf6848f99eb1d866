/**
 * The screen for a carrier's end (Art. 6.4) and the account (Art. 6.2): copies with the
 * originator's permission, returns and destruction by an act, and the inventory as of a day.
 * Copying, returning and destroying are offered only to roles that may (GET /me's may.disposal);
 * a destruction asks to be confirmed before anything is sent, since it cannot be undone.
 */
import { download, getJson, postJson, type CopiesMade, type DestructionDone, type Inventory, type ReturnsRecorded } from './api.js';
import { $, announce, errorText, fieldValue, h, idList, levelName, withBy } from './dom.js';
import { t } from './i18n.js';

/** An act numbered "12/2026" is saved as act-12-2026.pdf (as the service names it). */
const actFileName = (act: string): string => `act-${act.replace(/[\\/]/g, '-')}.pdf`;

let mayDispose = false;
let inventory: Inventory | null = null;
/** The destruction waiting for its confirmation. */
let pendingDestruction: Record<string, unknown> | null = null;


/** What the inventory counts carriers on hand under: their level, none, or where they stand in intake. */
function holdingName(k: string): string {
  if (k === 'special-importance' || k === 'top-secret' || k === 'secret') return levelName(k);
  if (k === 'unmarked') return levelName(null);
  if (k === 'review' || k === 'rejected' || k === 'parked') return t(`stage.${k}`);
  return t('disposal.inIntake');
}

function drawInventory(): void {
  const inv = inventory;
  $('#inventory-summary').replaceChildren();
  $('#inventory-rows').replaceChildren();
  $('#inventory-ended').replaceChildren();
  if (!inv) return;
  const c = inv.carriers;
  const k = inv.copies;
  $('#inventory-summary').replaceChildren(
    h('li', { 'data-count': 'carriers' }, t('disposal.carriersCount', { received: c.received, onHand: c.onHand, returned: c.returned, destroyed: c.destroyed })),
    h('li', { 'data-count': 'copies' }, t('disposal.copiesCount', { received: k.received, onHand: k.onHand, returned: k.returned, destroyed: k.destroyed })),
    h('li', {}, t('disposal.noticesCount', { n: inv.notices.length, overdue: inv.notices.filter((n) => n.overdue).length })),
    h('li', { class: inv.addsUp ? '' : 'problem' }, inv.addsUp ? t('disposal.addsUp') : t('disposal.doesNotAddUp')),
  );
  $('#inventory-rows').replaceChildren(
    ...Object.entries(inv.onHandBy).flatMap(([party, byLevel]) =>
      Object.entries(byLevel).map(([level, n]) => h('tr', {}, h('td', {}, t(`party.from${party}`)), h('td', {}, holdingName(level)), h('td', {}, String(n)))),
    ),
  );
  $('#inventory-ended').replaceChildren(
    ...inv.ended.map((l) =>
      h(
        'tr',
        {},
        h('td', {}, l.incoming),
        h('th', { scope: 'row' }, l.copy !== null ? t('disposal.copyOf', { name: l.name, n: l.copy }) : l.name),
        h('td', {}, t(`disposal.standing.${l.standing}`)),
        h('td', {}, l.ended ? l.ended.at.slice(0, 10) : ''),
        h('td', {}, l.ended?.reference ?? ''),
      ),
    ),
  );
  $('#inventory-ended-empty').hidden = inv.ended.length > 0;
}

export async function loadInventory(): Promise<void> {
  const problem = $('#disposal-problem');
  try {
    const asOf = fieldValue('inventory-as-of');
    inventory = await getJson<Inventory>(`/inventory${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`);
    problem.textContent = '';
    drawInventory();
  } catch (err) {
    problem.textContent = errorText(err);
  }
}

async function makeCopies(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  const problem = $('#copy-problem');
  try {
    const id = fieldValue('copy-carrier');
    const r = await postJson<CopiesMade>(`/carriers/${encodeURIComponent(id)}/copies`, withBy({ permission: fieldValue('copy-permission'), count: Number(fieldValue('copy-count') || '1') }));
    problem.textContent = '';
    const numbers = r.copies.map((c) => c.number).join(', ');
    $('#copy-result').replaceChildren(
      t('disposal.copied', { numbers }),
      ...r.copies.map((c) => h('button', { type: 'button', class: 'button small', onclick: () => void download(c.pdf, `${id}.copy-${c.number}.pdf`) }, t('disposal.downloadCopy', { n: c.number }))),
    );
    announce(t('disposal.copied', { numbers }));
    await loadInventory();
  } catch (err) {
    problem.textContent = errorText(err);
  }
}

async function returnCarriers(e: SubmitEvent): Promise<void> {
  e.preventDefault();
  const problem = $('#return-problem');
  try {
    const r = await postJson<ReturnsRecorded>('/returns', withBy({ carriers: idList('return-carriers'), notice: fieldValue('return-notice'), reference: fieldValue('return-reference'), date: fieldValue('return-date') }));
    problem.textContent = '';
    const text = t('disposal.returned', { n: r.returned.length, copies: r.returned.reduce((n, x) => n + x.copies.length, 0) });
    $('#return-result').textContent = text;
    announce(text);
    await loadInventory();
  } catch (err) {
    problem.textContent = errorText(err);
  }
}

/** The first step: what would be destroyed, shown to be confirmed; nothing is sent yet. */
function askDestruction(e: SubmitEvent): void {
  e.preventDefault();
  const members = [fieldValue('destroy-member1'), fieldValue('destroy-member2'), ...fieldValue('destroy-members-more').split(/[,;\n]+/).map((m) => m.trim())].filter(Boolean);
  const carriers = idList('destroy-carriers');
  const problem = $('#destroy-problem');
  if (!carriers.length || members.length < 2) {
    problem.textContent = t('disposal.destroyIncomplete');
    return;
  }
  problem.textContent = '';
  pendingDestruction = withBy({
    carriers,
    notice: fieldValue('destroy-notice'),
    act: fieldValue('destroy-act'),
    members,
    ...(fieldValue('destroy-date') ? { date: fieldValue('destroy-date') } : {}),
    ...(fieldValue('destroy-how') ? { how: fieldValue('destroy-how') } : {}),
    ...($<HTMLInputElement>('#destroy-russian').checked ? { russian: true } : {}),
  });
  $('#destroy-confirm-text').textContent = t('disposal.confirmText', { n: carriers.length, act: fieldValue('destroy-act'), members: members.join(', ') });
  $('#destroy-confirm-list').replaceChildren(...carriers.map((c) => h('li', {}, c)));
  $('#destroy-confirm').hidden = false;
  $<HTMLButtonElement>('#destroy-confirm-yes').focus();
}

async function destroy(): Promise<void> {
  const problem = $('#destroy-problem');
  const body = pendingDestruction;
  if (!body) return;
  const yes = $<HTMLButtonElement>('#destroy-confirm-yes');
  yes.disabled = true;
  try {
    const r = await postJson<DestructionDone>('/destructions', body);
    pendingDestruction = null;
    $('#destroy-confirm').hidden = true;
    problem.textContent = '';
    const text = t('disposal.destroyed', { act: r.act, n: r.carriers.length, sought: r.sought.length, files: r.search.files });
    $('#destroy-result').replaceChildren(text, h('button', { type: 'button', class: 'button small', onclick: () => void download(r.links.pdf, actFileName(r.act)) }, t('disposal.downloadAct', { act: r.act })));
    announce(text);
    await download(r.links.pdf, actFileName(r.act));
    await loadInventory();
  } catch (err) {
    problem.textContent = errorText(err);
  } finally {
    yes.disabled = false;
  }
}

function cancelDestruction(): void {
  pendingDestruction = null;
  $('#destroy-confirm').hidden = true;
  $<HTMLButtonElement>('#destroy-submit').focus();
}

export function drawDisposal(): void {
  for (const id of ['#copy-form', '#return-form', '#destroy-form']) $(id).hidden = !mayDispose;
  drawInventory();
}

export function initDisposal(): void {
  $<HTMLFormElement>('#copy-form').addEventListener('submit', (e) => void makeCopies(e));
  $<HTMLFormElement>('#return-form').addEventListener('submit', (e) => void returnCarriers(e));
  $<HTMLFormElement>('#destroy-form').addEventListener('submit', (e) => askDestruction(e));
  $('#destroy-confirm-yes').addEventListener('click', () => void destroy());
  $('#destroy-confirm-no').addEventListener('click', () => cancelDestruction());
  $<HTMLFormElement>('#inventory-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void loadInventory();
  });
}

export function showDisposal(may: boolean): void {
  mayDispose = may;
  drawDisposal();
  void loadInventory();
}

export function resetDisposal(): void {
  mayDispose = false;
  inventory = null;
  pendingDestruction = null;
}
