/**
 * A small typed DOM builder. Text always goes in as text nodes (textContent), never as HTML: data
 * from the API cannot become markup, whatever it contains. No inline event handler attributes
 * either (the Content-Security-Policy forbids them): listeners are passed as functions.
 */

type Child = Node | string | number | null | undefined | false | Child[];

/** Attributes; `on…` entries are event listeners (added with addEventListener). */
export interface Attrs {
  [name: string]: string | number | boolean | null | undefined | ((ev: never) => void);
  onclick?: (ev: MouseEvent) => void;
  onsubmit?: (ev: SubmitEvent) => void;
  onchange?: (ev: Event) => void;
  oninput?: (ev: Event) => void;
  onkeydown?: (ev: KeyboardEvent) => void;
}

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
    return;
  }
  parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
}

function applyAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value as EventListener);
      continue;
    }
    if (name === 'style' || /^on/i.test(name)) throw new Error(`attribute ${name} is not allowed (CSP)`);
    // Properties that reflect the live state rather than the default.
    if (name === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) {
      el.value = String(value);
      continue;
    }
    if (name === 'checked' && el instanceof HTMLInputElement) {
      el.checked = value === true;
      continue;
    }
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

/** An HTML element: h('button', { type: 'submit', onclick }, 'Gửi'). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (charts): svg('rect', { x: 0, y: 0, width: 10, height: 20 }). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Record<string, string | number> | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (name === 'style' || /^on/i.test(name)) throw new Error(`attribute ${name} is not allowed (CSP)`);
    el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

/** Replaces every child of `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let idCounter = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
