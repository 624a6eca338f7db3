/**
 * The app shell: header (language switch, who is logged in), navigation by role, the hash router
 * and the page contract. Pages render into <main>; after an action a page calls ctx.done(message)
 * to show the message and render itself again with fresh data.
 */
import { endSession, session, setUnauthorizedHandler } from './api.js';
import { h, mount } from './dom.js';
import { lang, setLang, t, type Lang } from './i18n.js';
import type { Role, User } from './types.js';
import { errorPanel, forgetUnits, loadUnits, loading, roleLabel } from './ui.js';

export interface Ctx {
  user: User;
  has(...roles: Role[]): boolean;
  /** Shows a success message and renders the current page again with fresh data. */
  done(message: string): void;
  go(hash: string): void;
  setTitle(title: string): HTMLElement;
}

export type Page = (main: HTMLElement, params: string[], ctx: Ctx) => Promise<void>;

interface Route {
  pattern: RegExp;
  page: Page;
  roles?: Role[];
}

const routes: Route[] = [];
let loginPage: ((main: HTMLElement, notice: string | null) => void) | null = null;
let flash: string | null = null;
let notice: string | null = null;
let rendering = 0;
/**
 * The first render of a page load leaves the focus where the browser has it (the top of the page:
 * the first Tab reaches the skip link); every later render (a navigation, an action's refresh)
 * moves it to the new content's heading.
 */
let firstRender = true;

export function route(pattern: RegExp, page: Page, roles?: Role[]): void {
  routes.push({ pattern, page, roles });
}

export function setLoginPage(page: (main: HTMLElement, notice: string | null) => void): void {
  loginPage = page;
}

function el(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} missing from index.html`);
  return found;
}

function navItems(user: User): [string, string][] {
  const has = (...roles: Role[]) => roles.some((r) => user.roles.includes(r));
  const items: [string, string][] = [['#/', t('nav.home')]];
  if (has('UNIT_OFFICER', 'UNIT_LEADER', 'CLUSTER_HEAD', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN', 'COUNCIL_CHAIR')) items.push(['#/campaigns', t('nav.campaigns')]);
  items.push(['#/nominations', t('nav.nominations')]);
  // The award registry: every signed-in user may read it (GET /registry), as the API allows.
  items.push(['#/registry', t('nav.registry')]);
  if (has('DEPARTMENT_REVIEWER')) items.push(['#/review', t('nav.review')]);
  if (has('COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR')) items.push(['#/council', t('nav.council')]);
  if (has('DEPARTMENT_REVIEWER')) items.push(['#/government', t('nav.government')]);
  if (has('AUDITOR', 'ADMIN')) items.push(['#/audit', t('nav.audit')]);
  if (has('DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN', 'COUNCIL_CHAIR', 'COUNCIL_MEMBER')) items.push(['#/overview', t('nav.overview')]);
  return items;
}

function langSwitch(): HTMLElement {
  const button = (code: Lang, text: string) =>
    h(
      'button',
      {
        type: 'button',
        lang: code,
        'aria-pressed': String(lang() === code),
        onclick: () => {
          if (lang() === code) return;
          setLang(code);
          void render();
        },
      },
      text,
    );
  return h('div', { class: 'lang', role: 'group', 'aria-label': t('lang.label') }, button('vi', 'Tiếng Việt'), button('en', 'English'));
}

function renderChrome(user: User | null, current: string): void {
  const header = el('app-header');
  mount(
    header,
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '★'), h('span', null, h('strong', null, t('app.name')), h('small', null, t('app.org')))),
    h(
      'div',
      { class: 'who' },
      user
        ? [
            h('span', { class: 'user' }, user.username, user.unitCode ? ` · ${user.unitCode}` : '', h('small', null, user.roles.map(roleLabel).join(', '))),
            h(
              'button',
              {
                type: 'button',
                onclick: () => {
                  endSession();
                  forgetUnits();
                  location.hash = '#/login';
                },
              },
              t('nav.logout'),
            ),
          ]
        : null,
      langSwitch(),
    ),
  );
  const nav = el('app-nav');
  nav.setAttribute('aria-label', t('nav.label'));
  if (!user) {
    nav.hidden = true;
    nav.replaceChildren();
    return;
  }
  nav.hidden = false;
  mount(
    nav,
    h(
      'ul',
      null,
      navItems(user).map(([href, text]) => {
        const active = href === '#/' ? current === '#/' || current === '' || current.startsWith('#/?') : current.startsWith(href);
        return h('li', null, h('a', { href, 'aria-current': active ? 'page' : null }, text));
      }),
    ),
  );
  const skip = document.querySelector<HTMLButtonElement>('.skip-link');
  if (skip) skip.textContent = t('nav.skip');
}

export async function render(): Promise<void> {
  const ticket = ++rendering;
  const initial = firstRender;
  firstRender = false;
  document.documentElement.lang = lang();
  document.title = t('app.name');
  const hash = location.hash || '#/';
  const main = el('main');
  const s = session();
  if (hash === '#/login' || !s) {
    renderChrome(null, hash);
    // A redirect: the render it causes is still the page load's first.
    if (hash !== '#/login') {
      firstRender = initial;
      location.replace('#/login');
      return;
    }
    if (s) {
      firstRender = initial;
      location.replace('#/');
      return;
    }
    loginPage?.(main, notice);
    notice = null;
    return;
  }
  renderChrome(s.user, hash);
  const path = hash.slice(1);
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  const ctx: Ctx = {
    user: s.user,
    has: (...roles) => roles.some((r) => s.user.roles.includes(r)),
    done(message) {
      flash = message;
      void render();
    },
    go(target) {
      location.hash = target;
    },
    setTitle(title) {
      document.title = `${title} · ${t('app.name')}`;
      return h('h1', { tabindex: '-1', id: 'page-title' }, title);
    },
  };
  const message = flash;
  flash = null;
  mount(main, loading());
  try {
    await loadUnits();
    if (!match) {
      mount(main, ctx.setTitle(t('notFound.title')), h('p', null, t('notFound.text')), h('p', null, h('a', { href: '#/' }, t('nav.home'))));
    } else if (match.r.roles && !ctx.has(...match.r.roles)) {
      mount(main, ctx.setTitle(t('forbidden.title')), h('p', null, t('forbidden.text')));
    } else {
      const container = h('div');
      await match.r.page(container, match.m!.slice(1).map(decodeURIComponent), ctx);
      if (ticket !== rendering) return; // a newer navigation won
      mount(main, message ? h('div', { class: 'success flash', role: 'status' }, message) : null, ...Array.from(container.childNodes));
    }
  } catch (err) {
    if (ticket !== rendering) return;
    // The page could not load: a heading of its own (focused as any page's), then the error.
    mount(main, ctx.setTitle(t('error.pageTitle')), errorPanel(err));
  }
  if (ticket !== rendering || initial) return;
  const focusTarget = main.querySelector<HTMLElement>('[data-autofocus]') ?? main.querySelector<HTMLElement>('h1');
  focusTarget?.focus();
}

export function start(): void {
  setUnauthorizedHandler(() => {
    notice = t('login.expired');
    forgetUnits();
    if (location.hash !== '#/login') location.hash = '#/login';
    else void render();
  });
  window.addEventListener('hashchange', () => void render());
  const skip = document.querySelector<HTMLButtonElement>('.skip-link');
  skip?.addEventListener('click', () => el('main').querySelector<HTMLElement>('h1')?.focus());
  void render();
}
