// Scenario 6: the reminder sweep (issue 7, item 4). `units` units with their registration
// outstanding (clusters of 10), one campaign each cluster; the time from the instant their
// reminders fall due to the last reminder recorded, and a check that each unit got exactly one.
//
// Setup (not timed): the units, and one UNIT_OFFICER with an e-mail address per unit (the
// reminder's recipient), written straight into Postgres with multi-row INSERTs (one password hash
// for all). The campaigns are started with the Temporal client from this process, exactly as the
// API starts them (workflow type, id, task queue, CampaignInput). Two models:
//
// timer (default), as in production: campaigns that have been running for a while, whose reminder
//   timers all fall due at the same instant T. The campaigns are started with the worker running,
//   with a reminder time (CampaignInput.reminderTime, "HH:MM" Vietnam time) of T = the next whole
//   minute at least --sweep-lead-seconds away, and a registration deadline 3 working days after
//   today, so the policy's first reminder falls due at T. The bench waits until every campaign has
//   recorded CAMPAIGN_STARTED and no audit event has been written for 10 s (their start-up and
//   their nominations' is over), then until T: T0 = T. Each campaign's timer fires and it reminds
//   its 10 units in one write: one REMINDER_SENT event per unit, with its inbox row and e-mail
//   outbox row. Needs a working day in Vietnam (otherwise the restart model runs instead).
// restart: the product's worker is stopped; the campaigns are started with a registration
//   deadline one minute in the past; the worker is started again: T0. Every campaign's first
//   workflow task runs after T0 and finds the deadline passed: it records CAMPAIGN_STARTED,
//   starts its 10 nominations, closes registration and sends the reminder due. The figure includes
//   the worker's start-up and the start-up of 11 workflows per campaign.
// The figure is max(recorded_at) of the sweep's REMINDER_SENT events − T0. Then the exactly-once
// check (the run fails if not).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { nowMs, pool, sleep, summarize } from './util.mjs';

const CLUSTER_SIZE = 10;
/** Rows per INSERT statement (arrays through unnest: 3–7 parameters per statement). */
const INSERT_BATCH = 5_000;

/**
 * Units with one UNIT_OFFICER each (the reminders' recipient, with an e-mail address), written
 * with multi-row INSERTs: the sweep's late units, and the reminder rounds of the audit scenario.
 * `query(sql, params)` is a pg client's or a TypeORM data source's.
 */
export async function insertLateUnits(query, codes, passwordHash) {
  for (let i = 0; i < codes.length; i += INSERT_BATCH) {
    const slice = codes.slice(i, i + INSERT_BATCH);
    await query(`INSERT INTO unit (code, name, kind) SELECT code, 'Đơn vị nhắc việc thử tải ' || code, 'OTHER' FROM unnest($1::text[]) AS code`, [slice]);
    await query(
      `INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email)
       SELECT 'officer.' || lower(code), $2, 'Cán bộ thi đua ' || code, ARRAY['UNIT_OFFICER'], code,
              'officer.' || lower(code) || '@bench.tdkt-flow.local'
         FROM unnest($1::text[]) AS code`,
      [slice, passwordHash],
    );
  }
}

/**
 * opts: { root, temporalAddress, namespace, taskQueue, databaseUrl, units, year, adminUsername,
 *         stopWorker: async () => void, startWorker: () => ChildProcess (spawns the worker),
 *         cpu: { snapshot, delta }, startConcurrency, pollMs, progressMs, timeoutMs, stallMs, log }
 * It fails (with the figures so far in err.partial) after timeoutMs in all, or when no audit event
 * at all has been written for stallMs (the sweep is stuck rather than slow).
 */
export async function runSweep(opts) {
  const require = createRequire(path.join(opts.root, 'package.json'));
  require(path.join(opts.root, 'infra', 'runtime', 'register-paths.cjs'));
  const dist = (lib) => require(path.join(opts.root, 'dist', 'libs', lib, 'src', 'index.js'));
  const domain = dist('domain');
  const { WORKFLOW_TYPES } = dist('contracts');
  const { hashPassword } = require(path.join(opts.root, 'dist', 'libs', 'persistence', 'src', 'passwords.js'));
  const { Client, Connection } = require('@temporalio/client');
  const pg = require('pg');

  const pollMs = opts.pollMs ?? 250;
  const progressMs = opts.progressMs ?? 5_000;
  const timeoutMs = opts.timeoutMs ?? 30 * 60_000;
  const stallMs = opts.stallMs ?? 3 * 60_000;
  const year = opts.year;
  const ruleSet = domain.findRuleSet(domain.DEFAULT_RULE_SET_ID);
  if (!ruleSet) throw new Error(`sweep: no rule set ${domain.DEFAULT_RULE_SET_ID}`);
  const pad = (i, w) => String(i).padStart(w, '0');
  const clusters = Array.from({ length: opts.units / CLUSTER_SIZE }, (_, c) => {
    const code = `SWP-${year}-C${pad(c, 4)}`;
    return { code, id: `${year}:${code}`, units: Array.from({ length: CLUSTER_SIZE }, (_, u) => `${code}-U${pad(u, 2)}`) };
  });
  const allUnits = clusters.flatMap((c) => c.units);
  const officer = (unit) => `officer.${unit.toLowerCase()}`;
  const subjectLike = `${year}:%`;

  const db = new pg.Client({ connectionString: opts.databaseUrl });
  db.on('error', () => undefined); // the database is dropped at teardown
  await db.connect();
  let connection = null;
  const result = { units: opts.units, campaigns: clusters.length, year, ruleSet: { id: ruleSet.id, version: ruleSet.version } };
  try {
    // ---------------------------------------------------------------- 1. setup (not timed)
    const [{ count: existing }] = (await db.query('SELECT count(*)::int AS count FROM campaign WHERE year = $1', [year])).rows;
    if (existing > 0) throw new Error(`sweep: the database already has campaigns of ${year}`);
    let t = nowMs();
    const passwordHash = await hashPassword(`Sweep-${randomUUID()}`); // nobody logs in as these users
    await insertLateUnits((sql, params) => db.query(sql, params), allUnits, passwordHash);
    result.setupSeconds = (nowMs() - t) / 1000;
    opts.log(`sweep: ${allUnits.length} units and ${allUnits.length} unit officers inserted in ${result.setupSeconds.toFixed(1)}s`);

    connection = await Connection.connect({ address: opts.temporalAddress });
    const client = new Client({ connection, namespace: opts.namespace });
    const startedBy = { username: opts.adminUsername, roles: ['ADMIN'] };
    /** Starts every campaign with the Temporal client, exactly as POST /campaigns does. */
    const startCampaigns = (deadline, reminderTime) =>
      pool(clusters, opts.startConcurrency ?? 16, async (c) => {
        const input = {
          id: c.id,
          year,
          clusterCode: c.code,
          clusterName: `Cụm nhắc việc thử tải ${c.code}`,
          memberUnitCodes: c.units,
          headUnitCode: c.units[0],
          deputyUnitCode: c.units[1],
          registrationDeadline: deadline,
          ...(reminderTime ? { reminderTime } : {}),
          ruleSet: { id: ruleSet.id, version: ruleSet.version },
          startedBy,
          requestId: randomUUID(),
          subUnits: [],
          unitKinds: Object.fromEntries(c.units.map((u) => [u, 'OTHER'])),
        };
        await client.workflow.start(WORKFLOW_TYPES.campaign, {
          workflowId: domain.campaignWorkflowId(c.id),
          taskQueue: opts.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      });
    const maxSeq = async () => String((await db.query('SELECT coalesce(max(seq), 0)::bigint AS seq FROM audit_event')).rows[0].seq);
    const progressSql = `SELECT count(*) FILTER (WHERE action = 'REMINDER_SENT')::int AS reminders,
            count(DISTINCT data->>'unitCode') FILTER (WHERE action = 'REMINDER_SENT')::int AS units,
            count(*) FILTER (WHERE action = 'CAMPAIGN_STARTED')::int AS campaigns
       FROM audit_event WHERE seq > $1 AND subject_type = 'CAMPAIGN' AND subject_id LIKE $2`;
    const progressOf = async (afterSeq) => (await db.query(progressSql, [afterSeq, subjectLike])).rows[0];

    const timer = opts.model === 'timer' ? timerInstant(domain, ruleSet, opts.leadSeconds) : null;
    if (opts.model === 'timer' && timer.unavailable) opts.log(`sweep: timer model not possible now (${timer.unavailable}): worker-restart model instead`);
    result.model = timer && !timer.unavailable ? 'timer' : 'restart';
    let t0;
    let deadline;
    let child = null;
    const startSeq = await maxSeq();
    if (result.model === 'timer') {
      // ------------------------------------------------------------ timer model: the campaigns run first,
      // their reminder timers all fall due at T (the campaigns' reminder time), as in production.
      deadline = timer.deadline;
      Object.assign(result, { registrationDeadline: deadline, reminderTime: timer.reminderTime, leadSeconds: opts.leadSeconds });
      t = nowMs();
      await startCampaigns(deadline, timer.reminderTime);
      result.workflowStartSeconds = (nowMs() - t) / 1000;
      opts.log(
        `sweep: ${clusters.length} campaigns started in ${result.workflowStartSeconds.toFixed(1)}s with the worker running; their reminders fall due at ${timer.at} (${timer.reminderTime} Vietnam time, deadline ${deadline})`,
      );
      // The campaigns and their nominations must have done their start-up work, and be idle on their timers, before T.
      let lastSeq = await maxSeq();
      let quietSince = Date.now();
      let lastLog = Date.now();
      for (;;) {
        const started = (await progressOf(startSeq)).campaigns;
        const seq = await maxSeq();
        if (seq !== lastSeq) [lastSeq, quietSince] = [seq, Date.now()];
        if (started === clusters.length && Date.now() - quietSince >= (opts.quietMs ?? 10_000)) break;
        if (Date.now() > Date.parse(timer.at) - 5_000)
          throw new Error(
            `sweep: the campaigns' start-up was still running 5 s before their reminders fall due (${started}/${clusters.length} started): ` +
              `the figure would mix the two; run again with a longer --sweep-lead-seconds (was ${opts.leadSeconds})`,
          );
        if (Date.now() - lastLog >= progressMs) {
          opts.log(`sweep: setup: ${started}/${clusters.length} campaigns started, ${Math.round((Date.parse(timer.at) - Date.now()) / 1000)}s to T`);
          lastLog = Date.now();
        }
        await sleep(500);
      }
      result.setupIdleSeconds = (Date.parse(timer.at) - Date.now()) / 1000;
      opts.log(`sweep: start-up done and quiet; ${result.setupIdleSeconds.toFixed(0)}s to wait until T`);
      await sleep(Math.max(0, Date.parse(timer.at) - Date.now()));
      t0 = Date.parse(timer.at);
    } else {
      // ------------------------------------------------------------ restart model
      // 2. stop the worker
      t = nowMs();
      await opts.stopWorker();
      result.workerStopSeconds = (nowMs() - t) / 1000;
      // 3. start the campaigns (no worker), deadline one minute ago
      deadline = new Date(Date.now() - 60_000).toISOString();
      result.registrationDeadline = deadline;
      t = nowMs();
      await startCampaigns(deadline, null);
      result.workflowStartSeconds = (nowMs() - t) / 1000;
      opts.log(
        `sweep: ${clusters.length} campaigns started with the worker stopped in ${result.workflowStartSeconds.toFixed(1)}s (deadline ${deadline})`,
      );
      // 4. the worker again: T0
      t0 = Date.now();
      child = opts.startWorker();
    }
    const cpu0 = opts.cpu.snapshot();
    const t0Iso = new Date(t0).toISOString();
    const policy = domain.withReminderTime(ruleSet.reminders, result.reminderTime);
    // The reminder the policy sends first, as the workflows compute it (a reminder already due goes out at once).
    const expected = result.model === 'timer' ? domain.plannedReminder(deadline, 1, policy) : domain.nextReminder(deadline, 0, t0Iso, policy);
    const following = expected ? domain.plannedReminder(deadline, expected.sequence + 1, policy) : null;
    result.expectedReminder = expected;
    if (following && Date.parse(following.at) - t0 < timeoutMs)
      opts.log(`sweep: warning: the next reminder (${following.sequence}) falls due at ${following.at}, within the sweep's time limit`);
    let workerReadySeconds = null;
    child?.stdout?.on('data', (chunk) => {
      if (workerReadySeconds === null && String(chunk).includes('polling task queue')) workerReadySeconds = (Date.now() - t0) / 1000;
    });
    opts.log(
      result.model === 'timer'
        ? `sweep: T0 ${t0Iso}: the reminder timers fall due; waiting for ${allUnits.length} reminders (sequence ${expected?.sequence}, every ${pollMs} ms)`
        : `sweep: worker started (T0 ${t0Iso}); waiting for ${allUnits.length} reminders (sequence ${expected?.sequence ?? 'none'}, every ${pollMs} ms)`,
    );

    let progress = { reminders: 0, units: 0, campaigns: 0 };
    let lastLog = Date.now();
    let lastSeq = startSeq;
    let lastWrite = Date.now();
    const progressLine = () =>
      `sweep: ${((Date.now() - t0) / 1000).toFixed(1)}s: ${progress.campaigns}/${clusters.length} campaigns started, ` +
      `${progress.reminders} reminders to ${progress.units}/${allUnits.length} units`;
    for (;;) {
      progress = await progressOf(startSeq);
      if (progress.units >= allUnits.length) break;
      const seq = await maxSeq();
      if (seq !== lastSeq) [lastSeq, lastWrite] = [seq, Date.now()];
      const timedOut = Date.now() - t0 > timeoutMs;
      if (timedOut || Date.now() - lastWrite > stallMs) {
        const why = timedOut ? `after ${timeoutMs / 1000}s` : `and no audit event written for ${stallMs / 1000}s`;
        const err = new Error(`sweep: ${progress.units} of ${allUnits.length} units reminded ${why} (${progressLine()})`);
        err.partial = { sweep: { ...result, progress, seconds: (Date.now() - t0) / 1000 } };
        throw err;
      }
      if (Date.now() - lastLog >= progressMs) {
        opts.log(progressLine());
        lastLog = Date.now();
      }
      await sleep(pollMs);
    }
    const wallSeconds = (Date.now() - t0) / 1000;
    const cpu1 = opts.cpu.snapshot();
    opts.log(progressLine());
    // A little longer, so that a duplicate written just after the last first reminder is seen too.
    await sleep(2_000);

    // ---------------------------------------------------------------- 5. figures and the exactly-once check
    const eventWhere = `seq > $1 AND subject_type = 'CAMPAIGN' AND subject_id LIKE $2`;
    const { rows: reminders } = await db.query(
      `SELECT event_id, subject_id, data->>'unitCode' AS unit, data->>'kind' AS kind, (data->>'sequence')::int AS sequence,
              extract(epoch FROM recorded_at) * 1000 AS recorded_ms, extract(epoch FROM at) * 1000 AS at_ms
         FROM audit_event WHERE ${eventWhere} AND action = 'REMINDER_SENT'`,
      [startSeq, subjectLike],
    );
    // Per campaign: from its CAMPAIGN_STARTED to its last reminder (the sweep without the queue for start-up).
    const { rows: startedAt } = await db.query(
      `SELECT subject_id, extract(epoch FROM recorded_at) * 1000 AS ms FROM audit_event WHERE ${eventWhere} AND action = 'CAMPAIGN_STARTED'`,
      [startSeq, subjectLike],
    );
    const [started] = (
      await db.query(
        `SELECT count(*)::int AS count, extract(epoch FROM min(recorded_at)) * 1000 AS first_ms, extract(epoch FROM max(recorded_at)) * 1000 AS last_ms
           FROM audit_event WHERE ${eventWhere} AND action = 'CAMPAIGN_STARTED'`,
        [startSeq, subjectLike],
      )
    ).rows;
    const joinRows = async (table, cols) =>
      (
        await db.query(
          `SELECT e.event_id, ${cols.map((c) => `x.${c}`).join(', ')}
             FROM audit_event e JOIN ${table} x ON x.event_id = e.event_id
            WHERE e.seq > $1 AND e.subject_type = 'CAMPAIGN' AND e.subject_id LIKE $2 AND e.action = 'REMINDER_SENT'`,
          [startSeq, subjectLike],
        )
      ).rows;
    const inbox = await joinRows('notification', ['username', 'unit_code', 'kind']);
    const outbox = await joinRows('email_outbox', ['username', 'recipient', 'state']);

    const unitSet = new Set(allUnits);
    const perUnit = new Map();
    const kinds = {};
    const sequences = {};
    for (const r of reminders) {
      perUnit.set(r.unit, (perUnit.get(r.unit) ?? 0) + 1);
      kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      sequences[r.sequence] = (sequences[r.sequence] ?? 0) + 1;
    }
    const unitOf = new Map(reminders.map((r) => [r.event_id, r.unit]));
    const rowsPerEvent = (rows, ok) => {
      const count = new Map();
      let wrongRecipient = 0;
      for (const r of rows) {
        count.set(r.event_id, (count.get(r.event_id) ?? 0) + 1);
        if (!ok(r, unitOf.get(r.event_id))) wrongRecipient += 1;
      }
      const eventsWithout = reminders.filter((r) => !count.has(r.event_id)).length;
      const eventsWithMore = [...count.values()].filter((c) => c > 1).length;
      return { rows: rows.length, eventsWithout, eventsWithMore, wrongRecipient };
    };
    const check = {
      reminderEvents: reminders.length,
      unitsReminded: [...perUnit.keys()].filter((u) => unitSet.has(u)).length,
      unitsWithNone: allUnits.filter((u) => !perUnit.has(u)).slice(0, 10),
      unitsWithMoreThanOne: [...perUnit.entries()]
        .filter(([, c]) => c > 1)
        .map(([u, c]) => `${u}×${c}`)
        .slice(0, 10),
      unexpectedUnits: [...perUnit.keys()].filter((u) => !unitSet.has(u)).slice(0, 10),
      kinds,
      sequences,
      expectedSequence: expected?.sequence ?? null,
      inbox: rowsPerEvent(inbox, (r, unit) => r.username === officer(unit) && r.unit_code === unit && r.kind === 'REGISTRATION'),
      outbox: rowsPerEvent(outbox, (r, unit) => r.username === officer(unit) && r.recipient === `${officer(unit)}@bench.tdkt-flow.local`),
    };
    check.outbox.states = outbox.reduce((acc, r) => ({ ...acc, [r.state]: (acc[r.state] ?? 0) + 1 }), {});
    const problems = [];
    if (reminders.length !== allUnits.length) problems.push(`${reminders.length} REMINDER_SENT events for ${allUnits.length} units`);
    if (check.unitsWithNone.length) problems.push(`units without a reminder, e.g. ${check.unitsWithNone.join(', ')}`);
    if (check.unitsWithMoreThanOne.length) problems.push(`units reminded more than once: ${check.unitsWithMoreThanOne.join(', ')}`);
    if (check.unexpectedUnits.length) problems.push(`reminders to units outside the sweep: ${check.unexpectedUnits.join(', ')}`);
    if (kinds.REGISTRATION !== reminders.length) problems.push(`reminder kinds ${JSON.stringify(kinds)}, expected REGISTRATION only`);
    if (sequences[check.expectedSequence] !== reminders.length)
      problems.push(`reminder sequences ${JSON.stringify(sequences)}, expected ${check.expectedSequence} only`);
    for (const [name, box] of [
      ['inbox', check.inbox],
      ['e-mail outbox', check.outbox],
    ]) {
      if (box.rows !== reminders.length || box.eventsWithout || box.eventsWithMore || box.wrongRecipient)
        problems.push(`${name}: ${JSON.stringify(box)}, expected exactly one row per reminder for the unit's officer`);
    }
    check.exactlyOnce = problems.length === 0;
    check.problems = problems;

    const recorded = reminders.map((r) => Number(r.recorded_ms));
    const lastRecorded = Math.max(...recorded);
    const lastReminderSeconds = (lastRecorded - t0) / 1000;
    const lastPerCampaign = new Map();
    for (const r of reminders) lastPerCampaign.set(r.subject_id, Math.max(lastPerCampaign.get(r.subject_id) ?? 0, Number(r.recorded_ms)));
    // Per campaign: the restart model from its CAMPAIGN_STARTED (its start-up is in the sweep), the timer model from T0.
    const startToLastReminder = summarize(
      result.model === 'timer'
        ? [...lastPerCampaign.values()].map((ms) => (ms - t0) / 1000)
        : startedAt.filter((c) => lastPerCampaign.has(c.subject_id)).map((c) => (lastPerCampaign.get(c.subject_id) - Number(c.ms)) / 1000),
    );
    const seconds = (ms) => (ms === null || ms === undefined ? null : (Number(ms) - t0) / 1000);
    Object.assign(result, {
      t0: t0Iso,
      lastReminderSeconds,
      wallSeconds,
      firstReminderSeconds: (Math.min(...recorded) - t0) / 1000,
      lastReminderWorkflowTimeSeconds: (Math.max(...reminders.map((r) => Number(r.at_ms))) - t0) / 1000,
      remindersPerSecond: reminders.length / lastReminderSeconds,
      workerReadySeconds,
      campaignsStarted: started.count,
      campaignStartToLastReminderSeconds: startToLastReminder,
      firstCampaignStartedSeconds: seconds(started.first_ms),
      lastCampaignStartedSeconds: seconds(started.last_ms),
      auditEventsDuringSweep: (await db.query('SELECT count(*)::int AS count FROM audit_event WHERE seq > $1', [startSeq])).rows[0].count,
      outboxRows: check.outbox.rows,
      inboxRows: check.inbox.rows,
      check,
      cpu: opts.cpu.delta(cpu0, cpu1, wallSeconds),
    });
    if (!check.exactlyOnce) {
      const err = new Error(`sweep: not exactly one reminder per unit: ${problems.join('; ')}`);
      err.partial = { sweep: result };
      throw err;
    }
    return result;
  } finally {
    await connection?.close().catch(() => undefined);
    await db.end().catch(() => undefined);
  }
}

/**
 * The instant T of the timer model: the next whole minute at least leadSeconds from now, as a
 * campaign reminder time ("HH:MM", Vietnam time) on today's Vietnam date, with a registration
 * deadline (17:00) 3 working days later, so that the policy's first reminder (3 working days
 * before) falls due at T and none before it. { unavailable } when today is not a working day in
 * Vietnam or T would fall on the next day.
 */
function timerInstant(domain, ruleSet, leadSeconds) {
  const now = Date.now();
  const today = domain.toVietnamDate(new Date(now));
  if (!domain.isWorkingDay(today)) return { unavailable: `${today} is not a working day in Vietnam` };
  const atMs = Math.ceil((now + leadSeconds * 1000) / 60_000) * 60_000;
  if (domain.toVietnamDate(new Date(atMs)) !== today) return { unavailable: `T would fall after midnight in Vietnam` };
  const reminderTime = new Date(atMs + 7 * 3_600_000).toISOString().slice(11, 16);
  const deadline = domain.vietnamInstant(domain.addWorkingDays(today, 3), 17);
  const first = domain.plannedReminder(deadline, 1, domain.withReminderTime(ruleSet.reminders, reminderTime));
  if (first?.at !== new Date(atMs).toISOString()) return { unavailable: `the rule set's first reminder is not 3 working days before (${JSON.stringify(first)})` };
  return { at: first.at, reminderTime, deadline };
}
