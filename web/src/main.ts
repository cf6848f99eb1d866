/**
 * The page for intake clerks and reviewers: sign-in with the service's token or a personal one
 * (whose user the service records with review decisions), then three screens
 * (#intake, #review, #register) chosen by the address's fragment, so that the browser's back
 * button and bookmarks work. The language (ru, kk, ky, en) can be switched at any time.
 */
import { checkToken, getToken, setToken, whenUnauthorized, type Me } from './api.js';
import { $, announce, errorText } from './dom.js';
import { applyStatic, lang, preferredLang, setLang, t, UI_LANGS, type UiLang } from './i18n.js';
import { initIntake, redrawIntake, startIntake, stopIntake } from './intake.js';
import { drawAfter, initAfter, resetAfter, showAfter } from './after.js';
import { drawDisposal, initDisposal, resetDisposal, showDisposal } from './disposal.js';
import { drawRegister, initRegister, resetRegister, showRegister } from './register.js';
import { initReview, myName, redrawReview, refreshReviewList, resetReview, selectReview, setMe, setMyName, shownName } from './review.js';

type Screen = 'intake' | 'review' | 'register' | 'after' | 'disposal';
const SCREENS: readonly Screen[] = ['intake', 'review', 'register', 'after', 'disposal'];
let signedIn = false;
/** Whether the signed-in role may decide reviews: without it, the review screen is not offered. */
let mayReview = false;
/** Whether it may record level-change notices and re-mark (the after-intake screen shows the rest to every role). */
let mayNotices = false;
/** Whether it may copy, return and destroy (the inventory is shown to every role). */
let mayDispose = false;

function route(): { screen: Screen; id?: string } {
  const [screen, id] = location.hash.replace(/^#/, '').split('/');
  return SCREENS.includes(screen as Screen) ? { screen: screen as Screen, ...(id ? { id } : {}) } : { screen: 'intake' };
}

function show(focus: boolean): void {
  $('#signin').hidden = signedIn;
  $('#app-nav').hidden = !signedIn;
  $('#signout').hidden = !signedIn;
  if (!signedIn) {
    for (const s of SCREENS) $(`#${s}`).hidden = true;
    return;
  }
  const routed = route();
  const { id } = routed;
  const screen: Screen = routed.screen === 'review' && !mayReview ? 'intake' : routed.screen;
  $('#nav-review').parentElement!.hidden = !mayReview;
  for (const s of SCREENS) {
    $(`#${s}`).hidden = s !== screen;
    const link = $(`#nav-${s}`);
    if (s === screen) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${t(`nav.${screen}`)} — ${t('app.title')}`;
  if (screen === 'review') selectReview(id);
  if (screen === 'after') showAfter(mayNotices);
  if (screen === 'disposal') showDisposal(mayDispose);
  // Opening or closing a carrier in the register moves the focus itself (to it, or back to its row).
  const focusMoved = screen === 'register' ? showRegister(id) : false;
  // Moving between screens puts the focus on the new screen's heading (as a page load would).
  if (focus && !focusMoved && !(screen === 'review' && id)) $<HTMLElement>(`#${screen} h2`).focus();
}

function showWho(): void {
  $('#whoami').textContent = shownName() ? t('header.signedInAs', { name: shownName() }) : '';
}

function signIn(who: Me): void {
  signedIn = true;
  mayReview = who.may.review;
  mayNotices = who.may.notices;
  mayDispose = who.may.disposal;
  setMe(who);
  showWho();
  startIntake(who.may.review);
  show(true);
}

function signOut(reason?: string): void {
  setToken(null);
  signedIn = false;
  mayReview = false;
  mayNotices = false;
  mayDispose = false;
  resetAfter();
  resetDisposal();
  stopIntake();
  resetReview();
  resetRegister();
  $('#whoami').textContent = '';
  $('#signin-error').textContent = reason ?? '';
  show(false);
  $<HTMLInputElement>('#token').focus();
}

function initSignin(): void {
  const form = $<HTMLFormElement>('#signin-form');
  const name = $<HTMLInputElement>('#signin-name');
  name.value = myName();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $<HTMLInputElement>('#token').value.trim();
    const error = $('#signin-error');
    if (!token) {
      error.textContent = t('signin.needToken');
      $<HTMLInputElement>('#token').focus();
      return;
    }
    const button = $<HTMLButtonElement>('#signin-submit');
    button.disabled = true;
    error.textContent = '';
    checkToken(token)
      .then((who) => {
        if (!who) {
          error.textContent = t('signin.wrongToken');
          $<HTMLInputElement>('#token').select();
          return;
        }
        setToken(token);
        // A personal token names its user; the name typed is for the shared token only.
        if (who.kind === 'service') setMyName(name.value);
        $<HTMLInputElement>('#token').value = '';
        announce(who.kind === 'user' ? t('signin.welcomeUser', { name: who.name }) : t('signin.welcome'));
        signIn(who);
      })
      .catch((err: unknown) => (error.textContent = errorText(err)))
      .finally(() => (button.disabled = false));
  });
  $('#signout').addEventListener('click', () => signOut(t('signin.signedOut')));
}

function initLangSwitch(): void {
  const select = $<HTMLSelectElement>('#lang');
  select.replaceChildren(
    ...UI_LANGS.map((l) => {
      const o = document.createElement('option');
      o.value = l;
      // Each language by its own name, so that anyone finds theirs.
      o.textContent = { ru: 'Русский', kk: 'Қазақша', ky: 'Кыргызча', en: 'English' }[l];
      o.lang = l;
      return o;
    }),
  );
  select.value = lang();
  select.addEventListener('change', () => {
    void setLang(select.value as UiLang).then(() => {
      applyStatic(document);
      redrawIntake();
      redrawReview();
      drawRegister();
      drawAfter();
      drawDisposal();
      if (signedIn) {
        showWho();
        show(false);
      }
      announce(t('lang.switched'));
    });
  });
}

async function boot(): Promise<void> {
  await setLang(preferredLang());
  initLangSwitch();
  initSignin();
  initIntake();
  initReview();
  initRegister();
  initAfter();
  initDisposal();
  whenUnauthorized(() => {
    if (signedIn) signOut(t('signin.expired'));
  });
  window.addEventListener('hashchange', () => show(true));
  // The review queue, while it is on screen, is looked at again every 10 s.
  window.setInterval(() => {
    if (signedIn && mayReview && !document.hidden && route().screen === 'review') void refreshReviewList();
  }, 10_000);
  const token = getToken();
  const who = token ? await checkToken(token).catch(() => null) : null;
  if (who) signIn(who);
  else {
    setToken(null);
    show(false);
  }
  document.body.classList.add('ready');
}

void boot().catch((err: unknown) => {
  const p = document.getElementById('boot-error');
  if (p) p.textContent = `grif: ${err instanceof Error ? err.message : String(err)}`;
});
