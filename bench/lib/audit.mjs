// Scenario 4: how fast the audit chain verifies. Optionally appends `syntheticEvents` chained
// events first (hashes from the same hashAuditEvent the product uses), then times
// verifyAuditChain (the code behind `npm run audit:verify` and GET /audit/verify) in this process.
// Loads the compiled product code from dist/ (the bench builds it first).
import { createRequire } from 'node:module';
import path from 'node:path';
import { insertLateUnits } from './sweep.mjs';
import { nowMs } from './util.mjs';

/** opts: { root, databaseUrl, syntheticEvents, ceilingEvents, ceilingWriters, log } */
export async function runAudit(opts) {
  const require = createRequire(path.join(opts.root, 'package.json'));
  require(path.join(opts.root, 'infra', 'runtime', 'register-paths.cjs'));
  require('reflect-metadata');
  const persistence = require(path.join(opts.root, 'dist', 'libs', 'persistence', 'src', 'index.js'));
  const dataSource = await persistence.createDataSource(opts.databaseUrl, { poolSize: 2 }).initialize();
  try {
    const [{ count: before }] = await dataSource.query('SELECT count(*)::int AS count FROM audit_event');
    let insert = null;
    if (opts.syntheticEvents > 0) insert = await appendSynthetic(dataSource, persistence, opts.syntheticEvents, opts.log);
    // With one writer too: when 10 writers get no more than one, the lock serializes them.
    const ceiling =
      opts.ceilingEvents > 0 ? await recordDecisionCeiling(opts, persistence, opts.ceilingEvents, opts.ceilingWriters ?? 10) : null;
    if (ceiling) ceiling.oneWriter = await recordDecisionCeiling(opts, persistence, Math.ceil(opts.ceilingEvents / 3), 1);
    // Group commit (recordDecisions, when the build has it): 10 writers, 10 decisions a transaction,
    // as a busy workflow's recorder sends them.
    if (ceiling && persistence.recordDecisions)
      ceiling.batched = await recordDecisionCeiling(opts, persistence, opts.ceilingEvents, 10, 10);
    // The reminder sweep's writes without the engine: a campaign's round of 10 reminders a
    // transaction, as many writers as the worker runs activities (its pool of 10, minus one).
    if (ceiling && persistence.recordDecisions) ceiling.reminderRounds = await reminderRoundsCeiling(opts, persistence, Math.ceil(opts.ceilingEvents / 10), 9);
    const [{ count: total }] = await dataSource.query('SELECT count(*)::int AS count FROM audit_event');
    opts.log(`audit: verifying ${total} events`);
    const started = nowMs();
    const result = await persistence.verifyAuditChain(dataSource);
    const seconds = (nowMs() - started) / 1000;
    if (!result.ok) throw new Error(`the audit chain does not verify: ${JSON.stringify(result)}`);
    return {
      pipelineEvents: before,
      syntheticEvents: opts.syntheticEvents || 0,
      checked: result.checked,
      seconds,
      eventsPerSecond: result.checked / seconds,
      insert,
      recordDecisionCeiling: ceiling,
    };
  } finally {
    await dataSource.destroy();
  }
}

async function appendSynthetic(dataSource, persistence, count, log) {
  const [last] = await dataSource.query('SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1');
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last ? last.hash : persistence.GENESIS_HASH;
  const base = Date.parse('2041-01-01T00:00:00.000Z');
  const batch = 5_000;
  const started = nowMs();
  const actions = ['SELF_ASSESSMENT_SUBMITTED', 'REVIEW_APPROVED', 'COUNCIL_DECIDED', 'GOVERNMENT_DECISION_RECORDED'];
  for (let done = 0; done < count;) {
    const size = Math.min(batch, count - done);
    const cols = Array.from({ length: 16 }, () => []);
    for (let i = 0; i < size; i++) {
      seq += 1;
      const unit = `SYN-U${String(seq % 100_000).padStart(6, '0')}`;
      const fields = {
        seq,
        eventId: `bench-synthetic#${seq}`,
        at: new Date(base + seq).toISOString(),
        actor: 'vutdkt',
        role: 'DEPARTMENT_REVIEWER',
        actorUnitCode: null,
        action: actions[seq % actions.length],
        subjectType: 'NOMINATION',
        subjectId: `2041:SYN:${unit}`,
        fromStage: 'DEPARTMENT_REVIEW',
        toStage: 'COUNCIL_DECISION',
        reason: 'Hồ sơ đầy đủ, đủ điều kiện',
        requestId: null,
        data: { synthetic: true, n: seq },
      };
      const hash = persistence.hashAuditEvent(prevHash, fields);
      const row = [
        seq,
        fields.eventId,
        fields.at,
        fields.actor,
        fields.role,
        fields.actorUnitCode,
        fields.action,
        fields.subjectType,
        fields.subjectId,
        fields.fromStage,
        fields.toStage,
        fields.reason,
        fields.requestId,
        JSON.stringify(fields.data),
        prevHash,
        hash,
      ];
      row.forEach((v, c) => cols[c].push(v));
      prevHash = hash;
    }
    await dataSource.query(
      `INSERT INTO audit_event (seq, event_id, at, actor, role, actor_unit_code, action, subject_type, subject_id,
                                from_stage, to_stage, reason, request_id, data, prev_hash, hash, recorded_at)
       SELECT s, e, a, ac, r, au, act, st, sid, fs, ts, re, rid, d::jsonb, ph, h, now()
         FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
           AS t(s, e, a, ac, r, au, act, st, sid, fs, ts, re, rid, d, ph, h)`,
      cols,
    );
    done += size;
    if (done % 100_000 === 0 || done === count) log(`audit: appended ${done}/${count} synthetic events`);
  }
  const seconds = (nowMs() - started) / 1000;
  return { events: count, seconds, eventsPerSecond: count / seconds };
}

/**
 * The ceiling of the audit writer: the product's recordDecision called directly by
 * `writers` concurrent callers (the worker's pool is 10 connections), each event alone in its
 * transaction behind the global advisory lock, with no read-model projection (so the real
 * transactions, which also upsert a snapshot, are slower: this is an upper bound).
 */
async function recordDecisionCeiling(opts, persistence, count, writers, batch = 1) {
  const dataSource = await persistence.createDataSource(opts.databaseUrl, { poolSize: writers }).initialize();
  const decision = (i) => ({
    event: {
      eventId: `bench-ceiling#${opts.runId}#${writers}#${batch}#${i}`,
      at: new Date().toISOString(),
      subjectType: 'NOMINATION',
      subjectId: `2041:CEIL:U${i % 1000}`,
      actor: 'vutdkt',
      role: 'DEPARTMENT_REVIEWER',
      actorUnitCode: null,
      action: 'REVIEW_APPROVED',
      fromStage: 'DEPARTMENT_REVIEW',
      toStage: 'COUNCIL_DECISION',
      reason: 'Hồ sơ đầy đủ',
      requestId: null,
      data: { i },
    },
    projections: [],
  });
  try {
    let next = 0;
    const started = nowMs();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < count) {
          const first = next;
          next = Math.min(count, next + batch);
          const ids = Array.from({ length: next - first }, (_, k) => first + k);
          if (batch === 1) await persistence.recordDecision(dataSource, decision(first));
          else await persistence.recordDecisions(dataSource, ids.map(decision));
        }
      }),
    );
    const seconds = (nowMs() - started) / 1000;
    opts.log(
      `audit: recordDecision${batch > 1 ? `s (${batch} a batch)` : ''} ceiling ${Math.round(count / seconds)} events/s (${writers} writers)`,
    );
    return { events: count, writers, batch, seconds, eventsPerSecond: count / seconds };
  } finally {
    await dataSource.destroy();
  }
}

let reminderRoundsRuns = 0; // one per size of a bench run: their units apart

/**
 * The reminder sweep's database work alone: `rounds` campaigns of 10 late units, each campaign's
 * round written as the campaign workflow writes it (one recordDecisions of 10 REMINDER_SENT
 * events, each with its reminder: the unit's name, its officers, an inbox and an outbox row; and
 * the campaign's snapshot), by `writers` concurrent writers. 1,000 rounds is the write load of
 * the sweep of 10,000 units; what the sweep takes beyond this is the engine's and the worker's.
 */
async function reminderRoundsCeiling(opts, persistence, rounds, writers) {
  const require = createRequire(path.join(opts.root, 'package.json'));
  const { hashPassword } = require(path.join(opts.root, 'dist', 'libs', 'persistence', 'src', 'passwords.js'));
  const dataSource = await persistence.createDataSource(opts.databaseUrl, { poolSize: writers }).initialize();
  const tag = `CEIL-${opts.runId}-${++reminderRoundsRuns}`;
  const campaigns = Array.from({ length: rounds }, (_, c) => {
    const code = `${tag}-C${String(c).padStart(5, '0')}`;
    return { id: `2041:${code}`, code, units: Array.from({ length: 10 }, (_, u) => `${code}-U${u}`) };
  });
  const now = new Date().toISOString();
  const deadline = new Date(Date.now() - 3 * 86_400_000).toISOString();
  const view = (c, version) => ({
    id: c.id,
    year: 2041,
    clusterCode: c.code,
    clusterName: `Cụm nhắc việc thử tải ${c.code}`,
    headUnitCode: c.units[0],
    deputyUnitCode: c.units[1],
    registrationDeadline: deadline,
    ruleSet: { id: 'bench', version: 1 },
    phase: 'SELF_ASSESSMENT',
    members: c.units.map((unitCode) => ({ unitCode, registeredAt: null, targetTitles: [], remindersSent: 1, selfAssessedAt: null, lastReminderAt: now })),
    subUnits: [],
    vote: null,
    startedAt: deadline,
    updatedAt: now,
    version,
  });
  const round = (c) =>
    c.units.map((unitCode, u) => ({
      event: {
        eventId: `campaign:${c.id}#${2 + u}`,
        at: now,
        subjectType: 'CAMPAIGN',
        subjectId: c.id,
        actor: 'system',
        role: null,
        actorUnitCode: null,
        action: 'REMINDER_SENT',
        fromStage: 'SELF_ASSESSMENT',
        toStage: 'SELF_ASSESSMENT',
        reason: null,
        requestId: null,
        data: { kind: 'REGISTRATION', unitCode, sequence: 1, escalate: false, workingDaysLate: 3 },
      },
      projections: [{ kind: 'campaign', view: view(c, 2 + u) }],
      notifications: [{ kind: 'REGISTRATION', unitCode, campaignId: c.id, deadline, sequence: 1, escalate: false, workingDaysLate: 3 }],
    }));
  try {
    await insertLateUnits((sql, params) => dataSource.query(sql, params), campaigns.flatMap((c) => c.units), await hashPassword(`${tag}-nobody`));
    let next = 0;
    const started = nowMs();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < rounds) await persistence.recordDecisions(dataSource, round(campaigns[next++]));
      }),
    );
    const seconds = (nowMs() - started) / 1000;
    const { user, system } = process.cpuUsage(cpu);
    const [{ told }] = await dataSource.query('SELECT count(*)::int AS told FROM email_outbox WHERE event_id LIKE $1', [`campaign:2041:${tag}-%`]);
    if (told !== rounds * 10) throw new Error(`reminder rounds: ${told} e-mails queued for ${rounds * 10} reminders`);
    const writerCpuSeconds = (user + system) / 1e6;
    opts.log(`audit: reminder rounds ceiling ${(rounds / seconds).toFixed(1)} rounds/s, ${rounds} in ${seconds.toFixed(1)}s (${writers} writers, ${writerCpuSeconds.toFixed(1)} CPU s in this process)`);
    return { rounds, remindersPerRound: 10, writers, seconds, roundsPerSecond: rounds / seconds, writerCpuSeconds };
  } finally {
    await dataSource.destroy();
  }
}
