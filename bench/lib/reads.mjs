// Scenario 3: read latency, open loop. Requests are sent on a fixed schedule (request k at
// t0 + k/rate), whether or not earlier ones have answered, alternating the list
// (GET /nominations?year=&page=<random>&pageSize=20) and the detail (GET /nominations/:id of a
// random nomination of the run). Latency is measured from the scheduled send time, so a stalled
// server shows up in the figures instead of silently slowing the load (no coordinated omission).
// addSyntheticNominations adds read-model rows (copies of one of the run's nominations under
// synthetic unit codes) to the year first, so the reads run over a large table (the issue's
// "100k nominations") without driving each through the pipeline.
import { createRequire } from 'node:module';
import path from 'node:path';
import { JsonClient, Recorder, nowMs, sleep } from './util.mjs';

/** opts: { api, token, year, nominationIds, rate, seconds, log } */
export async function runReads(opts) {
  const { rate, seconds, year, nominationIds } = opts;
  const client = new JsonClient(opts.api, { maxSockets: 256 });
  const rec = new Recorder();
  const total = Math.round(rate * seconds);
  const pages = Math.max(1, Math.ceil(nominationIds.length / 20));
  const pick = (n) => Math.floor(Math.random() * n);

  // Warm-up: open connections and JIT the paths (not recorded).
  for (let i = 0; i < 20; i++) {
    await client.request('GET', `/nominations?year=${year}&page=1&pageSize=20`, { token: opts.token });
    await client.request('GET', `/nominations/${encodeURIComponent(nominationIds[pick(nominationIds.length)])}`, { token: opts.token });
  }

  let maxLagMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const pending = [];
  const t0 = nowMs() + 50;
  for (let k = 0; k < total; k++) {
    const due = t0 + (k * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 1) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, nowMs() - due);
    const list = k % 2 === 0;
    const label = list ? 'GET /nominations?year&pageSize=20' : 'GET /nominations/:id';
    const path = list
      ? `/nominations?year=${year}&page=${1 + pick(pages)}&pageSize=20`
      : `/nominations/${encodeURIComponent(nominationIds[pick(nominationIds.length)])}`;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pending.push(
      client
        .request('GET', path, { token: opts.token, since: due, timeoutMs: 30_000 })
        .then((res) => {
          rec.add(label, res.ms);
          if (res.status !== 200) rec.error(label, String(res.status));
        })
        .catch((err) => rec.error(label, err.message))
        .finally(() => (inFlight -= 1)),
    );
  }
  const sentBy = nowMs();
  await Promise.all(pending);
  client.close();
  const achieved = total / ((sentBy - t0) / 1000);
  return {
    rate,
    seconds,
    requests: total,
    achievedRate: Math.round(achieved * 10) / 10,
    maxScheduleLagMs: Math.round(maxLagMs * 10) / 10,
    maxInFlight,
    nominationsInYear: nominationIds.length,
    ...rec.summary(),
  };
}

/** opts: { root, databaseUrl, year, nominationIds (the first is copied), log } */
export async function addSyntheticNominations(opts, count) {
  const pg = createRequire(path.join(opts.root, 'package.json'))('pg');
  const db = new pg.Client({ connectionString: opts.databaseUrl });
  await db.connect();
  try {
    const started = nowMs();
    const template = opts.nominationIds[0];
    const ids = [];
    for (let done = 0; done < count;) {
      const size = Math.min(20_000, count - done);
      const { rows } = await db.query(
        `INSERT INTO nomination (id, campaign_id, year, cluster_code, unit_code, stage, titles, view, version, updated_at)
         SELECT $1 || ':SYN' || lpad((g / 10)::text, 6, '0') || ':U' || lpad(g::text, 7, '0'),
                $1 || ':SYN' || lpad((g / 10)::text, 6, '0'), n.year, 'SYN' || lpad((g / 10)::text, 6, '0'), 'U' || lpad(g::text, 7, '0'),
                n.stage, n.titles,
                n.view || jsonb_build_object('id', $1 || ':SYN' || lpad((g / 10)::text, 6, '0') || ':U' || lpad(g::text, 7, '0'),
                                             'unitCode', 'U' || lpad(g::text, 7, '0')),
                n.version, n.updated_at
           FROM nomination n, generate_series($3::int, $4::int) g
          WHERE n.id = $2
         RETURNING id`,
        [String(opts.year), template, done + 1, done + size],
      );
      ids.push(...rows.map((r) => r.id));
      done += size;
    }
    // As autovacuum would have by then: statistics and the visibility map (index-only scans).
    await db.query('VACUUM (ANALYZE) nomination');
    const seconds = (nowMs() - started) / 1000;
    opts.log(`reads: added ${ids.length} synthetic nominations to ${opts.year} in ${seconds.toFixed(1)}s`);
    return { ids, seconds };
  } finally {
    await db.end();
  }
}
