// Starts this year's demo campaign of every seeded cluster through the public API, as an
// administrator would (idempotent: a campaign that already exists is left as it is).
// Usage: node infra/scripts/demo-campaigns.mjs [apiBaseUrl]   (built-ins only)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bulkStartCampaigns } from './bulk-campaigns.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function startDemoCampaigns(api = `http://127.0.0.1:${process.env.PORT ?? 3000}/api/v1`) {
  const { clusters } = JSON.parse(readFileSync(`${root}/libs/persistence/src/seed/clusters.json`, 'utf8'));
  const day = 24 * 3600 * 1000;
  const summary = await bulkStartCampaigns({
    api,
    clusters,
    year: new Date().getFullYear(),
    deadline: new Date(Date.now() + 14 * day).toISOString(),
    selfAssessmentDeadline: new Date(Date.now() + 28 * day).toISOString(),
    username: process.env.ADMIN_USERNAME ?? 'admin',
    password: process.env.ADMIN_PASSWORD ?? 'Admin@123456',
    tag: 'demo',
  });
  if (summary.failed) throw new Error('demo: some campaigns could not start');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startDemoCampaigns(process.argv[2]).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
