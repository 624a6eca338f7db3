/**
 * The officers' web app, in Debian's headless Chromium, against the real stack: a small cluster
 * (Sở Tư pháp TP Hà Nội, Sở Tư pháp TP Hồ Chí Minh) goes from registration to the Government's
 * decision with every action done in the browser, each role logging in in turn: registration,
 * covenant, self-assessment, the secret ballot, the head's vote and leadership, review with a
 * return and an amendment, the council sitting, the Government submission and decision, then the
 * auditor's timeline, chain verification, export and the year overview. Along the way it checks
 * Vietnamese text, labels of every form field, keyboard login, the API's error messages shown next
 * to the form, the Content-Security-Policy, and the language switch. Screenshots of each main page
 * go to test-artifacts/web/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';
import { buildWebApp, launchChromium, serveStack } from '../support/web';

jest.setTimeout(240_000);

const YEAR = 2031;
const CLUSTER = 'KV-WEB';
const CAMPAIGN = `${YEAR}:${CLUSTER}`;
const HN = `${CAMPAIGN}:STP-HN`;
const SHOTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'web');

let stack: Stack;
let browser: Browser;
let base: string;
let shot = 0;
/** Script errors and CSP violations seen in any page: there must be none. */
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const [s, b] = await Promise.all([startStack({ env: { LOGIN_RATE_LIMIT: '0' } }), launchChromium(), buildWebApp()]);
  stack = s;
  browser = b;
  base = await serveStack(stack);
  const res = await stack.post('admin', '/api/v1/campaigns', {
    clusterCode: CLUSTER,
    clusterName: 'Cụm thi đua thử nghiệm giao diện',
    year: YEAR,
    memberUnitCodes: ['STP-HN', 'STP-HCM'],
    headUnitCode: 'STP-HN',
    deputyUnitCode: 'STP-HCM',
    registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
  });
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function snap(page: Page, name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // A refused request (401, 400) is logged by the browser as "Failed to load resource": expected.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  return page;
}

async function login(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/#/login`);
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
    const name = (await label.innerText()).replace(/\s*\*$/, '').trim();
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

describe(`the web app drives cluster ${CLUSTER} ${YEAR} from registration to the Government decision`, () => {
  it('serves the app with a self-only CSP, in UTF-8 and Vietnamese; shows the 401 message; logs in with the keyboard', async () => {
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

  it('registers the second unit, and both file their self-assessment (a bad score shows the 400 field message)', async () => {
    const hcm = await as('canbo.stp-hcm');
    await go(hcm, `#/campaigns/${CAMPAIGN}`);
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
    expect(await expectLabelled(hn)).toBe(5);
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

  it('lets the cluster head open the secret ballot from the dashboard', async () => {
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

  it('takes each leader’s secret ballot with seats, rules, a confirmation step and a receipt', async () => {
    for (const unit of ['stp-hn', 'stp-hcm']) {
      const leader = await as(`thutruong.${unit}`);
      await clickTask(leader, 'Bỏ phiếu kín suy tôn');
      await leader.getByRole('heading', { level: 1, name: /Phiếu bầu kín/ }).waitFor();
      const rules = await text(leader);
      expect(rules).toContain('Cờ thi đua ngành Tư pháp: chọn tối đa 1 đơn vị.');
      expect(rules).toContain('Cờ thi đua của Chính phủ: chọn tối đa 1 đơn vị.');
      expect(await expectLabelled(leader)).toBeGreaterThanOrEqual(2);
      await leader.getByRole('group', { name: /Cờ thi đua ngành Tư pháp/ }).getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
      await leader.getByRole('group', { name: /Cờ thi đua của Chính phủ/ }).getByLabel('Sở Tư pháp TP Hà Nội (STP-HN)').check();
      if (unit === 'stp-hn') await snap(leader, 'ballot-choice');
      await submit(leader, 'Lựa chọn của đơn vị', 'Tiếp tục');
      const confirm = leader.getByRole('form', { name: 'Xác nhận phiếu bầu' });
      await confirm.waitFor();
      expect(await confirm.innerText()).toContain('Sở Tư pháp TP Hà Nội (STP-HN)');
      if (unit === 'stp-hn') await snap(leader, 'ballot-confirm');
      await submit(leader, 'Xác nhận phiếu bầu', 'Xác nhận bỏ phiếu');
      const receipt = leader.locator('#receipt');
      await receipt.waitFor();
      expect((await receipt.innerText()).length).toBeGreaterThan(16);
      if (unit === 'stp-hn') await snap(leader, 'ballot-receipt');
      // The receipt finds the ballot in the box.
      await submit(leader, 'Kiểm tra phiếu bằng mã biên nhận', 'Kiểm tra');
      await leader.getByText('Phiếu đã được đếm').waitFor();
      await done(leader);
    }
  });

  it('lets the head close the vote (after confirming), see the results and record next year’s leadership', async () => {
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

  it('runs the Department review: a return with its reason, the unit’s amendment, then approval', async () => {
    const reviewer = await as('vutdkt');
    await go(reviewer, '#/review');
    await until(reviewer, async () => (await reviewer.locator('#review-queue').innerText()).includes('Sở Tư pháp TP Hà Nội'), 'the review queue');
    await snap(reviewer, 'review-queue');
    await reviewer.locator('#review-queue').getByRole('link', { name: 'Sở Tư pháp TP Hà Nội (STP-HN)' }).click();
    const form = reviewer.getByRole('form', { name: 'Kết quả thẩm định' });
    await form.waitFor();
    expect(await expectLabelled(reviewer)).toBe(4);
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
    expect(await expectLabelled(officer)).toBe(2);
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

  it('holds the council sitting: opening, secret votes of five members, closing with six present, tally and minutes', async () => {
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

    const closing = await as('chutich');
    await clickTask(closing, 'Kết thúc phiên họp Hội đồng');
    await closing.getByRole('form', { name: 'Kết thúc phiên họp và kết luận' }).waitFor();
    await closing.getByLabel('Số thành viên có mặt').fill('6');
    await submit(closing, 'Kết thúc phiên họp và kết luận', 'Kết thúc phiên họp');
    await closing.getByRole('button', { name: 'Xác nhận' }).click();
    await expectFlash(closing, 'Đã kết thúc phiên họp.');
    const tally = await closing.locator('#council-tally').innerText();
    expect(tally).toContain('Thông qua');
    expect(tally).toMatch(/Cờ thi đua ngành Tư pháp\s+5\s+0\s+5\s+Thông qua/);
    const minutes = await closing.locator('#minutes').innerText();
    expect(minutes).toContain('BIÊN BẢN');
    expect(minutes).toContain('6/9 thành viên Hội đồng có mặt');
    expect(minutes).toContain('Sở Tư pháp TP Hà Nội');
    await snap(closing, 'council-closed-minutes');
    await done(closing);
  });

  it('submits the Government flag within the quota and records the decision', async () => {
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
    expect(await expectLabelled(reviewer)).toBe(3);
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

  it('shows the auditor the timeline, a sound chain, the search and its export, and the year overview; the language switch is remembered', async () => {
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
    expect(overview).toContain('2 hồ sơ trong 1 phong trào.');
    expect(await auditor.locator('main svg rect.bar').count()).toBeGreaterThan(5);
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

  it('saw no script error and no Content-Security-Policy violation in any page', () => {
    expect(problems).toEqual([]);
  });
});
