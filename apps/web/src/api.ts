/**
 * The API client: JSON over fetch with the bearer token of the session (sessionStorage, so it is
 * gone when the browser tab closes). Every error answer `{statusCode, error, message}` becomes an
 * ApiError with its messages as a list (the API sends one string or one per field), the request's
 * method, the `Retry-After` of a 429 (in seconds), the `x-request-id` the API gives every answer
 * (the key to its log line, for the administrator) and the answer's body (a refused import's rows).
 * A 401 on any call but the login ends the session and goes back to the login page.
 */
import type { LoginResponse, User } from './types.js';

const BASE = '/api/v1';
const TOKEN_KEY = 'tdkt.token';
const USER_KEY = 'tdkt.user';

export interface ApiErrorDetails {
  /** The HTTP method of the request: a GET changes nothing, whatever went wrong. */
  method?: string;
  /** Seconds to wait before trying again (the Retry-After header of a 429 or 503). */
  retryAfterSeconds?: number | null;
  /** The API's x-request-id of the answer (its log line has it). */
  requestId?: string | null;
  /** The answer's JSON body as the API sent it (e.g. the rows of a refused import), null when not JSON. */
  body?: unknown;
}

export class ApiError extends Error {
  readonly method: string;
  readonly retryAfterSeconds: number | null;
  readonly requestId: string | null;
  readonly body: unknown;

  constructor(
    readonly status: number,
    readonly error: string,
    readonly messages: string[],
    details: ApiErrorDetails = {},
  ) {
    super(messages.join('; ') || error);
    this.name = 'ApiError';
    this.method = details.method ?? 'GET';
    this.retryAfterSeconds = details.retryAfterSeconds ?? null;
    this.requestId = details.requestId ?? null;
    this.body = details.body ?? null;
  }

  /** The same error with other messages (a page adds its own explanation first). */
  withMessages(messages: string[]): ApiError {
    return new ApiError(this.status, this.error, messages, { method: this.method, retryAfterSeconds: this.retryAfterSeconds, requestId: this.requestId, body: this.body });
  }

  /** The server's fault (5xx) or no answer at all (network failure, status 0): not the user's input. */
  get serverFault(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** Retry-After: a number of seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

let onUnauthorized: (() => void) | null = null;

/** What to do when the token is refused (expired, revoked): set by the app shell. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export function session(): { token: string; user: User } | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const user = sessionStorage.getItem(USER_KEY);
  if (!token || !user) return null;
  try {
    return { token, user: JSON.parse(user) as User };
  } catch {
    return null;
  }
}

export function endSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

async function toApiError(res: Response, method: string): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's error page): keep the status line
  }
  const b = body as { statusCode?: unknown; error?: unknown; message?: unknown } | null;
  const messages = Array.isArray(b?.message) ? b.message.map(String) : typeof b?.message === 'string' ? [b.message] : [];
  return new ApiError(typeof b?.statusCode === 'number' ? b.statusCode : res.status, typeof b?.error === 'string' ? b.error : res.statusText, messages, {
    method,
    retryAfterSeconds: retryAfterSeconds(res.headers.get('retry-after')),
    requestId: res.headers.get('x-request-id'),
    body,
  });
}

/** 128 random bits, hex (crypto.randomUUID needs a secure context; plain http on an intranet is not one). */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function send(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept };
  const s = session();
  if (s) headers.authorization = `Bearer ${s.token}`;
  // A FormData body (a file upload) is sent as it is: the browser writes the multipart
  // Content-Type with its boundary, which a JSON content-type set here would replace.
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['content-type'] = 'application/json';
  // Every decision carries its own Idempotency-Key: the API stores the answer under it.
  if (method === 'POST' && path !== '/auth/login') headers['idempotency-key'] = randomKey();
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : multipart ? body : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'Network Error', [], { method });
  }
  if (!res.ok) {
    const err = await toApiError(res, method);
    if (res.status === 401 && path !== '/auth/login') {
      endSession();
      onUnauthorized?.();
    }
    throw err;
  }
  return res;
}

export async function get<T>(path: string): Promise<T> {
  return (await (await send('GET', path)).json()) as T;
}

export async function post<T>(path: string, body: unknown = {}): Promise<T> {
  const res = await send('POST', path, body);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** A multipart upload (a file of the dossier: field `file`). */
export async function postForm<T>(path: string, data: FormData): Promise<T> {
  const res = await send('POST', path, data);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** A document the API answers as text (the council minutes, HTML). */
export async function getText(path: string, accept: string): Promise<string> {
  return (await send('GET', path, undefined, accept)).text();
}

/** A file to download (the audit export, a dossier attachment): its bytes and the name the API gives it. */
export async function getFile(path: string): Promise<{ blob: Blob; filename: string }> {
  const res = await send('GET', path, undefined, '*/*');
  const disposition = res.headers.get('content-disposition') ?? '';
  // filename*=UTF-8''… keeps the exact (Vietnamese) name; filename="…" is its ASCII fallback.
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  let filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'download';
  if (encoded) {
    try {
      filename = decodeURIComponent(encoded.trim());
    } catch {
      // a malformed encoding: keep the fallback
    }
  }
  return { blob: await res.blob(), filename };
}

export async function login(username: string, password: string): Promise<User> {
  const res = await send('POST', '/auth/login', { username, password });
  const body = (await res.json()) as LoginResponse;
  sessionStorage.setItem(TOKEN_KEY, body.accessToken);
  sessionStorage.setItem(USER_KEY, JSON.stringify(body.user));
  return body.user;
}

/** Query string from the defined, non-empty values. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
