/**
 * Building blocks of the pages: labelled fields, forms that show the API's error next to them
 * (role="alert", linked to every field with aria-describedby), tables, status badges, formatting.
 */
import { ApiError, get } from './api.js';
import { h, uid } from './dom.js';
import { lang, t, type Key } from './i18n.js';
import type { Stage, Title, TitleStatus, Unit } from './types.js';

// ---------------------------------------------------------------- formatting

const TZ = 'Asia/Ho_Chi_Minh';

function parts(d: Date, withTime: boolean): string {
  const f = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TZ });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const date = `${p.day}/${p.month}/${p.year}`;
  return withTime ? `${date} ${p.hour}:${p.minute}` : date;
}

/** dd/mm/yyyy hh:mm, Vietnam time (the way both Vietnamese and British readers write dates). */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return parts(d, true);
}

/** A calendar date (YYYY-MM-DD) or an instant, as dd/mm/yyyy. */
export function fmtDate(value: string | null | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return parts(d, false);
}

/** A file size: 598 B, 12,3 KB, 4,5 MB (decimal comma in Vietnamese). */
export function fmtBytes(n: number): string {
  const [value, unit] = n < 1024 ? [n, 'B'] : n < 1024 * 1024 ? [n / 1024, 'KB'] : [n / (1024 * 1024), 'MB'];
  const text = unit === 'B' ? String(value) : value.toFixed(1);
  return `${lang() === 'vi' ? text.replace('.', ',') : text} ${unit}`;
}

export function stageLabel(stage: Stage | string): string {
  return t(`stage.${stage}` as Key, {}, stage);
}

export function titleLabel(title: Title | string): string {
  return t(`title.${title}` as Key, {}, title);
}

export function titleStatusLabel(status: TitleStatus | string): string {
  return t(`titleStatus.${status}` as Key, {}, status);
}

export function phaseLabel(phase: string): string {
  return t(`phase.${phase}` as Key, {}, phase);
}

export function actionLabel(action: string): string {
  return t(`action.${action}` as Key, {}, action);
}

export function roleLabel(role: string): string {
  return t(`role.${role}` as Key, {}, role);
}

// ---------------------------------------------------------------- units

let units: Map<string, Unit> | null = null;

/** Loads the organisation once per session (names of units in Vietnamese). */
export async function loadUnits(): Promise<void> {
  if (units) return;
  const list = await get<Unit[]>('/units');
  units = new Map(list.map((u) => [u.code, u]));
}

export function forgetUnits(): void {
  units = null;
}

export function unitName(code: string | null | undefined): string {
  if (!code) return '—';
  return units?.get(code)?.name ?? code;
}

/** Every unit as a choice of a select: [code, "name (code)"], by name. */
export function unitOptions(): [string, string][] {
  return [...(units?.values() ?? [])]
    .sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.code.localeCompare(b.code))
    .map((u): [string, string] => [u.code, `${u.name} (${u.code})`]);
}

/** "Sở Tư pháp TP Hà Nội (STP-HN)". */
export function unitLabel(code: string | null | undefined): string {
  if (!code) return '—';
  const name = units?.get(code)?.name;
  return name ? `${name} (${code})` : code;
}

// ---------------------------------------------------------------- small elements

export function badge(text: string, kind: 'ok' | 'warn' | 'late' | 'info' | 'muted' = 'info'): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function stageBadge(stage: Stage): HTMLElement {
  const kind = stage === 'AWARDED' ? 'ok' : stage === 'NOT_SELECTED' || stage === 'NOT_AWARDED' || stage === 'WITHDRAWN' ? 'muted' : stage === 'AMENDMENT' ? 'warn' : 'info';
  return badge(stageLabel(stage), kind);
}

export function titlesList(titles: Partial<Record<Title, TitleStatus>>): HTMLElement {
  const entries = Object.entries(titles) as [Title, TitleStatus][];
  if (!entries.length) return h('span', null, '—');
  return h(
    'ul',
    { class: 'plain' },
    entries.map(([title, status]) => h('li', null, `${titleLabel(title)}: `, badge(titleStatusLabel(status), status === 'AWARDED' ? 'ok' : status === 'REJECTED' || status === 'DECLINED' || status === 'REVOKED' ? 'muted' : 'info'))),
  );
}

export function link(href: string, text: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h('a', { href, ...attrs }, text);
}

/** A data table with a caption (screen readers announce it) and header cells with scope. */
export function table(caption: string, headers: string[], rows: Node[][] | (Node | string)[][], opts: { rowClass?: (i: number) => string | null; id?: string; hideCaption?: boolean } = {}): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id: opts.id ?? null },
      h('caption', { class: opts.hideCaption ? 'sr-only' : null }, caption),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        null,
        rows.length
          ? rows.map((cells, i) => h('tr', { class: opts.rowClass?.(i) ?? null }, (cells as (Node | string)[]).map((c) => h('td', null, c))))
          : h('tr', null, h('td', { colspan: headers.length, class: 'empty' }, t('common.empty'))),
      ),
    ),
  );
}

export function section(title: string, ...children: (Node | string | null | false | undefined)[]): HTMLElement {
  const id = uid('sec');
  const el = h('section', { 'aria-labelledby': id, class: 'card' }, h('h2', { id }, title), ...children);
  // A table captioned like its section keeps the caption for screen readers only.
  for (const caption of Array.from(el.querySelectorAll('caption'))) if (caption.textContent === title) caption.classList.add('sr-only');
  return el;
}

export function dl(pairs: [string, Node | string][]): HTMLElement {
  return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t('common.loading'));
}

// ---------------------------------------------------------------- errors

/** Statuses with their own heading; any other 5xx is a server fault all the same. */
const KNOWN_STATUSES = [0, 400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 502, 503, 504];

export function errorHeading(err: ApiError): string {
  const key = (KNOWN_STATUSES.includes(err.status) ? `error.${err.status}` : err.status >= 500 ? 'error.5xx' : 'error.other') as Key;
  return t(key, { status: err.status });
}

/** "30 giây" / "30 seconds". */
export function seconds(n: number): string {
  return t(n === 1 ? 'common.second' : 'common.seconds', { n });
}

/**
 * What the user can do about an error, beyond the API's own message: how long to wait after a
 * 429; for a server fault (5xx) or no answer at all, that it is not their input, whether anything
 * changed, to retry later and whom to tell; for a 403, 404, 413 where to look.
 */
export function errorAdvice(err: ApiError): string[] {
  if (err.serverFault) {
    return [
      t(err.status === 0 ? 'error.networkFault' : 'error.serverFault'),
      t(err.method === 'GET' ? 'error.nothingChanged' : 'error.maybeNotSaved'),
      err.retryAfterSeconds !== null ? t('error.retryIn', { time: seconds(err.retryAfterSeconds) }) : t('error.retryLater'),
    ];
  }
  switch (err.status) {
    case 429:
      return [err.retryAfterSeconds !== null ? t('error.429.wait', { time: seconds(err.retryAfterSeconds) }) : t('error.429.later')];
    case 403:
      return [t('error.403.advice')];
    case 404:
      return [t('error.404.advice')];
    case 413:
      return [t('error.413.advice')];
    default:
      return [];
  }
}

/** Fills an alert box with an error: a plain heading, what to do, the API's messages verbatim, the request id of a server fault. */
export function showError(box: HTMLElement, err: unknown): void {
  box.replaceChildren();
  if (err instanceof ApiError) {
    box.append(h('p', { class: 'error-title' }, `${errorHeading(err)}${err.status ? ` (${err.status} ${err.error})` : ''}`));
    for (const line of errorAdvice(err)) box.append(h('p', { class: 'error-advice' }, line));
    if (err.messages.length) box.append(h('ul', null, err.messages.map((m) => h('li', null, m))));
    if (err.serverFault && err.requestId) box.append(h('p', { class: 'error-request' }, t('error.requestId'), ' ', h('code', null, err.requestId)));
  } else {
    box.append(h('p', { class: 'error-title' }, t('error.unexpected')), h('p', null, err instanceof Error ? err.message : String(err)));
  }
  box.hidden = false;
}

/** A page-level error (loading failed), announced. */
export function errorPanel(err: unknown): HTMLElement {
  const box = h('div', { class: 'error', role: 'alert' });
  showError(box, err);
  return box;
}

// ---------------------------------------------------------------- form fields

interface FieldOptions {
  label: string;
  name: string;
  type?: string;
  value?: string | number;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  min?: number;
  max?: number;
  step?: string;
  placeholder?: string;
  inputmode?: string;
  /** File inputs: the types offered by the file chooser (the API checks the content anyway). */
  accept?: string;
}

function hintOf(hint: string | undefined): { el: HTMLElement | null; id: string | null } {
  if (!hint) return { el: null, id: null };
  const id = uid('hint');
  return { el: h('p', { id, class: 'hint' }, hint), id };
}

export function input(o: FieldOptions): HTMLElement {
  const id = uid(`f-${o.name}`);
  const hint = hintOf(o.hint);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, o.label, o.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    hint.el,
    h('input', {
      id,
      name: o.name,
      type: o.type ?? 'text',
      value: o.value === undefined ? null : String(o.value),
      required: o.required ?? false,
      autocomplete: o.autocomplete ?? null,
      min: o.min ?? null,
      max: o.max ?? null,
      step: o.step ?? null,
      placeholder: o.placeholder ?? null,
      inputmode: o.inputmode ?? null,
      accept: o.accept ?? null,
      'data-hint': hint.id,
    }),
  );
}

export function textarea(o: FieldOptions & { rows?: number }): HTMLElement {
  const id = uid(`f-${o.name}`);
  const hint = hintOf(o.hint);
  const el = h('textarea', { id, name: o.name, rows: o.rows ?? 5, required: o.required ?? false, 'data-hint': hint.id });
  if (o.value !== undefined) el.value = String(o.value);
  return h('div', { class: 'field' }, h('label', { for: id }, o.label, o.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), hint.el, el);
}

export function select(o: { label: string; name: string; options: [string, string][]; value?: string; required?: boolean; hint?: string }): HTMLElement {
  const id = uid(`f-${o.name}`);
  const hint = hintOf(o.hint);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, o.label),
    hint.el,
    h('select', { id, name: o.name, required: o.required ?? false, 'data-hint': hint.id }, o.options.map(([v, text]) => h('option', { value: v, selected: v === o.value }, text))),
  );
}

/** Checkboxes or radios in a fieldset; each option has its own <label>. */
export function choices(o: { legend: string; name: string; type: 'checkbox' | 'radio'; options: [string, string][]; checked?: string[]; hint?: string }): HTMLElement {
  const hint = hintOf(o.hint);
  return h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, o.legend),
    hint.el,
    o.options.map(([value, text]) => {
      const id = uid(`f-${o.name}`);
      return h(
        'div',
        { class: 'choice' },
        h('input', { id, type: o.type, name: o.name, value, checked: o.checked?.includes(value) ?? false, 'data-hint': hint.id }),
        h('label', { for: id }, text),
      );
    }),
  );
}

// ---------------------------------------------------------------- forms

export interface FormOptions {
  label: string;
  submit: string;
  fields: (Node | null | false | Node[])[];
  /** Runs the action; a string returned is shown as the success message. */
  onSubmit: (data: FormData, form: HTMLFormElement) => Promise<string | void>;
  /** Asks before acting (window.confirm is not used: a focusable confirmation step). */
  confirm?: (data: FormData) => string | null;
  extraButtons?: Node[];
  className?: string;
}

function controls(form: HTMLFormElement): (HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement)[] {
  return Array.from(form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input, textarea, select'));
}

/** Marks the fields the API's messages name (e.g. "score must not be greater than 1000"). */
function markInvalid(form: HTMLFormElement, messages: string[]): void {
  for (const c of controls(form)) {
    const field = c.name.replace(/\[\]$/, '');
    const named = messages.some((m) => new RegExp(`(^|[\\s.:])${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\b|[.:])`).test(m));
    if (named) c.setAttribute('aria-invalid', 'true');
    else c.removeAttribute('aria-invalid');
  }
}

/**
 * A form whose errors appear in an alert right under its heading: the box is linked to every field
 * with aria-describedby, the fields the message names get aria-invalid, and the first such field
 * (or the box) takes the focus. Validation is the API's (novalidate): one message style for all.
 */
export function form(o: FormOptions): HTMLFormElement {
  const errorId = uid('err');
  const statusId = uid('ok');
  const headingId = uid('fh');
  const errorBox = h('div', { id: errorId, class: 'error', role: 'alert', hidden: true, tabindex: '-1' });
  const statusBox = h('div', { id: statusId, class: 'success', role: 'status', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, o.submit);
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  const f = h(
    'form',
    { novalidate: true, class: o.className ?? 'form', 'aria-labelledby': headingId },
    h('h3', { id: headingId }, o.label),
    errorBox,
    ...o.fields,
    confirmBox,
    h('div', { class: 'actions' }, submit, ...(o.extraButtons ?? [])),
    statusBox,
  );
  for (const c of controls(f)) {
    const hint = c.getAttribute('data-hint');
    c.setAttribute('aria-describedby', [hint, errorId].filter(Boolean).join(' '));
  }
  let confirmed = false;
  const run = async () => {
    const data = new FormData(f);
    errorBox.hidden = true;
    statusBox.hidden = true;
    submit.disabled = true;
    f.setAttribute('aria-busy', 'true');
    try {
      const message = await o.onSubmit(data, f);
      markInvalid(f, []);
      if (message) {
        statusBox.replaceChildren(h('p', null, message));
        statusBox.hidden = false;
      }
    } catch (err) {
      showError(errorBox, err);
      const messages = err instanceof ApiError ? err.messages : [];
      markInvalid(f, messages);
      const first = controls(f).find((c) => c.getAttribute('aria-invalid') === 'true');
      (first ?? errorBox).focus();
    } finally {
      submit.disabled = false;
      f.removeAttribute('aria-busy');
    }
  };
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (submit.disabled) return;
    const question = o.confirm?.(new FormData(f)) ?? null;
    if (question && !confirmed) {
      const yes = h('button', { type: 'button', class: 'primary' }, t('common.confirm'));
      const no = h('button', { type: 'button' }, t('common.cancel'));
      confirmBox.replaceChildren(h('p', { role: 'alert' }, question), h('div', { class: 'actions' }, yes, no));
      confirmBox.hidden = false;
      submit.hidden = true;
      yes.addEventListener('click', () => {
        confirmBox.hidden = true;
        submit.hidden = false;
        confirmed = true;
        void run().finally(() => (confirmed = false));
      });
      no.addEventListener('click', () => {
        confirmBox.hidden = true;
        submit.hidden = false;
        submit.focus();
      });
      yes.focus();
      return;
    }
    void run();
  });
  return f;
}

/** A button that runs an action, with its own alert box for errors. */
export function actionButton(label: string, action: () => Promise<string | void>, opts: { primary?: boolean; context?: string } = {}): HTMLElement {
  const errorId = uid('err');
  const errorBox = h('div', { id: errorId, class: 'error', role: 'alert', hidden: true, tabindex: '-1' });
  const statusBox = h('div', { class: 'success', role: 'status', hidden: true });
  // `context` completes the name for screen readers when the same button repeats (one per row).
  const button = h('button', { type: 'button', class: opts.primary ? 'primary' : null, 'aria-describedby': errorId }, label, opts.context ? h('span', { class: 'sr-only' }, ` — ${opts.context}`) : null);
  button.addEventListener('click', async () => {
    button.disabled = true;
    errorBox.hidden = true;
    try {
      const message = await action();
      if (message) {
        statusBox.replaceChildren(h('p', null, message));
        statusBox.hidden = false;
      }
    } catch (err) {
      showError(errorBox, err);
      errorBox.focus();
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'action' }, button, errorBox, statusBox);
}

export function str(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** A number field as the API expects it: a number when the text is one, else the text (so the API names the field). */
export function num(data: FormData, name: string): number | string {
  const s = str(data, name).replace(',', '.');
  if (s === '') return s;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

export function all(data: FormData, name: string): string[] {
  return data.getAll(name).filter((v): v is string => typeof v === 'string');
}
