/**
 * The officers' web app, in Debian's headless Chromium, against the real stack: a small cluster
 * (Sở Tư pháp TP Hà Nội, Sở Tư pháp TP Hồ Chí Minh) goes from registration to the Government's
 * decision with every action done in the browser, each role logging in in turn: registration,
 * covenant, self-assessment, the secret ballot (one of them by keyboard only, from the skip link),
 * the head's vote and leadership, review with a return and an amendment, the council sitting, the
 * Government submission and decision, then the auditor's timeline, chain verification (a sound
 * chain, then a tampered row named), export and the year overview with its figures. Along the way
 * it checks Vietnamese text and that each of its characters is drawn with a real glyph, labels of
 * every form field, keyboard login, the API's error messages shown next to the form, the
 * Content-Security-Policy, and the language switch. In the council sitting one member declares a
 * conflict of interest and another abstains. A third campaign of the same year started after its
 * registration deadline shows its head the late unit highlighted and the reminders sent.
 *
 * Then the officers' work tools on a second campaign: claiming a task (and a second officer's 409),
 * planning it and filtering the list by its plan; a Vietnamese comment in the timeline (after a
 * simulated 500, 503 and network failure); a PDF uploaded and downloaded byte for byte, an .exe
 * refused (415), a file over ATTACHMENT_MAX_BYTES refused (413), an altered file refused (409); a
 * ballot with an abstention and the results with abstentions and the threshold's base; a reviewer's
 * rejection with its reason and the dossier's final state. A campaign under the `strict` rule set
 * whose Government flag misses its quorum: each title's quorum (túc số) and the rule set's counting
 * in words, in both languages. The award registry (hồ sơ thành tích): a spreadsheet refused with a
 * table of every row's error (nothing imported), the corrected one imported with its counts, lookups
 * by unit, title, year and decision number, a renamed unit shown under today's name with the name
 * it was awarded under, an imported award revoked from the keyboard after a confirmation step, the
 * revocation in the audit search under the subject type AWARD, the registry read-only for an
 * auditor and opened on the own unit for a unit officer. Then the messages of the 403, 404 and a
 * 500 on a page, and of the login's 429 (a second API with a low LOGIN_RATE_LIMIT).
 *
 * Screenshots of each main page go to test-artifacts/web/ (emptied first); a test that fails leaves
 * a FAILED-… screenshot of each page it had open.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REGISTRY_WORKBOOK_BAD_ROWS, registryWorkbook } from '../fixtures/registry-workbook';
import { eventually } from '../support/eventually';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';
import { buildWebApp, glyphReport, launchChromium, serveSecondApi, serveStack } from '../support/web';

jest.setTimeout(240_000);

const YEAR = 2031;
const CLUSTER = 'KV-WEB';
const CAMPAIGN = `${YEAR}:${CLUSTER}`;
const HN = `${CAMPAIGN}:STP-HN`;
const CLUSTER_NAME = 'Cụm thi đua thử nghiệm giao diện';
const SHOTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'web');
/** The work tools' own campaign (task list tools, comments, attachments, a ballot with an abstention). */
const TOOLS_YEAR = 2033;
const TOOLS_CLUSTER = 'KV-WEB-CC';
const TOOLS_CAMPAIGN = `${TOOLS_YEAR}:${TOOLS_CLUSTER}`;
/** A second officer of STP-HN, created through the API (the seed has one per unit). */
const OFFICER2 = 'canbo2.stp-hn';
/**
 * A campaign of the same year started ten days after its registration deadline: the reminder due
 * goes out at once (nextReminder), STP-SL registers late in the browser, STP-LCA stays late.
 */
const LATE_CLUSTER = 'KV-WEB-LATE';
const LATE_CAMPAIGN = `${YEAR}:${LATE_CLUSTER}`;
const LATE_NAME = 'Cụm thi đua thử nghiệm đăng ký chậm';
/** The largest attachment the test's API accepts (ATTACHMENT_MAX_BYTES): 1 MiB. */
const MAX_ATTACHMENT = 1024 * 1024;

let stack: Stack;
let attachmentDir: string;
let browser: Browser;
let base: string;
let shot = 0;
/** Script errors and CSP violations seen in any page: there must be none. */
const problems: string[] = [];

beforeAll(async () => {
  // The artifacts of this run only: a stale screenshot must not pass for one of this run.
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  attachmentDir = mkdtempSync(path.join(tmpdir(), 'tdkt-web-attachments-'));
  const [s, b] = await Promise.all([
    startStack({ env: { LOGIN_RATE_LIMIT: '0', ATTACHMENT_DIR: attachmentDir, ATTACHMENT_MAX_BYTES: String(MAX_ATTACHMENT) } }),
    launchChromium(),
    buildWebApp(),
  ]);
  stack = s;
  browser = b;
  base = await serveStack(stack);
  const res = await stack.post('admin', '/api/v1/campaigns', {
    clusterCode: CLUSTER,
    clusterName: CLUSTER_NAME,
    year: YEAR,
    memberUnitCodes: ['STP-HN', 'STP-HCM'],
    headUnitCode: 'STP-HN',
    deputyUnitCode: 'STP-HCM',
    registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
  });
  // 202: started but not readable yet (a busy engine): the scenarios wait for what they need (until, eventually).
  if (![201, 202].includes(res.status)) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
  const late = await stack.post('admin', '/api/v1/campaigns', {
    clusterCode: LATE_CLUSTER,
    clusterName: LATE_NAME,
    year: YEAR,
    memberUnitCodes: ['STP-LCA', 'STP-SL'],
    headUnitCode: 'STP-LCA',
    registrationDeadline: new Date(Date.now() - 10 * 24 * 3600 * 1000).toISOString(),
  });
  if (![201, 202].includes(late.status)) throw new Error(`late campaign: ${late.status} ${JSON.stringify(late.body)}`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (attachmentDir) rmSync(attachmentDir, { recursive: true, force: true });
});

async function snap(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** The pages open now: done() closes a test's pages at its end, so a failed test leaves its own. */
const openPages = new Set<Page>();
/** The running test: its name, and whether it got to its end. */
let current = { name: '', finished: true };

/** it(), remembering whether the test ran to its end (a failure or a timeout does not). */
function scenario(name: string, fn: () => Promise<void> | void): void {
  it(name, async () => {
    const run = { name, finished: false };
    current = run;
    await fn();
    run.finished = true;
  });
}

// A red run leaves the failing page: a screenshot of every page the test still had open.
afterEach(async () => {
  const pages = [...openPages];
  openPages.clear();
  if (!current.finished) {
    const slug = current.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
    for (const [i, page] of pages.entries()) {
      const file = path.join(SHOTS, `FAILED-${slug}-${i + 1}`);
      await page.screenshot({ path: `${file}.png`, fullPage: true }).catch((err: Error) => writeFileSync(`${file}.error.txt`, err.message));
      writeFileSync(`${file}.txt`, `${current.name}\n${page.url()}\n`);
    }
    if (!pages.length) writeFileSync(path.join(SHOTS, `FAILED-${slug}.txt`), `${current.name}\n(no page was open)\n`);
  }
  await Promise.all(pages.map((p) => p.context().close().catch(() => undefined)));
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  openPages.add(page);
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A refused request (401, 400) is logged by the browser as "Failed to load resource": expected.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  return page;
}

async function login(page: Page, username: string, password = DEMO_PASSWORD, at = base): Promise<void> {
  await page.goto(`${at}/#/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByLabel('Mật khẩu').press('Enter');
}

/** A new browser context (its own sessionStorage) logged in as `username`, on its home page. */
async function as(username: string): Promise<Page> {
  const page = await newPage();
  await login(page, username);
  await page.getByRole('heading', { level: 1, name: 'Việc cần làm' }).waitFor();
  return page;
}

async function done(page: Page): Promise<void> {
  openPages.delete(page);
  await page.context().close();
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  await page.locator('main h1').first().waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

/** Reloads the page until `check` holds (the read model follows the workflows within moments). */
async function until(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.locator('main .loading').waitFor({ state: 'detached' });
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(400);
    await page.reload();
    await page.locator('main h1').first().waitFor();
  }
}

const text = (page: Page) => page.locator('main').innerText();

/** Opens a task from the home page's list, once it is there. */
async function clickTask(page: Page, name: string): Promise<void> {
  const link = page.locator('#tasks').getByRole('link', { name, exact: true }).first();
  await until(page, async () => (await link.count()) > 0, `the task "${name}"`);
  await link.click();
}

/** Every field of every form on the page has a <label> (found again with getByLabel) and is described by the form's alert box. */
async function expectLabelled(page: Page): Promise<number> {
  const fields = await page.locator('main form input, main form select, main form textarea').all();
  for (const field of fields) {
    const id = await field.getAttribute('id');
    expect(id).toBeTruthy();
    const label = page.locator(`label[for="${id}"]`);
    expect(await label.count()).toBe(1);
    // textContent: a label inside a closed <details> has no rendered text.
    const name = ((await label.textContent()) ?? '').replace(/\s*\*$/, '').trim();
    expect(name.length).toBeGreaterThan(0);
    const byLabel = page.getByLabel(name);
    const ids = await Promise.all((await byLabel.all()).map((l) => l.getAttribute('id')));
    expect(ids).toContain(id);
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    const alertId = describedBy.split(' ').at(-1)!;
    expect(await page.locator(`[id="${alertId}"][role="alert"]`).count()).toBe(1);
  }
  return fields.length;
}

async function submit(page: Page, formName: string, button: string): Promise<void> {
  await page.getByRole('form', { name: formName }).getByRole('button', { name: button, exact: true }).click();
}

async function expectFlash(page: Page, message: string): Promise<void> {
  await page.locator('main .flash', { hasText: message }).waitFor();
}

/** Vietnamese letters beyond ASCII: the precomposed Latin-1, Latin Extended-A/B and Extended Additional ones. */
const VIETNAMESE = /^[\u00c0-\u024f\u1ea0-\u1ef9]$/;

/**
 * Every non-ASCII character of the page is drawn with a real glyph: none comes out as the
 * missing-glyph box (glyphReport), and the page has Vietnamese letters to check at all.
 */
async function expectGlyphs(page: Page): Promise<void> {
  const report = await glyphReport(page);
  expect(report.controlSame).toBe(true);
  expect(report.font).toContain('DejaVu Sans');
  expect({ missing: report.missing, blank: report.blank }).toEqual({ missing: [], blank: [] });
  expect(report.checked.filter((c) => VIETNAMESE.test(c)).length).toBeGreaterThanOrEqual(8);
}

/** The element with the keyboard focus: its tag, its name (label or text, after the fieldset's legend), whether its focus ring shows and it is on screen. */
async function focused(page: Page): Promise<{ tag: string; name: string; ring: boolean; onScreen: boolean }> {
  // A string: the tests' TypeScript has no DOM types.
  return page.evaluate(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', ring: false, onScreen: false };
    const input = el instanceof HTMLInputElement ? el : null;
    const label = input && input.labels && input.labels[0] ? input.labels[0].textContent : el.textContent;
    const own = (label || '').replace(/\\s+/g, ' ').trim();
    const legendEl = input && el.closest('fieldset') ? el.closest('fieldset').querySelector('legend') : null;
    const legend = legendEl ? legendEl.textContent.trim() : '';
    const style = getComputedStyle(el);
    const ring = el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
    return { tag: input ? 'input[' + input.type + ']' : el.tagName.toLowerCase(), name: legend ? legend + ' › ' + own : own, ring, onScreen };
  })()`);
}

/** Tab, then what has the focus (which must show its focus ring, on screen). */
async function tab(page: Page): Promise<string> {
  await page.keyboard.press('Tab');
  const f = await focused(page);
  expect({ ring: f.ring, onScreen: f.onScreen }).toEqual({ ring: true, onScreen: true });
  return `${f.tag} ${f.name}`;
}

/** dd/mm/yyyy hh:mm in Vietnam time, as the app writes instants. */
function vnDateTime(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Ho_Chi_Minh' })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** The error box's lines: heading, advice, the API's messages, the request id. */
async function alertLines(alert: ReturnType<Page['locator']>): Promise<string[]> {
  return (await alert.innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
}

describe(`the web app drives cluster ${CLUSTER} ${YEAR} from registration to the Government decision`, () => {
  scenario('serves the app with a self-only CSP, in UTF-8 and Vietnamese; shows the 401 message; logs in with the keyboard', async () => {
    const page = await newPage();
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toMatch(/text\/html; charset=utf-8/i);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    // The JSON API keeps its own nothing-allowed policy.
    expect((await stack.http.get('/api/v1/health')).headers['content-security-policy']).toContain("default-src 'none'");
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    expect(await page.evaluate('document.characterSet')).toBe('UTF-8');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await expectLabelled(page)).toBe(2);
    // The Vietnamese letters are drawn with real glyphs (the fonts of app.css are installed).
    await expectGlyphs(page);

    // A wrong password: the API's 401 message appears next to the form, announced.
    const refused = await stack.http.post('/api/v1/auth/login').send({ username: 'canbo.stp-hn', password: 'sai-mat-khau' });
    expect(refused.status).toBe(401);
    await login(page, 'canbo.stp-hn', 'sai-mat-khau');
    const alert = page.getByRole('form', { name: 'Thông tin đăng nhập' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain(refused.body.message);
    expect(await alert.innerText()).toContain('Đăng nhập không thành công');
    await snap(page, 'login-error');

    // Keyboard only: type, Tab to the password, Enter submits.
    await page.getByLabel('Tên đăng nhập').fill('');
    await page.getByLabel('Tên đăng nhập').focus();
    await page.keyboard.type('canbo.stp-hn');
    await page.keyboard.press('Tab');
    expect(await page.locator('input[name="password"]:focus').count()).toBe(1);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Việc cần làm' }).waitFor();
    // The home page: the task with its deadline, in Vietnamese with diacritics.
    const home = await text(page);
    expect(home).toContain('Sở Tư pháp TP Hà Nội');
    expect(home).toContain('Đăng ký thi đua');
    expect(home).toContain('Trong hạn');
    expect(await page.getByRole('navigation', { name: 'Điều hướng chính' }).count()).toBe(1);
    await expectGlyphs(page);
    await snap(page, 'home-unit-officer');

    // Registration (đăng ký thi đua) from the campaign page, then the covenant.
    await clickTask(page, 'Đăng ký thi đua');
    await page.getByRole('heading', { level: 1, name: /Cụm thi đua thử nghiệm giao diện/ }).waitFor();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    expect(await expectLabelled(page)).toBeGreaterThanOrEqual(2);
    await page.getByLabel('Cờ thi đua của Chính phủ').check();
    await snap(page, 'registration');
    await submit(page, 'Đăng ký thi đua', 'Gửi đăng ký');
    await expectFlash(page, 'Đã gửi đăng ký thi đua.');
    await page.getByRole('button', { name: 'Ký giao ước thi đua' }).click();
    await expectFlash(page, 'Đã ký giao ước thi đua.');
    expect(await text(page)).toContain('Đơn vị đã ký giao ước thi đua');
    await done(page);
  });

  scenario('registers the second unit, and both file their self-assessment (a bad score shows the 400 field message)', async () => {
    const hcm = await as('canbo.stp-hcm');
    await go(hcm, `#/campaigns/${CAMPAIGN}`);
    // When the reminders of this campaign go out (the rule set's time: it set none of its own).
    expect(await text(hcm)).toMatch(/Giờ gửi nhắc việc\s+08:00 \(giờ Việt Nam\), vào các ngày làm việc/);
    await submit(hcm, 'Đăng ký thi đua', 'Gửi đăng ký');
    await expectFlash(hcm, 'Đã gửi đăng ký thi đua.');
    await hcm.getByRole('button', { name: 'Ký giao ước thi đua' }).click();
    await expectFlash(hcm, 'Đã ký giao ước thi đua.');
    await done(hcm);

    const hn = await as('canbo.stp-hn');
    // Registration has closed (every member registered): the self-assessment task appears.
    await clickTask(hn, 'Nộp tự đánh giá, chấm điểm');
    const form = hn.getByRole('form', { name: 'Tự đánh giá, chấm điểm và báo cáo thành tích' });
    await form.waitFor();
    // The form's five fields, the comment and the file to attach.
    expect(await expectLabelled(hn)).toBe(7);
    await hn.getByLabel('Tổng điểm tự chấm').fill('1500');
    await hn.getByLabel('Mã tiêu chí 1').fill('TC1');
    await hn.getByLabel('Tên tiêu chí 1').fill('Hoàn thành chỉ tiêu công tác tư pháp');
    await hn.getByLabel('Điểm tiêu chí 1').fill('50');
    await hn.getByRole('textbox', { name: 'Báo cáo thành tích' }).fill('Hoàn thành xuất sắc nhiệm vụ công tác tư pháp năm 2031; đẩy mạnh chuyển đổi số.');
    await submit(hn, 'Tự đánh giá, chấm điểm và báo cáo thành tích', 'Gửi tự đánh giá');
    const alert = form.getByRole('alert').first();
    await alert.waitFor();
    const message = await alert.innerText();
    expect(message).toContain('Dữ liệu chưa hợp lệ');
    expect(message).toContain('score must not be greater than 1000');
    const score = hn.getByLabel('Tổng điểm tự chấm');
    expect(await score.getAttribute('aria-invalid')).toBe('true');
    expect(await score.getAttribute('aria-describedby')).toContain((await alert.getAttribute('id'))!);
    await snap(hn, 'self-assessment-error');
    await score.fill('98');
    await submit(hn, 'Tự đánh giá, chấm điểm và báo cáo thành tích', 'Gửi tự đánh giá');
    await expectFlash(hn, 'Đã gửi tự đánh giá.');
    const dossier = await text(hn);
    expect(dossier).toContain('Cụm bình xét');
    expect(dossier).toContain('Hoàn thành chỉ tiêu công tác tư pháp');
    await snap(hn, 'nomination-after-self-assessment');
    await done(hn);

    const hcm2 = await as('canbo.stp-hcm');
    await go(hcm2, `#/nominations/${CAMPAIGN}:STP-HCM`);
    await until(hcm2, async () => (await hcm2.getByLabel('Tổng điểm tự chấm').count()) > 0, 'the self-assessment form');
    await hcm2.getByLabel('Tổng điểm tự chấm').fill('90');
    await hcm2.getByRole('textbox', { name: 'Báo cáo thành tích' }).fill('Hoàn thành tốt nhiệm vụ được giao.');
    await submit(hcm2, 'Tự đánh giá, chấm điểm và báo cáo thành tích', 'Gửi tự đánh giá');
    await expectFlash(hcm2, 'Đã gửi tự đánh giá.');
    await done(hcm2);
  });

  scenario('lets the cluster head open the secret ballot from the dashboard', async () => {
    const head = await as('cumtruong.stp-hn');
    await go(head, `#/campaigns/${CAMPAIGN}`);
    await until(head, async () => (await text(head)).includes('đã tự đánh giá 2/2') && (await head.getByLabel('Số suất Cờ thi đua ngành Tư pháp').count()) > 0, 'both self-assessments on the dashboard');
    expect(await text(head)).toContain('Đã đăng ký 2/2 đơn vị');
    expect(await expectLabelled(head)).toBe(2);
    await snap(head, 'campaign-dashboard');
    await head.getByLabel('Số suất Cờ thi đua ngành Tư pháp').fill('1');
    await head.getByLabel('Số suất Cờ thi đua của Chính phủ').fill('1');
    await submit(head, 'Mở bỏ phiếu kín', 'Mở bỏ phiếu');
    await expectFlash(head, 'Đã mở bỏ phiếu kín.');
    await done(head);
  });

  scenario('takes each leader’s secret ballot with seats, rules, a confirmation step and a receipt; the second by keyboard only, from the skip link', async () => {
    const leader = await as('thutruong.stp-hn');
    await clickTask(leader, 'Bỏ phiếu kín suy tôn');
    await leader.getByRole('heading', { level: 1, name: /Phiếu bầu kín/ }).waitFor();
    const rules = await text(leader);
    expect(rules).toContain('Cờ thi đua ngành Tư pháp: chọn tối đa 1 đơn vị.');
    expect(rules).toContain('Cờ thi đua của Chính phủ: chọn tối đa 1 đơn vị.');
    expect(await expectLabelled(leader)).toBeGreaterThanOrEqual(2);
    await leader.getByRole('group', { name: /Cờ thi đua ngành Tư pháp/ }).getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
    await leader.getByRole('group', { name: /Cờ thi đua của Chính phủ/ }).getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
    await snap(leader, 'ballot-choice');
    await submit(leader, 'Lựa chọn của đơn vị', 'Tiếp tục');
    const confirm = leader.getByRole('form', { name: 'Xác nhận phiếu bầu' });
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('Sở Tư pháp TP Hà Nội (STP-HN)');
    await snap(leader, 'ballot-confirm');
    await submit(leader, 'Xác nhận phiếu bầu', 'Xác nhận bỏ phiếu');
    const receipt = leader.locator('#receipt');
    await receipt.waitFor();
    expect((await receipt.innerText()).length).toBeGreaterThan(16);
    await snap(leader, 'ballot-receipt');
    // The receipt finds the ballot in the box.
    await submit(leader, 'Kiểm tra phiếu bằng mã biên nhận', 'Kiểm tra');
    await leader.getByText('Phiếu đã được đếm').waitFor();
    await done(leader);

    // The second leader: no mouse from here on. On a page load the first Tab is the skip link,
    // shown when focused; Enter takes the focus to the page heading, then Tab walks the ballot in order.
    const keyboard = await as('thutruong.stp-hcm');
    await go(keyboard, `#/campaigns/${CAMPAIGN}/ballot`);
    await keyboard.reload();
    await keyboard.getByRole('group', { name: /Cờ thi đua của Chính phủ/ }).waitFor();
    expect((await focused(keyboard)).tag).toBe('body');
    expect(await tab(keyboard)).toBe('button Bỏ qua, tới nội dung chính');
    const skip = await keyboard.locator('.skip-link').boundingBox();
    expect(skip && skip.x >= 0 && skip.y >= 0 && skip.width > 50).toBe(true);
    await keyboard.keyboard.press('Enter');
    expect(await focused(keyboard)).toMatchObject({ tag: 'h1', name: `Phiếu bầu kín — ${CLUSTER_NAME} ${YEAR}`, ring: true });
    const ministry = 'Cờ thi đua ngành Tư pháp (tối đa 1)';
    const government = 'Cờ thi đua của Chính phủ (tối đa 1)';
    expect(await tab(keyboard)).toBe(`input[checkbox] ${ministry} › Sở Tư pháp TP Hà Nội (STP-HN)`);
    await keyboard.keyboard.press('Space');
    expect(await tab(keyboard)).toBe(`input[checkbox] ${ministry} › Sở Tư pháp TP Hồ Chí Minh (STP-HCM)`);
    expect(await tab(keyboard)).toBe(`input[checkbox] ${ministry} › Bỏ phiếu trắng / không chọn cho danh hiệu này`);
    expect(await tab(keyboard)).toBe(`input[checkbox] ${government} › Sở Tư pháp TP Hà Nội (STP-HN)`);
    await keyboard.keyboard.press('Space');
    expect(await tab(keyboard)).toBe(`input[checkbox] ${government} › Bỏ phiếu trắng / không chọn cho danh hiệu này`);
    expect(await tab(keyboard)).toBe('button Tiếp tục');
    await snap(keyboard, 'ballot-keyboard-focus');
    await keyboard.keyboard.press('Enter');
    // The confirmation step takes the focus on its own button.
    const confirmed = keyboard.getByRole('form', { name: 'Xác nhận phiếu bầu' });
    await confirmed.waitFor();
    expect(await confirmed.innerText()).toMatch(/Cờ thi đua ngành Tư pháp\s+Sở Tư pháp TP Hà Nội \(STP-HN\)\s+Cờ thi đua của Chính phủ\s+Sở Tư pháp TP Hà Nội \(STP-HN\)/);
    expect(await focused(keyboard)).toMatchObject({ tag: 'button', name: 'Xác nhận bỏ phiếu', ring: true, onScreen: true });
    await keyboard.keyboard.press('Enter');
    // The receipt's heading takes the focus (announced), the receipt under it.
    await keyboard.locator('#receipt').waitFor();
    expect(await focused(keyboard)).toMatchObject({ tag: 'h3', name: 'Đã bỏ phiếu — biên nhận', ring: true, onScreen: true });
    await snap(keyboard, 'ballot-keyboard-receipt');
    const ballots = (await stack.get('cumtruong.stp-hn', `/api/v1/campaigns/${encodeURIComponent(CAMPAIGN)}`)).body.vote;
    expect(ballots.votedUnits).toEqual(expect.arrayContaining(['STP-HN', 'STP-HCM']));
    await done(keyboard);
  });

  scenario('lets the head close the vote (after confirming), see the results and record next year’s leadership', async () => {
    const head = await as('cumtruong.stp-hn');
    await go(head, `#/campaigns/${CAMPAIGN}`);
    await until(head, async () => (await text(head)).includes('Đã có 2/2 đơn vị bỏ phiếu'), 'both ballots');
    await submit(head, 'Đóng bỏ phiếu và kiểm phiếu', 'Đóng bỏ phiếu');
    await head.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(head, 'Đã đóng bỏ phiếu và kiểm phiếu.');
    await until(head, async () => (await head.getByLabel('Cụm trưởng năm sau').count()) > 0, 'the leadership form');
    const results = await text(head);
    expect(results).toContain('Cuộc bỏ phiếu hợp lệ');
    expect(results).toContain('Được suy tôn');
    await snap(head, 'vote-results');
    await head.getByLabel('Cụm trưởng năm sau').selectOption('STP-HCM');
    await head.getByLabel('Cụm phó năm sau').selectOption('STP-HN');
    await submit(head, `Bầu cụm trưởng, cụm phó năm ${YEAR + 1}`, 'Ghi nhận kết quả bầu');
    await expectFlash(head, 'Đã ghi nhận cụm trưởng, cụm phó năm sau.');
    expect(await text(head)).toContain(`Cụm trưởng, cụm phó năm ${YEAR + 1}`);
    await done(head);
  });

  scenario('runs the Department review: a return with its reason, the unit’s amendment, then approval', async () => {
    const reviewer = await as('vutdkt');
    await go(reviewer, '#/review');
    await until(reviewer, async () => (await reviewer.locator('#review-queue').innerText()).includes('Sở Tư pháp TP Hà Nội'), 'the review queue');
    await snap(reviewer, 'review-queue');
    await reviewer.locator('#review-queue').getByRole('link', { name: 'Sở Tư pháp TP Hà Nội (STP-HN)' }).click();
    const form = reviewer.getByRole('form', { name: 'Kết quả thẩm định' });
    await form.waitFor();
    expect(await expectLabelled(reviewer)).toBe(6);
    expect(await text(reviewer)).toContain('Hoàn thành xuất sắc nhiệm vụ công tác tư pháp năm 2031');
    // No reason: the API's 400 names the field.
    await reviewer.getByLabel('Trả lại để bổ sung').check();
    await submit(reviewer, 'Kết quả thẩm định', 'Ghi nhận kết quả thẩm định');
    await form.getByRole('alert').first().waitFor();
    expect(await form.getByRole('alert').first().innerText()).toContain('reason');
    await reviewer.getByLabel('Lý do').fill('Thiếu biên bản họp cụm');
    await snap(reviewer, 'review-return');
    await submit(reviewer, 'Kết quả thẩm định', 'Ghi nhận kết quả thẩm định');
    await expectFlash(reviewer, 'Đã ghi nhận kết quả thẩm định.');
    expect(await text(reviewer)).toContain('Bổ sung hồ sơ');
    await done(reviewer);

    const officer = await as('canbo.stp-hn');
    await clickTask(officer, 'Bổ sung hồ sơ bị trả lại');
    const amend = officer.getByRole('form', { name: 'Bổ sung hồ sơ theo yêu cầu' });
    await amend.waitFor();
    expect(await amend.innerText()).toContain('Thiếu biên bản họp cụm');
    expect(await expectLabelled(officer)).toBe(4);
    await officer.getByRole('textbox', { name: 'Báo cáo thành tích' }).fill('Báo cáo thành tích kèm biên bản họp cụm.');
    await officer.getByLabel('Nội dung bổ sung').fill('Bổ sung biên bản họp cụm');
    await snap(officer, 'amendment');
    await submit(officer, 'Bổ sung hồ sơ theo yêu cầu', 'Gửi hồ sơ bổ sung');
    await expectFlash(officer, 'Đã gửi hồ sơ bổ sung.');
    await done(officer);

    const again = await as('vutdkt');
    await go(again, `#/nominations/${HN}`);
    await until(again, async () => (await again.getByRole('form', { name: 'Kết quả thẩm định' }).count()) > 0, 'the nomination back in review');
    await again.getByLabel('Đạt — chuyển Hội đồng xét').check();
    await again.getByLabel('Lý do').fill('Hồ sơ đầy đủ, đủ điều kiện');
    await submit(again, 'Kết quả thẩm định', 'Ghi nhận kết quả thẩm định');
    await expectFlash(again, 'Đã ghi nhận kết quả thẩm định.');
    expect(await text(again)).toContain('Hội đồng xét');
    await done(again);
  });

  scenario('holds the council sitting: opening, secret votes, a conflict of interest and an abstention, closing with seven present, tally and minutes', async () => {
    const chair = await as('chutich');
    await go(chair, `#/council?year=${YEAR}`);
    await submit(chair, `Mở phiên họp xét hồ sơ năm ${YEAR}`, 'Mở phiên họp');
    await chair.getByRole('heading', { level: 1, name: `Phiên họp Hội đồng ${YEAR}-1` }).waitFor();
    await chair.locator('main .loading').waitFor({ state: 'detached' });
    await done(chair);

    for (const member of ['chutich', 'hoidong1', 'hoidong2', 'hoidong3', 'hoidong4']) {
      const page = await as(member);
      await clickTask(page, 'Biểu quyết tại Hội đồng');
      const form = page.getByRole('form', { name: 'Biểu quyết kín' });
      await form.waitFor();
      expect(await expectLabelled(page)).toBeGreaterThanOrEqual(4);
      for (const group of await form.getByRole('group').all()) await group.getByLabel('Đồng ý', { exact: true }).check();
      if (member === 'hoidong1') await snap(page, 'council-vote');
      await submit(page, 'Biểu quyết kín', 'Gửi phiếu biểu quyết');
      await page.getByRole('button', { name: 'Xác nhận' }).click();
      await expectFlash(page, 'Đã ghi nhận 2 phiếu biểu quyết.');
      await done(page);
    }

    // hoidong5 declares a conflict of interest instead of voting (the reason is required); hoidong6
    // approves the Ministry flag and abstains on the Government flag.
    const conflicted = await as('hoidong5');
    await clickTask(conflicted, 'Biểu quyết tại Hội đồng');
    const conflictForm = conflicted.getByRole('form', { name: 'Khai xung đột lợi ích' });
    await conflictForm.waitFor();
    expect(await expectLabelled(conflicted)).toBeGreaterThanOrEqual(6);
    await submit(conflicted, 'Khai xung đột lợi ích', 'Khai xung đột lợi ích');
    await conflicted.getByRole('button', { name: 'Xác nhận' }).click();
    const conflictAlert = conflictForm.getByRole('alert').first();
    await conflictAlert.waitFor();
    expect(await conflictAlert.innerText()).toContain('reason');
    expect(await conflicted.getByLabel('Lý do').getAttribute('aria-invalid')).toBe('true');
    await conflicted.getByLabel('Lý do').fill('Nguyên là Giám đốc Sở Tư pháp TP Hà Nội');
    await snap(conflicted, 'council-conflict');
    await submit(conflicted, 'Khai xung đột lợi ích', 'Khai xung đột lợi ích');
    await conflicted.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(conflicted, 'Đã ghi nhận khai báo xung đột lợi ích.');
    const declared = await conflicted.locator('#council-conflicts').innerText();
    expect(declared).toContain('hoidong5');
    expect(declared).toContain('Nguyên là Giám đốc Sở Tư pháp TP Hà Nội');
    // No vote is asked of the member on that nomination any more.
    expect(await conflicted.getByRole('form', { name: 'Biểu quyết kín' }).count()).toBe(0);
    expect(await text(conflicted)).toContain('Bạn đã khai xung đột lợi ích với hồ sơ của Sở Tư pháp TP Hà Nội (STP-HN)');
    await done(conflicted);

    const abstaining = await as('hoidong6');
    await clickTask(abstaining, 'Biểu quyết tại Hội đồng');
    const voteForm = abstaining.getByRole('form', { name: 'Biểu quyết kín' });
    await voteForm.waitFor();
    await voteForm.getByRole('group', { name: /Cờ thi đua ngành Tư pháp/ }).getByLabel('Đồng ý', { exact: true }).check();
    await voteForm.getByRole('group', { name: /Cờ thi đua của Chính phủ/ }).getByLabel('Bỏ phiếu trắng', { exact: true }).check();
    await submit(abstaining, 'Biểu quyết kín', 'Gửi phiếu biểu quyết');
    await abstaining.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(abstaining, 'Đã ghi nhận 2 phiếu biểu quyết.');
    // Open: the tally counts the abstention and the conflict already.
    expect(await abstaining.locator('#council-tally').innerText()).toMatch(/Cờ thi đua của Chính phủ\s+5\s+0\s+1\s+1\s+6\s+Chưa kết luận/);
    await done(abstaining);

    const closing = await as('chutich');
    await clickTask(closing, 'Kết thúc phiên họp Hội đồng');
    await closing.getByRole('form', { name: 'Kết thúc phiên họp và kết luận' }).waitFor();
    await closing.getByLabel('Số thành viên có mặt').fill('7');
    await submit(closing, 'Kết thúc phiên họp và kết luận', 'Kết thúc phiên họp');
    await closing.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(closing, 'Đã kết thúc phiên họp.');
    // 7 present less the member with a conflict: a base of 6, 5 approvals needed (≥ 70 %).
    const session = (await stack.get('chutich', `/api/v1/council-sessions/${YEAR}-1`)).body;
    expect(session.items[0].outcome.GOVERNMENT_FLAG).toMatchObject({ approve: 5, abstain: 1, conflicts: 1, base: 6, required: 5, approved: true });
    const tally = await closing.locator('#council-tally').innerText();
    expect(tally).toMatch(/Cờ thi đua ngành Tư pháp\s+6\s+0\s+0\s+1\s+6\s+6 \(thành viên có mặt\)\s+5\s+Thông qua/);
    expect(tally).toMatch(/Cờ thi đua của Chính phủ\s+5\s+0\s+1\s+1\s+6\s+6 \(thành viên có mặt\)\s+5\s+Thông qua/);
    const minutes = await closing.locator('#minutes').innerText();
    expect(minutes).toContain('BIÊN BẢN');
    expect(minutes).toContain('7/9 thành viên Hội đồng có mặt');
    expect(minutes).toContain('Sở Tư pháp TP Hà Nội');
    expect(minutes).toContain('Nguyên là Giám đốc Sở Tư pháp TP Hà Nội');
    await snap(closing, 'council-closed-minutes');

    // The year's sittings come from GET /council-sessions?year= (400 for a year out of range).
    const listed = await stack.get('chutich', `/api/v1/council-sessions?year=${YEAR}`);
    expect(listed.status).toBe(200);
    expect({ total: listed.body.total, ids: listed.body.items.map((x: { id: string }) => x.id) }).toEqual({ total: 1, ids: [`${YEAR}-1`] });
    expect((await stack.get('chutich', '/api/v1/council-sessions?year=1999')).status).toBe(400);
    expect((await stack.get('canbo.stp-hn', `/api/v1/council-sessions?year=${YEAR}`)).status).toBe(403);
    await go(closing, `#/council?year=${YEAR}`);
    expect(await closing.getByRole('link', { name: `${YEAR}-1`, exact: true }).count()).toBe(1);
    expect(await text(closing)).toMatch(new RegExp(`${YEAR}-1\\s+Đã kết thúc`));
    await done(closing);
  });

  scenario('submits the Government flag within the quota and records the decision', async () => {
    const reviewer = await as('vutdkt');
    await go(reviewer, `#/government?year=${YEAR}`);
    await until(reviewer, async () => (await reviewer.getByRole('form', { name: `Trình Chính phủ đợt mới năm ${YEAR}` }).count()) > 0, 'the nomination waiting for the Government');
    expect(await text(reviewer)).toContain('Chỉ tiêu Cờ thi đua của Chính phủ');
    await reviewer.getByRole('group', { name: 'Hồ sơ đưa vào tờ trình' }).getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
    await snap(reviewer, 'government-submission');
    await submit(reviewer, `Trình Chính phủ đợt mới năm ${YEAR}`, 'Trình Chính phủ');
    await reviewer.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(reviewer, `Đã trình Chính phủ, đợt ${YEAR}-G1.`);
    await reviewer.getByRole('link', { name: 'Ghi nhận quyết định' }).click();
    const form = reviewer.getByRole('form', { name: 'Quyết định của Thủ tướng Chính phủ' });
    await form.waitFor();
    expect(await expectLabelled(reviewer)).toBe(5);
    await reviewer.getByLabel('Kết quả', { exact: true }).selectOption('AWARDED');
    await reviewer.getByLabel('Số quyết định').fill('123/QĐ-TTg');
    await reviewer.getByLabel('Ngày quyết định').fill(`${YEAR + 1}-03-20`);
    await submit(reviewer, 'Quyết định của Thủ tướng Chính phủ', 'Ghi nhận quyết định');
    await reviewer.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(reviewer, 'Đã ghi nhận quyết định của Chính phủ.');
    const dossier = await text(reviewer);
    expect(dossier).toContain('Được khen thưởng');
    expect(dossier).toContain('123/QĐ-TTg');
    expect(dossier).toMatch(/Cờ thi đua của Chính phủ: Được tặng/);
    await snap(reviewer, 'nomination-awarded');
    await done(reviewer);

    // The unit sees where its nomination stands.
    const officer = await as('canbo.stp-hn');
    expect(await text(officer)).toMatch(new RegExp(`${HN}[\\s\\S]*Được khen thưởng`));
    await done(officer);
  });

  scenario('shows the head of a campaign started after its deadline the late unit highlighted and the reminders sent', async () => {
    // STP-SL registers after the deadline, in the browser: its task is overdue.
    const sl = await as('canbo.stp-sl');
    const task = sl.locator('#tasks tbody tr', { hasText: LATE_CAMPAIGN }).filter({ hasText: 'Đăng ký thi đua' });
    await until(sl, async () => (await task.count()) > 0, 'the late registration task');
    expect(await task.innerText()).toContain('Quá hạn');
    await go(sl, `#/campaigns/${LATE_CAMPAIGN}`);
    await submit(sl, 'Đăng ký thi đua', 'Gửi đăng ký');
    await expectFlash(sl, 'Đã gửi đăng ký thi đua.');
    await done(sl);

    // The reminder already due when the campaign started went out at once, to both units.
    const status = await eventually(async () => {
      const c = (await stack.get('cumtruong.stp-lca', `/api/v1/campaigns/${encodeURIComponent(LATE_CAMPAIGN)}`)).body;
      const byUnit = Object.fromEntries(c.status.members.map((m: { unitCode: string }) => [m.unitCode, m]));
      expect(byUnit['STP-LCA']).toMatchObject({ registeredAt: null, remindersSent: 1, late: { kind: 'REGISTRATION' } });
      expect(byUnit['STP-SL']).toMatchObject({ remindersSent: 1, late: null });
      expect(Date.parse(byUnit['STP-SL'].registeredAt)).toBeGreaterThan(Date.parse(c.registrationDeadline));
      return byUnit as Record<string, { remindersSent: number; lastReminderAt: string; late: { workingDaysLate: number } | null }>;
    }, 30_000, 250);
    expect(status['STP-LCA'].late!.workingDaysLate).toBeGreaterThan(0);

    const head = await as('cumtruong.stp-lca');
    await go(head, `#/campaigns/${LATE_CAMPAIGN}`);
    const rows = head.locator('#campaign-status tbody tr');
    expect(await text(head)).toContain('Đã đăng ký 1/2 đơn vị; đã tự đánh giá 0/2. 1 đơn vị quá hạn');
    // The late unit first, highlighted (row background and left rule), with its working days late and its reminders.
    const late = rows.first();
    expect(await late.getAttribute('class')).toBe('late');
    expect(await head.locator('#campaign-status tbody tr.late').count()).toBe(1);
    const lateRow = await late.innerText();
    expect(lateRow).toContain('Sở Tư pháp tỉnh Lào Cai (STP-LCA)');
    expect(lateRow).toContain('Chưa đăng ký');
    expect(lateRow).toContain(`Quá hạn: chậm đăng ký ${status['STP-LCA'].late!.workingDaysLate} ngày làm việc`);
    expect(lateRow).toContain(`1 lần (lần cuối ${vnDateTime(status['STP-LCA'].lastReminderAt)})`);
    const cell = await head.evaluate(`(() => {
      const td = document.querySelector('#campaign-status tbody tr.late td');
      return { bg: getComputedStyle(td).backgroundColor, rule: getComputedStyle(td).borderLeftWidth };
    })()`);
    expect(cell).toEqual({ bg: 'rgb(254, 226, 226)', rule: '4px' });
    // The unit that registered late: marked so, reminded once before it did, no longer late.
    const slRow = rows.nth(1);
    expect(await slRow.getAttribute('class')).toBeNull();
    const registered = await slRow.innerText();
    expect(registered).toContain('Sở Tư pháp tỉnh Sơn La (STP-SL)');
    expect(registered).toContain('đăng ký muộn');
    expect(registered).toContain(`1 lần (lần cuối ${vnDateTime(status['STP-SL'].lastReminderAt)})`);
    expect(registered).toContain('Đúng tiến độ');
    await expectGlyphs(head);
    await snap(head, 'campaign-late-units');
    await done(head);
  });

  scenario('shows the auditor the timeline, a sound chain, the search and its export, and the year overview; the language switch is remembered', async () => {
    const auditor = await as('kiemtra');
    await go(auditor, `#/nominations/${HN}`);
    const timeline = auditor.locator('#timeline');
    await timeline.waitFor();
    const events = await timeline.innerText();
    expect(events).toContain('Thẩm định: trả lại để bổ sung');
    expect(events).toContain('Thiếu biên bản họp cụm');
    expect(events).toContain('vutdkt');
    expect(events).toContain('Ghi nhận quyết định của Chính phủ');
    const history = await stack.get('kiemtra', `/api/v1/nominations/${HN}/history`);
    expect(await timeline.locator('li').count()).toBe(history.body.items.length);
    await snap(auditor, 'auditor-timeline');

    await go(auditor, '#/audit');
    await auditor.getByRole('button', { name: 'Kiểm chứng ngay' }).click();
    await auditor.locator('#verify-result').getByText('Chuỗi nhật ký toàn vẹn').waitFor();
    const verify = await stack.get('kiemtra', '/api/v1/audit/verify');
    expect(await auditor.locator('#verify-result').innerText()).toContain(String(verify.body.checked));
    expect(await expectLabelled(auditor)).toBe(8);
    // A bad filter: the API's 400 message next to the form.
    await auditor.getByLabel('Người thực hiện').fill('không hợp lệ!');
    await submit(auditor, 'Tra cứu và kết xuất', 'Tìm kiếm');
    const alert = auditor.getByRole('form', { name: 'Tra cứu và kết xuất' }).getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('actor must be a username');
    await auditor.getByLabel('Người thực hiện').fill('');
    await auditor.getByLabel('Mã đối tượng').fill(HN);
    await submit(auditor, 'Tra cứu và kết xuất', 'Tìm kiếm');
    await auditor.locator('#audit-results').waitFor();
    expect(await auditor.locator('#audit-results').innerText()).toContain('Thiếu biên bản họp cụm');
    const download = auditor.waitForEvent('download');
    await auditor.getByRole('button', { name: 'Kết xuất CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain('REVIEW_RETURNED');
    expect(csv).toContain('Thiếu biên bản họp cụm');
    await snap(auditor, 'audit-search-verify');

    await go(auditor, `#/overview?year=${YEAR}`);
    await auditor.getByRole('img', { name: /Hồ sơ theo bước/ }).waitFor();
    expect(await auditor.locator('main svg[role="img"]').count()).toBe(3);
    const overview = await text(auditor);
    // Two campaigns of the web test in the year, two nominations each (the tools campaign is 2033).
    expect(overview).toContain('4 hồ sơ trong 2 phong trào.');
    expect(await auditor.locator('main svg rect.bar').count()).toBeGreaterThan(5);
    // Each bar's value (its <title>) against what the test did: STP-HN won both flags, STP-HCM was
    // not selected by the cluster; in the late cluster STP-LCA is still late, STP-SL registered late.
    const bars = await auditor.locator('main svg.chart rect.bar title').allTextContents();
    expect(bars).toEqual(
      expect.arrayContaining([
        'Được khen thưởng — Số hồ sơ: 1',
        'Không được cụm suy tôn — Số hồ sơ: 1',
        `${CLUSTER_NAME} — Cờ thi đua ngành Tư pháp: 1`,
        `${CLUSTER_NAME} — Cờ thi đua của Chính phủ: 1`,
        `${LATE_NAME} — Cờ thi đua của Chính phủ: 0`,
        `${LATE_NAME} — Đang chậm đăng ký: 1`,
        `${LATE_NAME} — Đã đăng ký sau hạn: 1`,
        `${CLUSTER_NAME} — Đang chậm đăng ký: 0`,
        `${CLUSTER_NAME} — Đã đăng ký sau hạn: 0`,
      ]),
    );
    // The late registrations' figure: the still-late unit in the sector's list, with its reminders.
    const lateList = auditor.getByRole('table', { name: 'Đơn vị đang chậm (1)' });
    expect(await lateList.locator('tbody tr').count()).toBe(1);
    expect(await lateList.locator('tbody tr').innerText()).toMatch(new RegExp(`Sở Tư pháp tỉnh Lào Cai \\(STP-LCA\\)\\s+${LATE_NAME}\\s+Đăng ký thi đua[\\s\\S]*\\s1$`));
    await expectGlyphs(auditor);
    await snap(auditor, 'year-overview');

    // English, remembered after a reload; <html lang> follows.
    await auditor.getByRole('button', { name: 'English' }).click();
    await auditor.getByRole('heading', { level: 1, name: `Overview of ${YEAR}` }).waitFor();
    expect(await auditor.locator('html').getAttribute('lang')).toBe('en');
    await auditor.reload();
    await auditor.getByRole('heading', { level: 1, name: `Overview of ${YEAR}` }).waitFor();
    expect(await auditor.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await snap(auditor, 'year-overview-en');
    await auditor.getByRole('button', { name: 'Tiếng Việt' }).click();
    await auditor.getByRole('heading', { level: 1, name: `Tổng quan năm ${YEAR}` }).waitFor();
    expect(await auditor.locator('html').getAttribute('lang')).toBe('vi');
    await done(auditor);
  });

  scenario('names a tampered row of the audit chain: the API’s problem, announced as an alert', async () => {
    // The audit table refuses UPDATE by trigger; a superuser session with the triggers off (as an
    // intruder with database access would) changes a reason, and puts it back afterwards.
    const [row] = await stack.db.dataSource.query(`SELECT seq, reason FROM audit_event WHERE subject_id = $1 AND action = 'REVIEW_RETURNED'`, [HN]);
    const seq = Number(row.seq);
    const alter = (reason: string) =>
      stack.db.dataSource.transaction(async (tx) => {
        await tx.query('SET LOCAL session_replication_role = replica');
        await tx.query('UPDATE audit_event SET reason = $2 WHERE seq = $1', [seq, reason]);
      });
    await alter('Hồ sơ đầy đủ');
    try {
      const verify = (await stack.get('kiemtra', '/api/v1/audit/verify')).body;
      expect(verify).toMatchObject({ ok: false, firstBadSeq: seq, problem: 'the event was changed after it was recorded' });
      const auditor = await as('kiemtra');
      await go(auditor, '#/audit');
      await auditor.getByRole('button', { name: 'Kiểm chứng ngay' }).click();
      const alert = auditor.locator('#verify-result').getByRole('alert');
      await alert.waitFor();
      const shown = await alert.innerText();
      expect(shown).toContain('Chuỗi nhật ký bị phá vỡ');
      expect(shown).toContain('nhật ký có thể đã bị thay đổi ngoài hệ thống');
      expect(shown).toMatch(new RegExp(`Bản ghi sai đầu tiên\\s+${seq}\\b`));
      expect(shown).toMatch(new RegExp(`Số bản ghi đã kiểm\\s+${verify.checked}\\b`));
      expect(await auditor.locator('#verify-problem').innerText()).toBe(`Bản ghi đã bị sửa đổi sau khi được ghi (${verify.problem})`);
      expect(await auditor.locator('#verify-result [role="status"]').count()).toBe(0);
      await snap(auditor, 'audit-chain-broken');
      await done(auditor);
    } finally {
      await alter(row.reason);
    }
    expect((await stack.get('kiemtra', '/api/v1/audit/verify')).body.ok).toBe(true);
  });

});

/** A small but well-formed PDF (header, objects, cross-reference table, trailer). */
function pdf(text: string): Buffer {
  const content = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

describe(`the officers' work tools, on cluster ${TOOLS_CLUSTER} ${TOOLS_YEAR}`, () => {
  const TASK = `REGISTER|${TOOLS_CAMPAIGN}|STP-HN`;
  const PDF_NAME = 'Báo cáo thành tích năm 2033 – Sở Tư pháp.pdf';
  const PDF = pdf('Bao cao thanh tich 2033');
  /** The row of the tools campaign's registration task on the home page. */
  const taskRow = (page: Page) => page.locator('#tasks tbody tr', { hasText: TOOLS_CAMPAIGN });
  const dossierPath = (unit: string) => `/api/v1/nominations/${encodeURIComponent(`${TOOLS_CAMPAIGN}:${unit}`)}`;

  beforeAll(async () => {
    const created = await stack.post('admin', '/api/v1/users', {
      username: OFFICER2,
      password: DEMO_PASSWORD,
      fullName: 'Cán bộ thi đua 2 - Sở Tư pháp TP Hà Nội',
      roles: ['UNIT_OFFICER'],
      unitCode: 'STP-HN',
    });
    if (created.status !== 201) throw new Error(`user: ${created.status} ${JSON.stringify(created.body)}`);
    const res = await stack.post('admin', '/api/v1/campaigns', {
      clusterCode: TOOLS_CLUSTER,
      clusterName: 'Cụm thi đua thử nghiệm công cụ xử lý hồ sơ',
      year: TOOLS_YEAR,
      memberUnitCodes: ['STP-HN', 'STP-HCM'],
      headUnitCode: 'STP-HN',
      registrationDeadline: new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString(),
    });
    if (![201, 202].includes(res.status)) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
  });

  scenario('claims a task, shows a second officer the 409 of the first claim, plans the task and filters by its plan', async () => {
    // The second officer's list is loaded while nobody holds the task.
    const second = await as(OFFICER2);
    await until(second, async () => (await taskRow(second).count()) === 1, 'the registration task of the second officer');
    expect(await taskRow(second).innerText()).toContain('Chưa ai nhận');

    const first = await as('canbo.stp-hn');
    await until(first, async () => (await taskRow(first).count()) === 1, 'the registration task');
    expect(await expectLabelled(first)).toBeGreaterThanOrEqual(6);
    await taskRow(first).getByRole('button', { name: /^Nhận việc/ }).click();
    await expectFlash(first, 'Bạn đã nhận việc: Đăng ký thi đua');
    expect(await taskRow(first).innerText()).toContain('Bạn (canbo.stp-hn)');
    await snap(first, 'tasks-claimed');

    // The second officer claims from the stale list: the API's 409 names the holder.
    const refused = await stack.post(OFFICER2, '/api/v1/me/tasks/claim', { taskKey: TASK });
    expect(refused.status).toBe(409);
    await taskRow(second).getByRole('button', { name: /^Nhận việc/ }).click();
    const alert = taskRow(second).getByRole('alert');
    await alert.waitFor();
    const shown = await alert.innerText();
    expect(shown).toContain('Việc này đã có người khác nhận trước bạn.');
    expect(shown).toContain(refused.body.message);
    expect(shown).toContain('canbo.stp-hn');
    expect(await taskRow(second).getByRole('button', { name: /^Nhận việc/ }).getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    await snap(second, 'tasks-claim-409');
    await done(second);

    // Plan: urgent, due on a date already past (so it is marked Quá hạn), a follow-up date.
    await taskRow(first).getByText('Giao việc, chuyển giao, lập kế hoạch').click();
    const plan = taskRow(first).getByRole('form', { name: 'Lập kế hoạch' });
    await plan.getByLabel('Hạn xử lý').fill('2020-01-15');
    await plan.getByLabel('Ngày theo dõi lại').fill('2099-02-01');
    await plan.getByLabel('Mức ưu tiên').selectOption('URGENT');
    await snap(first, 'tasks-plan');
    await plan.getByRole('button', { name: 'Lưu kế hoạch' }).click();
    await expectFlash(first, 'Đã lưu kế hoạch');
    const row = await taskRow(first).innerText();
    expect(row).toContain('15/01/2020');
    expect(row).toContain('01/02/2099');
    expect(row).toContain('Khẩn');
    expect(row).toContain('Quá hạn');
    const planned = (await stack.get('canbo.stp-hn', '/api/v1/me/tasks')).body.items.find((x: { key: string }) => x.key === TASK);
    expect(planned).toMatchObject({ priority: 'URGENT', dueDate: '2020-01-15', followUpDate: '2099-02-01', overdue: true, assignee: 'canbo.stp-hn' });

    // The filters are the query parameters of GET /me/tasks.
    const filters = first.getByRole('form', { name: 'Lọc và sắp xếp việc' });
    await filters.getByLabel('Mức ưu tiên').selectOption('URGENT');
    await filters.getByLabel('Thời hạn').selectOption('true');
    await filters.getByLabel('Người xử lý').selectOption('me');
    await filters.getByLabel('Sắp xếp theo').selectOption('priority');
    await submit(first, 'Lọc và sắp xếp việc', 'Lọc');
    await first.waitForURL(/#\/\?assignee=me&priority=URGENT&overdue=true&sort=priority$/);
    await first.locator('main').getByText('Có 1 việc khớp bộ lọc.').waitFor();
    const api = (await stack.get('canbo.stp-hn', '/api/v1/me/tasks?assignee=me&priority=URGENT&overdue=true&sort=priority')).body.items;
    expect(api.map((x: { key: string }) => x.key)).toEqual([TASK]);
    expect(await first.locator('#tasks tbody tr').count()).toBe(1);
    expect(await taskRow(first).count()).toBe(1);
    await snap(first, 'tasks-filtered');
    await filters.getByLabel('Mức ưu tiên').selectOption('LOW');
    await submit(first, 'Lọc và sắp xếp việc', 'Lọc');
    await first.waitForURL(/priority=LOW/);
    await first.locator('main').getByText('Có 0 việc khớp bộ lọc.').waitFor();
    expect(await taskRow(first).count()).toBe(0);
    expect(await first.locator('#tasks').innerText()).toContain('Không có dữ liệu.');
    await done(first);
  });

  scenario('adds a Vietnamese comment seen in the timeline (after a simulated 500, 503 and network failure), uploads a PDF and downloads the same bytes, refuses an .exe (415), a file over the limit (413) and an altered file (409)', async () => {
    const officer = await as('canbo.stp-hn');
    await go(officer, `#/nominations/${TOOLS_CAMPAIGN}:STP-HN`);
    const comment = 'Đề nghị bổ sung biên bản họp cụm — “ưu tiên số hoá”; đã đối chiếu với Sở Tư pháp TP Hồ Chí Minh.';
    await officer.getByLabel('Nội dung ý kiến').fill(comment);

    // The server failing (simulated: the API has no way to fail on purpose): a 500 with its request
    // id, a 503 with Retry-After, then no answer at all. Each says it is the server's fault, that
    // the comment may not be recorded, to retry and whom to tell; nothing reached the API.
    const comments = `**/api/v1/nominations/${encodeURIComponent(`${TOOLS_CAMPAIGN}:STP-HN`)}/comments`;
    const commentAlert = officer.getByRole('form', { name: 'Thêm ý kiến' }).getByRole('alert');
    await officer.route(comments, (route) =>
      (route.request().method() === 'POST'
        ? route.fulfill({ status: 500, headers: { 'x-request-id': 'web-e2e-500' }, contentType: 'application/json', body: JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' }) })
        : route.continue()
      ).catch(() => undefined),
    );
    await submit(officer, 'Thêm ý kiến', 'Gửi ý kiến');
    await commentAlert.waitFor();
    expect(await alertLines(commentAlert)).toEqual([
      'Lỗi máy chủ: hệ thống gặp sự cố ngoài ý muốn (500 Internal Server Error)',
      'Đây là lỗi ở phía máy chủ, không phải do thông tin bạn nhập.',
      'Thao tác có thể chưa được ghi nhận: hãy tải lại trang để kiểm tra trước khi làm lại.',
      'Vui lòng thử lại sau ít phút. Nếu lỗi vẫn lặp lại, hãy liên hệ quản trị hệ thống.',
      'Internal server error',
      'Mã yêu cầu (gửi kèm khi báo quản trị hệ thống): web-e2e-500',
    ]);
    await snap(officer, 'comment-500');
    await officer.unroute(comments);
    await officer.route(comments, (route) =>
      (route.request().method() === 'POST'
        ? route.fulfill({ status: 503, headers: { 'retry-after': '30', 'x-request-id': 'web-e2e-503' }, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'the database is unavailable; try again shortly' }) })
        : route.continue()
      ).catch(() => undefined),
    );
    await submit(officer, 'Thêm ý kiến', 'Gửi ý kiến');
    await commentAlert.getByText('503 Service Unavailable').waitFor();
    expect(await alertLines(commentAlert)).toEqual([
      'Lỗi máy chủ: hệ thống tạm thời không sẵn sàng (503 Service Unavailable)',
      'Đây là lỗi ở phía máy chủ, không phải do thông tin bạn nhập.',
      'Thao tác có thể chưa được ghi nhận: hãy tải lại trang để kiểm tra trước khi làm lại.',
      'Vui lòng thử lại sau 30 giây. Nếu lỗi vẫn lặp lại, hãy liên hệ quản trị hệ thống.',
      'the database is unavailable; try again shortly',
      'Mã yêu cầu (gửi kèm khi báo quản trị hệ thống): web-e2e-503',
    ]);
    await officer.unroute(comments);
    await officer.route(comments, (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()).catch(() => undefined));
    await submit(officer, 'Thêm ý kiến', 'Gửi ý kiến');
    await commentAlert.getByText('Không kết nối được máy chủ').waitFor();
    expect(await alertLines(commentAlert)).toEqual([
      'Không kết nối được máy chủ',
      'Trình duyệt không nhận được phản hồi nào từ máy chủ: mạng hoặc máy chủ đang gián đoạn.',
      'Thao tác có thể chưa được ghi nhận: hãy tải lại trang để kiểm tra trước khi làm lại.',
      'Vui lòng thử lại sau ít phút. Nếu lỗi vẫn lặp lại, hãy liên hệ quản trị hệ thống.',
    ]);
    await snap(officer, 'comment-network-failure');
    await officer.unroute(comments);
    expect((await stack.get('canbo.stp-hn', `${dossierPath('STP-HN')}/comments`)).body.items).toEqual([]);
    // The text typed is still there: sent again, for real.
    expect(await officer.getByLabel('Nội dung ý kiến').inputValue()).toBe(comment);
    await submit(officer, 'Thêm ý kiến', 'Gửi ý kiến');
    await expectFlash(officer, 'Đã gửi ý kiến.');
    expect(await officer.locator('#comments').innerText()).toContain(comment);
    expect(await officer.locator('#timeline').innerText()).toContain(comment);
    const recorded = (await stack.get('canbo.stp-hn', `${dossierPath('STP-HN')}/comments`)).body.items;
    expect(recorded.map((c: { text: string }) => c.text)).toEqual([comment]);

    // Upload: multipart field `file` sent by fetch with FormData.
    const fileInput = officer.getByLabel('Chọn tệp');
    await fileInput.setInputFiles({ name: PDF_NAME, mimeType: 'application/pdf', buffer: PDF });
    await submit(officer, 'Đính kèm tài liệu', 'Tải lên');
    await expectFlash(officer, `Đã đính kèm tệp ${PDF_NAME}.`);
    const files = officer.locator('#attachments');
    expect(await files.innerText()).toContain(PDF_NAME);
    const listed = (await stack.get('canbo.stp-hn', `${dossierPath('STP-HN')}/attachments`)).body.items;
    expect(listed).toEqual([expect.objectContaining({ fileName: PDF_NAME, size: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') })]);

    // Download through the API (bearer token), then the same bytes under the same name.
    const download = officer.waitForEvent('download');
    await files.getByRole('button', { name: /^Tải về/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(PDF_NAME);
    expect(readFileSync((await file.path())!).equals(PDF)).toBe(true);
    await snap(officer, 'nomination-comments-attachments');

    // A text file named .exe: the API's 415, next to the form, the field marked.
    await officer.getByLabel('Chọn tệp').setInputFiles({ name: 'chuong-trinh.exe', mimeType: 'text/plain', buffer: Buffer.from('không phải tài liệu') });
    await submit(officer, 'Đính kèm tài liệu', 'Tải lên');
    const uploadAlert = officer.getByRole('form', { name: 'Đính kèm tài liệu' }).getByRole('alert');
    await uploadAlert.waitFor();
    const refusal = await uploadAlert.innerText();
    expect(refusal).toContain('Loại tệp không được chấp nhận (415 Unsupported Media Type');
    expect(refusal).toContain('file: "chuong-trinh.exe" is not an accepted type');
    expect(await officer.getByLabel('Chọn tệp').getAttribute('aria-invalid')).toBe('true');
    await snap(officer, 'attachment-415');

    // One byte over ATTACHMENT_MAX_BYTES (1 MiB here): the API's 413, what to do about it, the field marked.
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_ATTACHMENT + 1 - PDF.length, 0x20)]);
    await officer.getByLabel('Chọn tệp').setInputFiles({ name: 'Báo cáo quá lớn.pdf', mimeType: 'application/pdf', buffer: big });
    await submit(officer, 'Đính kèm tài liệu', 'Tải lên');
    await uploadAlert.getByText('413 Payload Too Large', { exact: false }).waitFor();
    expect(await alertLines(uploadAlert)).toEqual([
      'Tệp hoặc dữ liệu gửi lên quá lớn (413 Payload Too Large)',
      'Hãy chọn tệp nhỏ hơn (hoặc nén, chia nhỏ tệp) rồi gửi lại.',
      expect.stringMatching(/^file: larger than the limit of (1 MiB|1048576 bytes) \(ATTACHMENT_MAX_BYTES\)$/),
    ]);
    expect(await officer.getByLabel('Chọn tệp').getAttribute('aria-invalid')).toBe('true');
    expect((await stack.get('canbo.stp-hn', `${dossierPath('STP-HN')}/attachments`)).body.items).toHaveLength(1);
    await snap(officer, 'attachment-413');

    // The stored bytes altered on disk: the download is refused with the API's 409.
    const sha = listed[0].sha256 as string;
    const stored = path.join(attachmentDir, sha.slice(0, 2), sha);
    writeFileSync(stored, Buffer.concat([PDF, Buffer.from('% sửa đổi trái phép\n')]));
    await files.getByRole('button', { name: /^Tải về/ }).click();
    const integrity = files.getByRole('alert');
    await integrity.waitFor();
    expect(await integrity.innerText()).toContain('Tệp không qua được kiểm tra toàn vẹn');
    expect(await integrity.innerText()).toContain('failed its integrity check (SHA-256 mismatch');
    writeFileSync(stored, PDF);
    await done(officer);
  });

  scenario('takes a ballot with an abstention (picks disabled, shown in the confirmation and the receipt) and shows abstentions and the base in the results', async () => {
    for (const unit of ['STP-HN', 'STP-HCM']) {
      const officer = `canbo.${unit.toLowerCase()}`;
      const registered = await stack.post(officer, `/api/v1/campaigns/${encodeURIComponent(TOOLS_CAMPAIGN)}/registrations`, { unitCode: unit, targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] });
      expect(registered.status).toBe(201);
    }
    for (const unit of ['STP-HN', 'STP-HCM']) {
      await eventually(async () => {
        const res = await stack.post(`canbo.${unit.toLowerCase()}`, `${dossierPath(unit)}/self-assessment`, { score: 95, achievementReport: `Báo cáo thành tích năm ${TOOLS_YEAR}` });
        expect(res.status).toBe(201);
      }, 20_000, 250);
    }
    await eventually(async () => {
      const c = (await stack.get('cumtruong.stp-hn', `/api/v1/campaigns/${encodeURIComponent(TOOLS_CAMPAIGN)}`)).body;
      expect(c.members.every((m: { selfAssessedAt: string | null }) => m.selfAssessedAt)).toBe(true);
    }, 20_000, 250);
    expect((await stack.post('cumtruong.stp-hn', `/api/v1/campaigns/${encodeURIComponent(TOOLS_CAMPAIGN)}/vote/open`, { ministryFlagSeats: 1, governmentFlagSeats: 1 })).status).toBe(201);

    const leader = await as('thutruong.stp-hn');
    await go(leader, `#/campaigns/${TOOLS_CAMPAIGN}/ballot`);
    const ministry = leader.getByRole('group', { name: /Cờ thi đua ngành Tư pháp/ });
    const government = leader.getByRole('group', { name: /Cờ thi đua của Chính phủ/ });
    await government.waitFor();
    expect(await expectLabelled(leader)).toBe(6);
    await government.getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
    await government.getByLabel('Bỏ phiếu trắng / không chọn cho danh hiệu này').check();
    // Abstaining clears and disables the title's picks.
    expect(await government.getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').isDisabled()).toBe(true);
    expect(await government.getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').isChecked()).toBe(false);
    await ministry.getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
    await snap(leader, 'ballot-abstain');
    await submit(leader, 'Lựa chọn của đơn vị', 'Tiếp tục');
    const confirm = leader.getByRole('form', { name: 'Xác nhận phiếu bầu' });
    await confirm.waitFor();
    expect(await confirm.innerText()).toMatch(/Cờ thi đua ngành Tư pháp\s+Sở Tư pháp TP Hà Nội \(STP-HN\)\s+Cờ thi đua của Chính phủ\s+Bỏ phiếu trắng \(không chọn cho danh hiệu này\)/);
    await submit(leader, 'Xác nhận phiếu bầu', 'Xác nhận bỏ phiếu');
    const receipt = leader.locator('.receipt');
    await leader.locator('#receipt').waitFor();
    expect(await receipt.innerText()).toMatch(/Cờ thi đua của Chính phủ\s+Bỏ phiếu trắng/);
    await snap(leader, 'ballot-abstain-receipt');
    await done(leader);

    const other = await stack.post('thutruong.stp-hcm', `/api/v1/campaigns/${encodeURIComponent(TOOLS_CAMPAIGN)}/vote/ballots`, { unitCode: 'STP-HCM', ministryFlag: ['STP-HN'], governmentFlag: ['STP-HN'] });
    expect(other.status).toBe(201);
    const closed = await stack.post('cumtruong.stp-hn', `/api/v1/campaigns/${encodeURIComponent(TOOLS_CAMPAIGN)}/vote/close`, {});
    expect(closed.status).toBe(201);
    // One abstention of two ballots on the Government flag; the base (ballots cast) keeps it.
    expect({ abstentions: closed.body.abstentions, thresholdBase: closed.body.thresholdBase }).toEqual({ abstentions: { MINISTRY_FLAG: 0, GOVERNMENT_FLAG: 1 }, thresholdBase: { MINISTRY_FLAG: 2, GOVERNMENT_FLAG: 2 } });

    const head = await as('cumtruong.stp-hn');
    await go(head, `#/campaigns/${TOOLS_CAMPAIGN}`);
    await until(head, async () => (await head.locator('#vote-base-GOVERNMENT_FLAG').count()) === 1, 'the results');
    expect(await head.locator('#vote-base-MINISTRY_FLAG').innerText()).toBe('Phiếu trắng: 0 · Số phiếu làm cơ sở tính tỷ lệ: 2');
    expect(await head.locator('#vote-base-GOVERNMENT_FLAG').innerText()).toBe('Phiếu trắng: 1 · Số phiếu làm cơ sở tính tỷ lệ: 2');
    // Each title's quorum (túc số) and the rule set's counting in words, as GET …/vote gives them.
    const vote = (await stack.get('cumtruong.stp-hn', `/api/v1/campaigns/${encodeURIComponent(TOOLS_CAMPAIGN)}/vote`)).body;
    expect({ quorumMet: vote.result.quorumMet, counting: vote.counting }).toEqual({
      quorumMet: { MINISTRY_FLAG: true, GOVERNMENT_FLAG: true },
      counting: { allowSelfVote: true, base: 'BALLOTS_CAST', abstentions: 'COUNT_IN_BALLOTS_CAST', abstentionsInQuorum: 'COUNT_AS_PRESENT' },
    });
    expect(closed.body).toMatchObject({ quorumMet: vote.result.quorumMet, counting: vote.counting });
    expect(await head.locator('#vote-quorum-MINISTRY_FLAG').innerText()).toBe('Đủ túc số');
    expect(await head.locator('#vote-quorum-GOVERNMENT_FLAG').innerText()).toBe('Đủ túc số');
    await head.getByRole('heading', { level: 3, name: 'Cách tính phiếu theo bộ quy tắc default v2' }).waitFor();
    expect(await head.locator('#vote-counting li').allInnerTexts()).toEqual([
      'Tỷ lệ phiếu suy tôn của mỗi danh hiệu được tính trên số phiếu đã bỏ.',
      'Phiếu trắng cho một danh hiệu vẫn được tính vào cơ sở tính tỷ lệ của danh hiệu đó.',
      'Khi xét túc số, đơn vị bỏ phiếu trắng cho một danh hiệu vẫn được tính là đã bỏ phiếu cho danh hiệu đó.',
      'Đơn vị được bỏ phiếu cho chính mình.',
    ]);
    await snap(head, 'vote-results-abstentions');
    await done(head);
  });

  scenario('lets a reviewer reject a nomination with a reason (after confirming) and shows its final state to the reviewer and the unit', async () => {
    const reason = 'Chưa đạt chỉ tiêu chuyển đổi số; thiếu xác nhận của Ủy ban nhân dân tỉnh.';
    const reviewer = await as('vutdkt');
    await go(reviewer, `#/nominations/${TOOLS_CAMPAIGN}:STP-HN`);
    const form = reviewer.getByRole('form', { name: 'Kết quả thẩm định' });
    await until(reviewer, async () => (await form.count()) > 0, 'the nomination in review');
    await reviewer.getByLabel('Không đạt — từ chối').check();
    await reviewer.getByLabel('Lý do').fill(reason);
    await submit(reviewer, 'Kết quả thẩm định', 'Ghi nhận kết quả thẩm định');
    // A rejection ends the dossier: a focusable confirmation step first.
    await form.getByText('Từ chối hồ sơ? Hồ sơ sẽ kết thúc với kết quả không được khen thưởng.').waitFor();
    await snap(reviewer, 'review-reject-confirm');
    await form.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(reviewer, 'Đã ghi nhận kết quả thẩm định.');
    const api = (await stack.get('vutdkt', dossierPath('STP-HN'))).body;
    expect(api).toMatchObject({ stage: 'NOT_AWARDED', titles: { MINISTRY_FLAG: 'REJECTED' }, review: { decision: 'REJECT', reason, by: 'vutdkt' } });
    const dossier = await text(reviewer);
    expect(dossier).toContain('Không được khen thưởng');
    expect(dossier).toMatch(/Cờ thi đua ngành Tư pháp: Không được thông qua/);
    expect(dossier).toMatch(new RegExp(`Thẩm định gần nhất[\\s\\S]*Không đạt — từ chối[\\s\\S]*${reason}[\\s\\S]*vutdkt`));
    // Nothing more to decide.
    expect(await form.count()).toBe(0);
    expect(await reviewer.locator('#timeline').innerText()).toContain(reason);
    await snap(reviewer, 'nomination-rejected');
    await done(reviewer);

    const officer = await as('canbo.stp-hn');
    await go(officer, `#/nominations/${TOOLS_CAMPAIGN}:STP-HN`);
    const seen = await text(officer);
    expect(seen).toContain('Không được khen thưởng');
    expect(seen).toContain(reason);
    await done(officer);
  });
});

describe('the cluster vote under the strict rule set: a title without its quorum, the counting in words', () => {
  const STRICT_YEAR = 2034;
  const STRICT_CAMPAIGN = `${STRICT_YEAR}:KV-WEB-STRICT`;
  const campaignPath = `/api/v1/campaigns/${encodeURIComponent(STRICT_CAMPAIGN)}`;

  scenario('shows the Ministry flag with its quorum and the Government flag without it (abstentions counted as not voting), and how the rule set counts, in both languages', async () => {
    const started = await stack.post('admin', '/api/v1/campaigns', {
      clusterCode: 'KV-WEB-STRICT',
      clusterName: 'Cụm thi đua thử nghiệm quy tắc chặt',
      year: STRICT_YEAR,
      memberUnitCodes: ['STP-HN', 'STP-HCM'],
      headUnitCode: 'STP-HN',
      registrationDeadline: new Date(Date.now() + 20 * 24 * 3600 * 1000).toISOString(),
      ruleSet: 'strict',
    });
    // 202: started, but not readable yet (an engine busy with the benchmark); the registrations wait for it.
    expect([201, 202]).toContain(started.status);
    for (const unit of ['STP-HN', 'STP-HCM']) {
      const officer = `canbo.${unit.toLowerCase()}`;
      await eventually(async () => {
        expect((await stack.post(officer, `${campaignPath}/registrations`, { unitCode: unit, targetTitles: ['MINISTRY_FLAG', 'GOVERNMENT_FLAG'] })).status).toBe(201);
      }, 20_000, 250);
    }
    for (const unit of ['STP-HN', 'STP-HCM']) {
      await eventually(async () => {
        const res = await stack.post(`canbo.${unit.toLowerCase()}`, `/api/v1/nominations/${encodeURIComponent(`${STRICT_CAMPAIGN}:${unit}`)}/self-assessment`, { score: 90, achievementReport: `Báo cáo thành tích năm ${STRICT_YEAR}` });
        expect(res.status).toBe(201);
      }, 20_000, 250);
    }
    await eventually(async () => {
      const c = (await stack.get('cumtruong.stp-hn', campaignPath)).body;
      expect(c.members.every((m: { selfAssessedAt: string | null }) => m.selfAssessedAt)).toBe(true);
    }, 20_000, 250);
    expect((await stack.post('cumtruong.stp-hn', `${campaignPath}/vote/open`, { ministryFlagSeats: 1, governmentFlagSeats: 1 })).status).toBe(201);
    // No vote for one's own unit; STP-HN abstains on the Government flag: 1 of 2 units voted on it, under 2/3.
    expect((await stack.post('thutruong.stp-hn', `${campaignPath}/vote/ballots`, { unitCode: 'STP-HN', ministryFlag: ['STP-HCM'], governmentFlag: [], abstain: ['GOVERNMENT_FLAG'] })).status).toBe(201);
    expect((await stack.post('thutruong.stp-hcm', `${campaignPath}/vote/ballots`, { unitCode: 'STP-HCM', ministryFlag: ['STP-HN'], governmentFlag: ['STP-HN'] })).status).toBe(201);

    // The head closes the vote in the browser.
    const head = await as('cumtruong.stp-hn');
    await go(head, `#/campaigns/${STRICT_CAMPAIGN}`);
    await until(head, async () => (await text(head)).includes('Đã có 2/2 đơn vị bỏ phiếu'), 'both ballots');
    await submit(head, 'Đóng bỏ phiếu và kiểm phiếu', 'Đóng bỏ phiếu');
    await head.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(head, 'Đã đóng bỏ phiếu và kiểm phiếu.');
    await until(head, async () => (await head.locator('#vote-quorum-GOVERNMENT_FLAG').count()) === 1, 'the results');
    const vote = (await stack.get('cumtruong.stp-hn', `${campaignPath}/vote`)).body;
    expect({ quorumMet: vote.result.quorumMet, counting: vote.counting, thresholdBase: vote.result.thresholdBase }).toEqual({
      quorumMet: { MINISTRY_FLAG: true, GOVERNMENT_FLAG: false },
      counting: { allowSelfVote: false, base: 'BALLOTS_CAST', abstentions: 'EXCLUDE_FROM_BASE', abstentionsInQuorum: 'COUNT_AS_ABSENT' },
      thresholdBase: { MINISTRY_FLAG: 2, GOVERNMENT_FLAG: 1 },
    });
    expect(await head.locator('#vote-quorum-MINISTRY_FLAG').innerText()).toBe('Đủ túc số');
    expect(await head.locator('#vote-quorum-GOVERNMENT_FLAG').innerText()).toBe('Không đủ túc số: không đơn vị nào được suy tôn danh hiệu này');
    expect(await head.locator('#vote-base-GOVERNMENT_FLAG').innerText()).toBe('Phiếu trắng: 1 · Số phiếu làm cơ sở tính tỷ lệ: 1');
    await head.getByRole('heading', { level: 3, name: 'Cách tính phiếu theo bộ quy tắc strict v1' }).waitFor();
    expect(await head.locator('#vote-counting li').allInnerTexts()).toEqual([
      'Tỷ lệ phiếu suy tôn của mỗi danh hiệu được tính trên số phiếu đã bỏ.',
      'Phiếu trắng cho một danh hiệu không được tính vào cơ sở tính tỷ lệ của danh hiệu đó.',
      'Khi xét túc số, đơn vị bỏ phiếu trắng cho một danh hiệu được tính là không bỏ phiếu cho danh hiệu đó; danh hiệu không đủ túc số thì không đơn vị nào được suy tôn.',
      'Đơn vị không được bỏ phiếu cho chính mình hoặc cho đơn vị trực thuộc.',
    ]);
    await expectGlyphs(head);
    await snap(head, 'vote-results-strict');
    await head.getByRole('button', { name: 'English' }).click();
    await head.getByRole('heading', { level: 3, name: 'How the rule set strict v1 counts the votes' }).waitFor();
    expect(await head.locator('#vote-quorum-MINISTRY_FLAG').innerText()).toBe('Quorum met');
    expect(await head.locator('#vote-quorum-GOVERNMENT_FLAG').innerText()).toBe('Quorum missed: no unit is selected for this title');
    expect(await head.locator('#vote-counting li').allInnerTexts()).toEqual([
      "Each title's share of votes is measured against the ballots cast.",
      "An abstention on a title is left out of that title's base.",
      'For the quorum, a unit abstaining on a title counts as not having voted on it; a title without its quorum selects nobody.',
      'A unit may not vote for itself or for its own sub-units.',
    ]);
    await snap(head, 'vote-results-strict-en');
    await head.getByRole('button', { name: 'Tiếng Việt' }).click();
    await head.getByRole('heading', { level: 3, name: 'Cách tính phiếu theo bộ quy tắc strict v1' }).waitFor();
    await done(head);
  });
});

describe('the award registry (hồ sơ thành tích)', () => {
  const FILE = 'danh-sach-khen-thuong.xlsx';
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  /** A unit renamed after its award (2025 reform): the award was recorded under its former code. */
  const OLD = { code: 'STP-WEB-CU', name: 'Sở Tư pháp thử nghiệm giao diện (tên cũ)' };
  const NEW = { code: 'STP-WEB', name: 'Sở Tư pháp thử nghiệm giao diện' };
  const RENAMED_AWARD = `Tập thể lao động xuất sắc năm 2023 của ${NEW.name} (${NEW.code}), quyết định 88/QĐ-BTP`;
  const RENAMED_UNIT = `${NEW.name} (${NEW.code})\nKhen thưởng với tên: ${OLD.name} (${OLD.code})`;
  const REASON = 'Kê khai thành tích không trung thực';
  /** What the error table writes for each field the API names. */
  const FIELD_LABEL: Record<string, string> = {
    unitCode: 'Đơn vị',
    title: 'Danh hiệu',
    year: 'Năm',
    decisionNumber: 'Số quyết định',
    decisionDate: 'Ngày quyết định',
    issuingBody: 'Cơ quan ban hành',
    header: 'Dòng tiêu đề',
  };

  interface AwardJson {
    id: number;
    unitCode: string;
    year: number;
    decisionNumber: string;
    source: string;
    revoked: { at: string; reason: string; by: string; decisionNumber: string; decisionDate: string } | null;
  }
  const registry = async (query = '') => (await stack.get('vutdkt', `/api/v1/registry${query}`)).body as { items: AwardJson[]; total: number };
  /** The text of every cell of every body row of a table, one line per block (a <p> is no blank line). */
  const cells = async (page: Page, selector: string) =>
    Promise.all((await page.locator(`${selector} tbody tr`).all()).map(async (row) => (await row.locator('td').allInnerTexts()).map((c) => c.replace(/\n+/g, '\n').trim())));
  const upload = async (username: string, file: Buffer, name: string) =>
    stack.http.post('/api/v1/registry/imports').set('Authorization', `Bearer ${await stack.token(username)}`).attach('file', file, name);
  /** Submits the lookup and waits for the page it leads to (a new heading: the old page's table must not be read). */
  const search = async (page: Page, hash: RegExp) => {
    await page.evaluate(`document.querySelector('main h1').setAttribute('data-stale', '')`);
    await submit(page, 'Tra cứu khen thưởng', 'Tìm kiếm');
    await page.waitForURL(hash);
    await page.locator('main h1:not([data-stale])').waitFor();
    await page.locator('#registry-results').waitFor();
  };
  /** The revocation button's cell: its text, then (on a line of its own: it is positioned out of the flow) the rest of its name for screen readers. */
  const revokeButton = /^Thu hồi\n— /;

  beforeAll(async () => {
    for (const unit of [OLD, NEW]) {
      const created = await stack.post('admin', '/api/v1/units', { ...unit, kind: 'SO_TU_PHAP' });
      if (created.status !== 201) throw new Error(`unit: ${created.status} ${JSON.stringify(created.body)}`);
    }
    const csv = Buffer.from(`\uFEFFMã đơn vị,Danh hiệu,Năm,Số quyết định,Ngày quyết định,Cơ quan ban hành\n${OLD.code},Tập thể lao động xuất sắc,2023,88/QĐ-BTP,15/01/2024,Bộ trưởng Bộ Tư pháp\n`, 'utf8');
    const imported = await upload('vutdkt', csv, 'khen-thuong-cu.csv');
    if (imported.status !== 201) throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
    const renamed = await stack.post('admin', `/api/v1/units/${OLD.code}/succession`, { successorCode: NEW.code, reason: 'RENAMED', effectiveDate: '2025-07-01' });
    if (renamed.status !== 201) throw new Error(`succession: ${renamed.status} ${JSON.stringify(renamed.body)}`);
  });

  scenario('imports a spreadsheet: a refusal lists every row error (row, column, message) and imports nothing, the corrected file its counts; looks up by unit, title, year and decision number, a renamed unit under today’s name', async () => {
    const reviewer = await as('vutdkt');
    await reviewer.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Hồ sơ thành tích' }).click();
    await reviewer.getByRole('heading', { level: 1, name: 'Hồ sơ thành tích' }).waitFor();
    await reviewer.locator('main .loading').waitFor({ state: 'detached' });
    // The lookup's four fields and the file to import.
    expect(await expectLabelled(reviewer)).toBe(5);
    const before = (await registry()).total;

    // The spreadsheet with bad rows: the API's 400, and each of its errors as a row of the table.
    const bad = await registryWorkbook();
    const refused = await upload('vutdkt', bad, FILE);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toHaveLength(8);
    const fileInput = reviewer.getByLabel('Tệp danh sách khen thưởng (.xlsx hoặc .csv)');
    await fileInput.setInputFiles({ name: FILE, mimeType: XLSX, buffer: bad });
    await submit(reviewer, 'Nhập khen thưởng từ tệp', 'Nhập tệp');
    const alert = reviewer.getByRole('form', { name: 'Nhập khen thưởng từ tệp' }).getByRole('alert');
    await alert.getByText('400 Bad Request', { exact: false }).waitFor();
    expect(await alertLines(alert)).toEqual([
      'Dữ liệu chưa hợp lệ (400 Bad Request)',
      'Tệp bị từ chối: 8 lỗi trong 12 dòng đã kiểm tra. Không có khen thưởng nào được nhập. Hãy sửa các dòng trong bảng dưới đây rồi nhập lại cả tệp.',
    ]);
    await reviewer.getByRole('table', { name: 'Các dòng bị từ chối (8 lỗi)' }).waitFor();
    const errorRows = await cells(reviewer, '#import-errors-table');
    expect(errorRows).toEqual(
      (refused.body.errors as { row: number; column: string | null; header: string | null; field: string; message: string }[]).map((e) => [
        String(e.row),
        e.column ? (e.header ? `${e.column} (${e.header})` : e.column) : 'Thiếu cột',
        FIELD_LABEL[e.field],
        e.message,
      ]),
    );
    expect(errorRows.map((r) => Number(r[0]))).toEqual(REGISTRY_WORKBOOK_BAD_ROWS.map(([row]) => row));
    expect(errorRows[0]).toEqual(['9', 'E (Năm)', 'Năm', expect.stringMatching(/^năm "2099" không hợp lệ \(1945–\d{4}\)$/)]);
    expect(errorRows[3]).toEqual(['13', 'B (Mã đơn vị)', 'Đơn vị', 'không có đơn vị mã "STP-XYZ"']);
    // Nothing was imported.
    expect((await registry()).total).toBe(before);
    await expectGlyphs(reviewer);
    await snap(reviewer, 'registry-import-refused');

    // The corrected file: imported whole, with its counts; the table of errors is gone.
    await fileInput.setInputFiles({ name: FILE, mimeType: XLSX, buffer: await registryWorkbook({ corrected: true }) });
    await submit(reviewer, 'Nhập khen thưởng từ tệp', 'Nhập tệp');
    await expectFlash(reviewer, `Đã nhập 12 khen thưởng từ tệp ${FILE}.`);
    const report = await reviewer.locator('#import-report').innerText();
    expect(report).toContain(`Kết quả nhập tệp ${FILE}`);
    expect(report).toMatch(/Số khen thưởng đã nhập\s+12\s+Số dòng đã kiểm tra\s+12\s+Số dòng trống bỏ qua\s+2\s+Số dòng đã đọc \(kể cả dòng trống\)\s+14\s+Dòng tiêu đề\s+4\s+Mã đợt nhập\s+import-/);
    expect(await reviewer.locator('#import-errors-table').count()).toBe(0);
    expect((await registry()).total).toBe(before + 12);
    await snap(reviewer, 'registry-imported');

    // By decision number (case and spaces ignored) and year.
    await reviewer.getByLabel('Số quyết định', { exact: true }).fill('187/qđ-ttg');
    await reviewer.getByLabel('Năm khen thưởng').fill('2020');
    await search(reviewer, /#\/registry\?year=2020&decisionNumber=187%2Fq%C4%91-ttg$/);
    await reviewer.getByRole('table', { name: 'Kết quả: 2 khen thưởng' }).waitFor();
    const gov = (unit: string) => [unit, 'Cờ thi đua của Chính phủ', '2020', '187/QĐ-TTg', '03/02/2021', 'Thủ tướng Chính phủ', 'Nhập từ tệp', 'Còn hiệu lực', expect.stringMatching(revokeButton)];
    expect(await cells(reviewer, '#registry-results')).toEqual([gov('Sở Tư pháp TP Hải Phòng (STP-HP)'), gov('Cục Thi hành án dân sự TP Hà Nội (THADS-HN)')]);

    // By unit and title: the unit's imported Ministry flags and the one decided in tdkt-flow this test.
    await reviewer.getByLabel('Đơn vị', { exact: true }).selectOption('STP-HN');
    await reviewer.getByLabel('Danh hiệu, hình thức khen thưởng').selectOption('MINISTRY_FLAG');
    await reviewer.getByLabel('Số quyết định', { exact: true }).fill('');
    await reviewer.getByLabel('Năm khen thưởng').fill('');
    await search(reviewer, /#\/registry\?unitCode=STP-HN&title=MINISTRY_FLAG$/);
    const flags = await registry('?unitCode=STP-HN&title=MINISTRY_FLAG');
    expect(flags.items.map((a) => [a.year, a.source])).toEqual([[YEAR, 'TDKT_FLOW'], [2022, 'IMPORT'], [2019, 'IMPORT'], [2018, 'IMPORT']]);
    const flagRows = await cells(reviewer, '#registry-results');
    expect(flagRows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(flags.items.map((a) => ['Sở Tư pháp TP Hà Nội (STP-HN)', 'Cờ thi đua ngành Tư pháp', String(a.year), a.decisionNumber]));
    // Decided in tdkt-flow: its nomination, and no revocation here (it goes through the nomination).
    expect(flagRows[0].slice(6)).toEqual([`Xét trên hệ thống\n${HN}`, 'Còn hiệu lực', '—']);
    expect(await reviewer.locator('#registry-results tbody tr').first().getByRole('link', { name: HN }).count()).toBe(1);

    // A renamed unit: today's name, and the name it was awarded under; by its former code too.
    await reviewer.getByLabel('Đơn vị', { exact: true }).selectOption(NEW.code);
    await reviewer.getByLabel('Danh hiệu, hình thức khen thưởng').selectOption({ label: 'Tất cả' });
    await search(reviewer, /#\/registry\?unitCode=STP-WEB$/);
    const renamedRow = [RENAMED_UNIT, 'Tập thể lao động xuất sắc', '2023', '88/QĐ-BTP', '15/01/2024', 'Bộ trưởng Bộ Tư pháp', 'Nhập từ tệp', 'Còn hiệu lực', `Thu hồi\n— ${RENAMED_AWARD}`];
    expect(await cells(reviewer, '#registry-results')).toEqual([renamedRow]);
    await reviewer.getByLabel('Đơn vị', { exact: true }).selectOption(OLD.code);
    await search(reviewer, /#\/registry\?unitCode=STP-WEB-CU$/);
    expect(await cells(reviewer, '#registry-results')).toEqual([renamedRow]);
    await snap(reviewer, 'registry-renamed-unit');

    // A year out of range: the API's 400 next to the form, the field marked.
    await reviewer.getByLabel('Năm khen thưởng').fill('1800');
    await submit(reviewer, 'Tra cứu khen thưởng', 'Tìm kiếm');
    const searchAlert = reviewer.getByRole('form', { name: 'Tra cứu khen thưởng' }).getByRole('alert');
    await searchAlert.waitFor();
    expect(await searchAlert.innerText()).toContain('year must not be less than 1945');
    expect(await reviewer.getByLabel('Năm khen thưởng').getAttribute('aria-invalid')).toBe('true');
    await done(reviewer);
  });

  scenario('revokes an imported award from the keyboard, with a reason and a confirmation step; it stays listed, marked revoked with the reason', async () => {
    const reviewer = await as('vutdkt');
    await go(reviewer, `#/registry?unitCode=${NEW.code}`);
    const row = reviewer.locator('#registry-results tbody tr').first();
    await row.getByRole('button', { name: `Thu hồi — ${RENAMED_AWARD}` }).click();
    const formName = `Thu hồi khen thưởng: ${RENAMED_AWARD}`;
    const revoke = reviewer.getByRole('form', { name: formName });
    await revoke.waitFor();
    // The search, the import and the three fields of the revocation.
    expect(await expectLabelled(reviewer)).toBe(8);
    // The reason takes the focus; Tab goes on to the decision's number.
    expect(await reviewer.locator('textarea[name="reason"]:focus').count()).toBe(1);
    await reviewer.keyboard.type(REASON);
    await reviewer.keyboard.press('Tab');
    expect(await reviewer.locator('input[name="decisionNumber"]:focus').count()).toBe(1);
    await reviewer.keyboard.type('15/QĐ-BTP');
    // A date before the award's own decision: the API's 400 names the field.
    await revoke.getByLabel('Ngày quyết định thu hồi').fill('2023-12-01');
    const confirmStep = async () => {
      await revoke.getByRole('button', { name: 'Thu hồi khen thưởng', exact: true }).focus();
      await reviewer.keyboard.press('Enter');
      await revoke.getByText(`Thu hồi ${RENAMED_AWARD}? Việc thu hồi không thể hoàn tác.`).waitFor();
      expect(await focused(reviewer)).toMatchObject({ tag: 'button', name: 'Xác nhận', ring: true, onScreen: true });
      await reviewer.keyboard.press('Enter');
    };
    await confirmStep();
    const alert = revoke.getByRole('alert').first();
    await alert.getByText('400 Bad Request', { exact: false }).waitFor();
    expect(await alert.innerText()).toContain("decisionDate 2023-12-01 is before the award's decision of 2024-01-15");
    expect(await revoke.getByLabel('Ngày quyết định thu hồi').getAttribute('aria-invalid')).toBe('true');
    expect((await registry(`?unitCode=${NEW.code}`)).items[0].revoked).toBeNull();
    await snap(reviewer, 'registry-revoke-error');

    await revoke.getByLabel('Ngày quyết định thu hồi').fill('2026-03-10');
    await confirmStep();
    await expectFlash(reviewer, `Đã thu hồi ${RENAMED_AWARD}.`);
    const [award] = (await registry(`?unitCode=${NEW.code}`)).items;
    expect(award.revoked).toMatchObject({ reason: `${REASON} (15/QĐ-BTP)`, by: 'vutdkt', decisionNumber: '15/QĐ-BTP', decisionDate: '2026-03-10' });
    // Still listed, marked revoked with its reason and decision; nothing left to revoke.
    expect(await cells(reviewer, '#registry-results')).toEqual([
      [
        RENAMED_UNIT,
        'Tập thể lao động xuất sắc',
        '2023',
        '88/QĐ-BTP',
        '15/01/2024',
        'Bộ trưởng Bộ Tư pháp',
        'Nhập từ tệp',
        `Đã thu hồi\nLý do: ${REASON} (15/QĐ-BTP)\nQuyết định thu hồi số 15/QĐ-BTP, ngày 10/03/2026\nNgười thu hồi: vutdkt, lúc ${vnDateTime(award.revoked!.at)}`,
        '—',
      ],
    ]);
    expect(await reviewer.locator('#registry-results tbody tr.revoked').count()).toBe(1);
    expect(await reviewer.getByRole('form', { name: formName }).count()).toBe(0);
    await expectGlyphs(reviewer);
    await snap(reviewer, 'registry-revoked');
    // The API agrees: a second revocation is a 409.
    expect((await stack.post('vutdkt', `/api/v1/registry/awards/${award.id}/revocation`, { reason: REASON, decisionNumber: '16/QĐ-BTP', decisionDate: '2026-03-11' })).status).toBe(409);
    await done(reviewer);
  });

  scenario('shows the auditor the revocation under the subject type AWARD in both languages and the registry read-only; a unit officer opens it on the own unit', async () => {
    const [award] = (await registry(`?unitCode=${NEW.code}`)).items;
    const auditor = await as('kiemtra');
    await auditor.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Hồ sơ thành tích' }).click();
    await auditor.getByRole('heading', { level: 1, name: 'Hồ sơ thành tích' }).waitFor();
    await auditor.locator('main .loading').waitFor({ state: 'detached' });
    // Read only: the lookup, no import, no revocation.
    expect(await expectLabelled(auditor)).toBe(4);
    expect(await auditor.getByRole('form', { name: 'Nhập khen thưởng từ tệp' }).count()).toBe(0);
    expect(await auditor.locator('#registry-results thead th').allInnerTexts()).toEqual(['Đơn vị', 'Danh hiệu, hình thức khen thưởng', 'Năm', 'Số quyết định', 'Ngày quyết định', 'Cơ quan ban hành', 'Nguồn', 'Tình trạng']);
    expect(await auditor.locator('#registry-results').getByRole('button').count()).toBe(0);

    await go(auditor, '#/audit');
    await auditor.getByLabel('Loại đối tượng').selectOption('AWARD');
    expect(await auditor.getByLabel('Loại đối tượng').locator('option:checked').innerText()).toBe('Khen thưởng (hồ sơ thành tích)');
    await submit(auditor, 'Tra cứu và kết xuất', 'Tìm kiếm');
    await auditor.waitForURL(/#\/audit\?subjectType=AWARD$/);
    await auditor.locator('#audit-results').waitFor();
    const events = (await stack.get('kiemtra', '/api/v1/audit/events?subjectType=AWARD')).body;
    expect(events.items.map((e: { action: string; subjectId: string }) => [e.action, e.subjectId])).toEqual([['AWARD_REVOKED', String(award.id)]]);
    const rows = await cells(auditor, '#audit-results');
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(2)).toEqual(['vutdkt (Chuyên viên Vụ TĐKT)', 'Thu hồi khen thưởng', 'Khen thưởng (hồ sơ thành tích)', String(award.id), '—', REASON]);
    await snap(auditor, 'audit-award-revoked');

    await auditor.getByRole('button', { name: 'English' }).click();
    await auditor.getByRole('heading', { level: 1, name: 'Audit of decisions' }).waitFor();
    expect((await cells(auditor, '#audit-results'))[0].slice(3, 5)).toEqual(['Award revoked', 'Award (award registry)']);
    await go(auditor, `#/registry?unitCode=${NEW.code}`);
    await auditor.getByRole('heading', { level: 1, name: 'Award registry' }).waitFor();
    const english = (await cells(auditor, '#registry-results'))[0];
    expect(english.slice(0, 2)).toEqual([`${NEW.name} (${NEW.code})\nAwarded as: ${OLD.name} (${OLD.code})`, 'Excellent labour collective']);
    expect(english[6]).toBe('Imported from a file');
    expect(english[7]).toMatch(new RegExp(`^Revoked\\nReason: ${REASON} \\(15/QĐ-BTP\\)\\nRevoked by decision 15/QĐ-BTP of 10/03/2026\\nRevoked by vutdkt at `));
    await snap(auditor, 'registry-en');
    await auditor.getByRole('button', { name: 'Tiếng Việt' }).click();
    await auditor.getByRole('heading', { level: 1, name: 'Hồ sơ thành tích' }).waitFor();
    await done(auditor);

    // A unit officer: the registry opens on the unit's own awards (any other unit can be looked up).
    const officer = await as('canbo.stp-hn');
    await officer.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Hồ sơ thành tích' }).click();
    await officer.getByRole('heading', { level: 1, name: 'Hồ sơ thành tích' }).waitFor();
    await officer.locator('main .loading').waitFor({ state: 'detached' });
    expect(await officer.getByLabel('Đơn vị', { exact: true }).inputValue()).toBe('STP-HN');
    expect(await expectLabelled(officer)).toBe(4);
    const own = await registry('?unitCode=STP-HN');
    await officer.getByRole('table', { name: `Kết quả: ${own.total} khen thưởng` }).waitFor();
    const ownRows = await cells(officer, '#registry-results');
    expect(ownRows.map((r) => [r[2], r[3]])).toEqual(own.items.map((a) => [String(a.year), a.decisionNumber]));
    expect(ownRows.every((r) => r[0] === 'Sở Tư pháp TP Hà Nội (STP-HN)' && r.length === 8)).toBe(true);
    expect(ownRows).toContainEqual(['Sở Tư pháp TP Hà Nội (STP-HN)', 'Cờ thi đua của Chính phủ', String(YEAR), '123/QĐ-TTg', `20/03/${YEAR + 1}`, 'Thủ tướng Chính phủ', `Xét trên hệ thống\n${HN}`, 'Còn hiệu lực']);
    expect(await officer.getByRole('form', { name: 'Nhập khen thưởng từ tệp' }).count()).toBe(0);
    await expectGlyphs(officer);
    await snap(officer, 'registry-unit-officer');
    await done(officer);
  });
});

describe('clear messages for the errors the API returns', () => {
  scenario('a page of another cluster (403), a nomination that does not exist (404), a server fault while loading (500, in both languages)', async () => {
    const officer = await as('canbo.stp-hcm');
    const forbidden = await stack.get('canbo.stp-hcm', `/api/v1/campaigns/${encodeURIComponent(LATE_CAMPAIGN)}`);
    expect(forbidden.status).toBe(403);
    await go(officer, `#/campaigns/${LATE_CAMPAIGN}`);
    const alert = officer.locator('main').getByRole('alert');
    await alert.waitFor();
    expect(await alertLines(alert)).toEqual([
      'Bạn không có quyền xem hoặc thực hiện việc này (403 Forbidden)',
      'Tài khoản của bạn không có quyền với nội dung này. Nếu bạn cần quyền này, hãy liên hệ quản trị hệ thống.',
      forbidden.body.message,
    ]);
    await snap(officer, 'error-403');

    const missing = `${CAMPAIGN}:STP-CT`;
    const notFound = await stack.get('canbo.stp-hcm', `/api/v1/nominations/${encodeURIComponent(missing)}`);
    expect(notFound.status).toBe(404);
    await go(officer, `#/nominations/${missing}`);
    await alert.getByText('404 Not Found', { exact: false }).waitFor();
    expect(await alertLines(alert)).toEqual([
      'Không tìm thấy (404 Not Found)',
      'Nội dung này không có hoặc không còn nữa: hãy kiểm tra lại mã hồ sơ hoặc đường dẫn.',
      notFound.body.message,
    ]);
    await snap(officer, 'error-404');

    // The task list fails on the server (simulated: the real answer is fetched, its status turned
    // into a 500): the request id shown is the one the API gave that answer.
    let requestId = '';
    await officer.route('**/api/v1/me/tasks*', async (route) => {
      try {
        const real = await route.fetch();
        requestId = real.headers()['x-request-id'];
        await route.fulfill({ status: 500, headers: { 'x-request-id': requestId }, contentType: 'application/json', body: JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' }) });
      } catch {
        // the page went away while the answer was on its way
      }
    });
    await go(officer, '#/');
    await alert.getByText('500 Internal Server Error', { exact: false }).waitFor();
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await alertLines(alert)).toEqual([
      'Lỗi máy chủ: hệ thống gặp sự cố ngoài ý muốn (500 Internal Server Error)',
      'Đây là lỗi ở phía máy chủ, không phải do thông tin bạn nhập.',
      'Không có dữ liệu nào bị thay đổi.',
      'Vui lòng thử lại sau ít phút. Nếu lỗi vẫn lặp lại, hãy liên hệ quản trị hệ thống.',
      'Internal server error',
      `Mã yêu cầu (gửi kèm khi báo quản trị hệ thống): ${requestId}`,
    ]);
    await expectGlyphs(officer);
    await snap(officer, 'error-500');
    await officer.getByRole('button', { name: 'English' }).click();
    await alert.getByText('Server error: the system hit an unexpected problem', { exact: false }).waitFor();
    expect(await alertLines(alert)).toEqual([
      'Server error: the system hit an unexpected problem (500 Internal Server Error)',
      'This is a fault on the server, not in what you entered.',
      'Nothing was changed.',
      'Please try again in a few minutes. If the error persists, contact the system administrator.',
      'Internal server error',
      `Request id (give it to the system administrator): ${requestId}`,
    ]);
    await snap(officer, 'error-500-en');
    await officer.getByRole('button', { name: 'Tiếng Việt' }).click();
    await alert.getByText('Lỗi máy chủ: hệ thống gặp sự cố ngoài ý muốn', { exact: false }).waitFor();
    await officer.unrouteAll({ behavior: 'wait' });
    await done(officer);
  });

  scenario('too many logins (429): how many seconds to wait, from Retry-After, in both languages', async () => {
    // A second API over the same stack with LOGIN_RATE_LIMIT=2 (the first has the limit off).
    const limited = await serveSecondApi(stack, { LOGIN_RATE_LIMIT: '2', LOGIN_RATE_WINDOW_SECONDS: '120' });
    try {
      const page = await newPage();
      const form = page.getByRole('form', { name: 'Thông tin đăng nhập' });
      const alert = form.getByRole('alert');
      for (let attempt = 1; attempt <= 2; attempt++) {
        await login(page, 'canbo.stp-sl', 'sai-mat-khau', limited.base);
        await alert.getByText('401 Unauthorized', { exact: false }).waitFor();
      }
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await login(page, 'canbo.stp-sl', 'sai-mat-khau', limited.base);
      const res = await refused;
      expect(res.status()).toBe(429);
      const wait = Number(res.headers()['retry-after']);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(120);
      await alert.getByText('429 Too Many Requests', { exact: false }).waitFor();
      const lines = await alertLines(alert);
      expect(lines.slice(0, 2)).toEqual(['Quá nhiều lần thử (429 Too Many Requests)', `Vui lòng đợi ${wait} giây rồi thử lại.`]);
      expect(lines[2]).toContain('too many login attempts for this username from this address');
      await expectGlyphs(page);
      await snap(page, 'login-429');
      // The right password does not get through either until the wait is over.
      await page.getByRole('button', { name: 'English' }).click();
      const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.getByLabel('Username').fill('canbo.stp-sl');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByLabel('Password').press('Enter');
      const second = await again;
      expect(second.status()).toBe(429);
      const englishAlert = page.getByRole('form', { name: 'Your credentials' }).getByRole('alert');
      await englishAlert.getByText('429 Too Many Requests', { exact: false }).waitFor();
      const seconds = Number(second.headers()['retry-after']);
      expect((await alertLines(englishAlert)).slice(0, 2)).toEqual(['Too many attempts (429 Too Many Requests)', `Please wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'} and try again.`]);
      await snap(page, 'login-429-en');
      await done(page);
    } finally {
      await limited.stop();
    }
  });
});

describe('all along', () => {
  scenario('saw no script error and no Content-Security-Policy violation in any page', () => {
    expect(problems).toEqual([]);
  });
});
