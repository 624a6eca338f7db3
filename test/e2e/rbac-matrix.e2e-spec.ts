/**
 * Who may call what, checked over HTTP for every route of the running API and every role.
 *
 * The expectation table below is written from API.md (/work/shared/API.md) and is the single list
 * of rules: the test fails when the app has a route the table does not name (a new endpoint
 * without a rule) or the table names a route the app does not have. Then, for every route and
 * every role (one seeded user each), a syntactically valid request against a real campaign
 * (2035, cluster KV-TP-TW) must give:
 *   - a role outside the rule: 403 from the role check, never 2xx, never 500;
 *   - a role inside the rule: never the role check's 403, never 401, never 5xx (400/404/409 from
 *     the data are fine);
 *   - no token: 401 (public routes excepted).
 * Finally, users of another unit get 403 or 404 on unit-scoped data and actions.
 */
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Role } from '@tdkt/domain';
import { buildOpenApi } from '../../apps/api/src/app';
import { ADMIN, DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

jest.setTimeout(120_000);

const YEAR = 2035;
const CLUSTER = 'KV-TP-TW';
const CAMPAIGN = `${YEAR}:${CLUSTER}`;
const NOMINATION = `${CAMPAIGN}:STP-HN`;
const MEMBERS = ['STP-HN', 'STP-HCM', 'STP-HP'];
const SESSION = `${YEAR}-99`;

type Rule = 'public' | 'any' | Role[];

/** METHOD path → who passes the role check. `any`: every signed-in user (scope checked by the data). */
const RULES: Record<string, Rule> = {
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/health': 'public',
  'GET /api/v1/health/ready': 'public',
  'GET /api/v1/metrics': 'public',
  'GET /api/v1/me': 'any',
  'GET /api/v1/me/tasks': 'any',
  'POST /api/v1/me/tasks/claim': 'any',
  'POST /api/v1/me/tasks/assign': 'any',
  'POST /api/v1/me/tasks/handover': 'any',
  'POST /api/v1/me/tasks/release': 'any',
  'POST /api/v1/me/tasks/plan': 'any',
  'GET /api/v1/me/notifications': 'any',
  'GET /api/v1/registry': 'any',
  'POST /api/v1/registry/imports': ['ADMIN', 'DEPARTMENT_REVIEWER'],
  'POST /api/v1/registry/awards/:id/revocation': ['ADMIN', 'DEPARTMENT_REVIEWER'],
  'POST /api/v1/units/:code/succession': ['ADMIN'],
  'POST /api/v1/me/notifications/:id/read': 'any',
  'GET /api/v1/campaigns/overview': ['ADMIN', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'COUNCIL_CHAIR'],
  'GET /api/v1/units': 'any',
  'POST /api/v1/units': ['ADMIN'],
  'GET /api/v1/users': ['ADMIN', 'AUDITOR'],
  'POST /api/v1/users': ['ADMIN'],
  'POST /api/v1/campaigns': ['ADMIN', 'DEPARTMENT_REVIEWER'],
  'GET /api/v1/campaigns': 'any',
  'GET /api/v1/campaigns/:id': 'any',
  'POST /api/v1/campaigns/:id/registrations': ['UNIT_OFFICER'],
  'POST /api/v1/campaigns/:id/vote/open': ['CLUSTER_HEAD'],
  'POST /api/v1/campaigns/:id/covenant': ['UNIT_OFFICER', 'UNIT_LEADER'],
  'POST /api/v1/campaigns/:id/leadership': ['CLUSTER_HEAD'],
  'POST /api/v1/campaigns/:id/vote/ballots': ['UNIT_LEADER'],
  'POST /api/v1/campaigns/:id/vote/close': ['CLUSTER_HEAD'],
  'GET /api/v1/campaigns/:id/vote': 'any',
  'GET /api/v1/campaigns/:id/vote/receipts/:receipt': 'any',
  'GET /api/v1/campaigns/:id/vote/ballot-box': 'any',
  'GET /api/v1/rule-sets': 'any',
  'GET /api/v1/rule-sets/:id': 'any',
  'GET /api/v1/nominations': 'any',
  'GET /api/v1/nominations/:id': 'any',
  'GET /api/v1/nominations/:id/history': 'any',
  'POST /api/v1/nominations/:id/comments': ['DEPARTMENT_REVIEWER', 'COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'CLUSTER_HEAD', 'UNIT_LEADER', 'UNIT_OFFICER', 'ADMIN'],
  'GET /api/v1/nominations/:id/comments': 'any',
  'POST /api/v1/nominations/:id/attachments': ['DEPARTMENT_REVIEWER', 'UNIT_OFFICER', 'UNIT_LEADER'],
  'GET /api/v1/nominations/:id/attachments': 'any',
  'GET /api/v1/nominations/:id/attachments/:attachmentId': 'any',
  'POST /api/v1/nominations/:id/self-assessment': ['UNIT_OFFICER'],
  'POST /api/v1/nominations/:id/review': ['DEPARTMENT_REVIEWER'],
  'POST /api/v1/nominations/:id/amendment': ['UNIT_OFFICER'],
  'POST /api/v1/nominations/:id/withdrawal': ['UNIT_OFFICER'],
  'POST /api/v1/nominations/:id/consultation': ['DEPARTMENT_REVIEWER'],
  'POST /api/v1/nominations/:id/revocations': ['DEPARTMENT_REVIEWER'],
  'POST /api/v1/nominations/:id/government-decision': ['DEPARTMENT_REVIEWER'],
  'GET /api/v1/government-submissions/quota': ['DEPARTMENT_REVIEWER', 'COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'AUDITOR', 'ADMIN'],
  'POST /api/v1/government-submissions': ['DEPARTMENT_REVIEWER'],
  'POST /api/v1/council-sessions': ['COUNCIL_CHAIR'],
  'GET /api/v1/council-sessions': ['COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN'],
  'GET /api/v1/council-sessions/:id': ['COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN'],
  'GET /api/v1/council-sessions/:id/minutes': ['COUNCIL_CHAIR', 'COUNCIL_MEMBER', 'DEPARTMENT_REVIEWER', 'AUDITOR', 'ADMIN'],
  'POST /api/v1/council-sessions/:id/votes': ['COUNCIL_MEMBER', 'COUNCIL_CHAIR'],
  'POST /api/v1/council-sessions/:id/conflicts': ['COUNCIL_MEMBER', 'COUNCIL_CHAIR'],
  'POST /api/v1/council-sessions/:id/close': ['COUNCIL_CHAIR'],
  'GET /api/v1/audit/verify': ['AUDITOR', 'ADMIN'],
  'GET /api/v1/audit/events': ['AUDITOR', 'ADMIN'],
  'GET /api/v1/audit/events/export': ['AUDITOR', 'ADMIN'],
};

/** One seeded user per role, all of unit STP-HN where a unit applies (in scope of the campaign). */
const USERS: Record<Role, string> = {
  ADMIN: ADMIN.username,
  UNIT_OFFICER: 'canbo.stp-hn',
  UNIT_LEADER: 'thutruong.stp-hn',
  CLUSTER_HEAD: 'cumtruong.stp-hn',
  DEPARTMENT_REVIEWER: 'vutdkt',
  COUNCIL_MEMBER: 'hoidong1',
  COUNCIL_CHAIR: 'chutich',
  AUDITOR: 'kiemtra',
};

/** Valid bodies: harmless, or refused by the data (409/404) rather than by validation. */
const BODIES: Record<string, (username: string) => object> = {
  'POST /api/v1/auth/login': (username) => ({ username, password: username === ADMIN.username ? ADMIN.password : DEMO_PASSWORD }),
  'POST /api/v1/units': () => ({ code: 'STP-HN', name: 'Sở Tư pháp TP Hà Nội', kind: 'SO_TU_PHAP' }),
  'POST /api/v1/users': () => ({ username: 'kiemtra', password: 'Password@123', fullName: 'Trùng tên đăng nhập', roles: ['AUDITOR'] }),
  'POST /api/v1/campaigns': () => campaignBody(),
  'POST /api/v1/campaigns/:id/registrations': () => ({ unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] }),
  'POST /api/v1/campaigns/:id/vote/open': () => ({ ministryFlagSeats: 1, governmentFlagSeats: 1 }),
  'POST /api/v1/campaigns/:id/covenant': () => ({ unitCode: 'STP-HN' }),
  'POST /api/v1/campaigns/:id/leadership': () => ({ headUnitCode: 'STP-HCM', deputyUnitCode: 'STP-HP' }),
  'POST /api/v1/campaigns/:id/vote/ballots': () => ({ unitCode: 'STP-HN', ministryFlag: ['STP-HN'], governmentFlag: [] }),
  'POST /api/v1/nominations/:id/self-assessment': () => ({ score: 90, achievementReport: 'Báo cáo thành tích' }),
  'POST /api/v1/nominations/:id/review': () => ({ decision: 'APPROVE', reason: 'Hồ sơ đầy đủ' }),
  'POST /api/v1/nominations/:id/amendment': () => ({ achievementReport: 'Báo cáo bổ sung', note: 'Bổ sung biên bản' }),
  'POST /api/v1/nominations/:id/withdrawal': () => ({ reason: 'Đơn vị xin rút hồ sơ' }),
  'POST /api/v1/nominations/:id/consultation': () => ({ opinion: 'AGREE', reference: '1/UBND-NC' }),
  'POST /api/v1/registry/awards/:id/revocation': () => ({ reason: 'Kê khai không trung thực', decisionNumber: '2/QĐ-BTP', decisionDate: '2036-05-10' }),
  'POST /api/v1/nominations/:id/revocations': () => ({ title: 'MINISTRY_FLAG', reason: 'Kê khai không trung thực', decisionNumber: '1/QĐ-BTP', decisionDate: '2036-05-10' }),
  'POST /api/v1/nominations/:id/government-decision': () => ({ decision: 'AWARDED', decisionNumber: '1/QĐ-TTg', decisionDate: '2036-03-20' }),
  'POST /api/v1/government-submissions': () => ({ year: YEAR, nominationIds: [NOMINATION] }),
  'POST /api/v1/council-sessions': () => ({ year: YEAR, nominationIds: [NOMINATION] }),
  'POST /api/v1/council-sessions/:id/votes': () => ({ nominationId: NOMINATION, title: 'MINISTRY_FLAG', approve: true }),
  'POST /api/v1/council-sessions/:id/conflicts': () => ({ nominationId: NOMINATION, reason: 'Nguyên là thủ trưởng đơn vị được đề nghị' }),
  'POST /api/v1/council-sessions/:id/close': () => ({ membersPresent: 9 }),
};

/** Query strings some routes need. */
const QUERIES: Record<string, string> = {
  'GET /api/v1/government-submissions/quota': `?year=${YEAR}`,
  'GET /api/v1/nominations': `?year=${YEAR}`,
  'GET /api/v1/campaigns/overview': `?year=${YEAR}`,
  'GET /api/v1/council-sessions': `?year=${YEAR}`,
  'GET /api/v1/audit/events/export': '?format=csv&action=NOMINATION_CREATED',
};

function campaignBody() {
  return {
    clusterCode: CLUSTER,
    clusterName: 'Khu vực thi đua các thành phố trực thuộc Trung ương',
    year: YEAR,
    memberUnitCodes: MEMBERS,
    headUnitCode: 'STP-HN',
    registrationDeadline: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
  };
}

/** The concrete URL of a route: ids of the test's campaign, nomination, a council session that does not exist. */
function url(route: string): string {
  const [method, pattern] = route.split(' ');
  const base = pattern.startsWith('/api/v1/campaigns')
    ? pattern.replace(':id', encodeURIComponent(CAMPAIGN)).replace(':receipt', 'no-such-receipt')
    : pattern.startsWith('/api/v1/nominations')
      ? pattern.replace(':id', encodeURIComponent(NOMINATION))
      : pattern.replace(':id', SESSION);
  return `${base}${QUERIES[`${method} ${pattern}`] ?? ''}`;
}

/** Every route of the running app, read from Nest's own controller metadata. */
function routesOf(app: INestApplication): string[] {
  const scanner = new MetadataScanner();
  const join = (...parts: (string | undefined)[]) =>
    `/${parts
      .map((p) => (p ?? '').replace(/^\/+|\/+$/g, ''))
      .filter(Boolean)
      .join('/')}`;
  const routes = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const bases = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat();
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const base of bases) for (const path of [paths].flat()) routes.add(`${method} ${join('api/v1', base, path)}`);
      }
    }
  }
  return [...routes].sort();
}

let stack: Stack;
const rolesOf = new Map<string, Role[]>();

beforeAll(async () => {
  stack = await startStack();
  for (const username of Object.values(USERS)) {
    const res = await stack.http.post('/api/v1/auth/login').send(BODIES['POST /api/v1/auth/login'](username));
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    rolesOf.set(username, res.body.user.roles);
  }
  const started = await stack.http.post('/api/v1/campaigns').set('Authorization', `Bearer ${await stack.token(ADMIN.username)}`).send(campaignBody());
  if (started.status !== 201) throw new Error(`campaign: ${started.status} ${JSON.stringify(started.body)}`);
});
afterAll(async () => {
  await stack?.stop();
});

async function call(route: string, username?: string) {
  const [method] = route.split(' ');
  const path = url(route);
  let req = method === 'GET' ? stack.http.get(path) : method === 'POST' ? stack.http.post(path) : stack.http.delete(path);
  if (username) req = req.set('Authorization', `Bearer ${await stack.token(username)}`);
  const body = BODIES[route];
  // Without a token, the login route signs in as the auditor (a public route must let anyone in).
  if (method !== 'GET') req = req.send(body ? body(username ?? USERS.AUDITOR) : {});
  const res = await req;
  return { status: res.status, message: JSON.stringify(res.body?.message ?? '') };
}

const ROLE_CHECK = /requires one of the roles/;

describe('RBAC matrix', () => {
  it('the table names every route of the app, and nothing else', () => {
    const routes = routesOf(stack.app);
    expect(routes.length).toBeGreaterThan(20);
    const unruled = routes.filter((r) => !(r in RULES));
    const gone = Object.keys(RULES).filter((r) => !routes.includes(r));
    expect({ routesWithoutARule: unruled, rulesWithoutARoute: gone }).toEqual({ routesWithoutARule: [], rulesWithoutARoute: [] });
  });

  it('the OpenAPI document describes every route', () => {
    const doc = buildOpenApi(stack.app);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(routesOf(stack.app).filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('every route answers every role as its rule says', async () => {
    const problems: string[] = [];
    for (const route of Object.keys(RULES)) {
      const rule = RULES[route];
      for (const [role, username] of Object.entries(USERS) as [Role, string][]) {
        const allowed = rule === 'public' || rule === 'any' || rolesOf.get(username)!.some((r) => rule.includes(r));
        const { status, message } = await call(route, username);
        const where = `${route} as ${role} (${username}): ${status} ${message}`;
        if (status >= 500) problems.push(`server error: ${where}`);
        else if (allowed && (status === 401 || (status === 403 && ROLE_CHECK.test(message)))) problems.push(`refused by the role check but allowed by the table: ${where}`);
        else if (!allowed && !(status === 403 && ROLE_CHECK.test(message))) problems.push(`expected the role check's 403: ${where}`);
      }
      if (rule !== 'public') {
        const { status, message } = await call(route);
        if (status !== 401) problems.push(`without a token expected 401: ${route}: ${status} ${message}`);
      } else {
        const { status, message } = await call(route);
        if (status === 401 || status === 403 || status >= 500) problems.push(`public route refused without a token: ${route}: ${status} ${message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("users of another unit get 403 or 404 on a unit's data and actions", async () => {
    const cases: [string, string, string, object?][] = [
      // A unit outside the campaign.
      ['canbo.thads-hn', 'GET', `/api/v1/campaigns/${CAMPAIGN}`],
      ['canbo.thads-hn', 'GET', `/api/v1/campaigns/${CAMPAIGN}/vote`],
      ['canbo.thads-hn', 'GET', `/api/v1/campaigns/${CAMPAIGN}/vote/ballot-box`],
      ['canbo.thads-hn', 'POST', `/api/v1/campaigns/${CAMPAIGN}/registrations`, { unitCode: 'THADS-HN', targetTitles: ['MINISTRY_FLAG'] }],
      ['thutruong.thads-hn', 'POST', `/api/v1/campaigns/${CAMPAIGN}/vote/ballots`, { unitCode: 'THADS-HN', ministryFlag: ['STP-HN'], governmentFlag: [] }],
      ['canbo.thads-hn', 'GET', `/api/v1/nominations/${NOMINATION}`],
      ['canbo.thads-hn', 'GET', `/api/v1/nominations/${NOMINATION}/history`],
      // Another member unit of the same campaign.
      ['canbo.stp-hcm', 'GET', `/api/v1/nominations/${NOMINATION}`],
      ['thutruong.stp-hcm', 'GET', `/api/v1/nominations/${NOMINATION}/history`],
      ['canbo.stp-hcm', 'POST', `/api/v1/campaigns/${CAMPAIGN}/registrations`, { unitCode: 'STP-HN', targetTitles: ['MINISTRY_FLAG'] }],
      ['thutruong.stp-hcm', 'POST', `/api/v1/campaigns/${CAMPAIGN}/vote/ballots`, { unitCode: 'STP-HN', ministryFlag: ['STP-HCM'], governmentFlag: [] }],
      ['cumtruong.stp-hcm', 'POST', `/api/v1/campaigns/${CAMPAIGN}/vote/open`, { ministryFlagSeats: 1, governmentFlagSeats: 0 }],
      ['cumtruong.stp-hcm', 'POST', `/api/v1/campaigns/${CAMPAIGN}/vote/close`, {}],
      ['canbo.stp-hcm', 'POST', `/api/v1/nominations/${NOMINATION}/self-assessment`, { score: 90, achievementReport: 'Báo cáo' }],
      ['canbo.stp-hcm', 'POST', `/api/v1/nominations/${NOMINATION}/amendment`, { achievementReport: 'Báo cáo', note: 'Ghi chú' }],
      ['canbo.stp-hcm', 'POST', `/api/v1/nominations/${NOMINATION}/withdrawal`, { reason: 'Rút hộ đơn vị khác' }],
    ];
    const problems: string[] = [];
    for (const [username, method, path, body] of cases) {
      const req = method === 'GET' ? stack.http.get(path) : stack.http.post(path).send(body ?? {});
      const res = await req.set('Authorization', `Bearer ${await stack.token(username)}`);
      if (![403, 404].includes(res.status)) problems.push(`${method} ${path} as ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(problems).toEqual([]);
    // Lists are scoped too: another unit's officer never sees STP-HN's nomination.
    const list = await stack.http.get(`/api/v1/nominations?year=${YEAR}`).set('Authorization', `Bearer ${await stack.token('canbo.stp-hcm')}`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((n: { unitCode: string }) => n.unitCode)).toEqual(['STP-HCM']);
  });
});
