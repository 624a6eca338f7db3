/**
 * Operator commands, run from the compiled output by npm scripts:
 *   migrate       create the database if missing and run the TypeORM migrations
 *   seed          the three real clusters of the fixtures, their units and demo users (idempotent)
 *   audit-verify  recompute the audit chain and name the first bad link (exit 1 when broken)
 *   reconcile     compare each nomination's audit trail with its Temporal workflow history
 *                 (exit 1 when any differs); optional nomination ids restrict it
 *   registry-import <file.xlsx|file.csv>  older awards into the registry: all rows or none,
 *                 errors listed with their row numbers (exit 1), progress on stderr
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createDataSource, ensureDatabase, importAwards, parseCsv, parseXlsx, runMigrations, seedOrganisation, verifyAuditChain } from '@tdkt/persistence';
import { reconcileCommand } from './reconcile';

const COMMANDS = ['migrate', 'seed', 'audit-verify', 'reconcile', 'registry-import'] as const;

async function main(command: string | undefined, args: string[]): Promise<number> {
  if (!COMMANDS.includes(command as never)) {
    console.error(`usage: cli <${COMMANDS.join('|')}>`);
    return 2;
  }
  if (command === 'reconcile') return reconcileCommand(args);
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tdkt_flow';
  if (command === 'migrate' && (await ensureDatabase(databaseUrl))) console.log(`[cli] created database ${new URL(databaseUrl).pathname.slice(1)}`);
  const dataSource = await createDataSource(databaseUrl).initialize();
  try {
    if (command === 'migrate') {
      const applied = await runMigrations(dataSource);
      console.log(`[cli] migrations applied: ${applied.length ? applied.map((m) => m.name).join(', ') : 'none (schema up to date)'}`);
      return 0;
    }
    if (command === 'seed') {
      const counts = await seedOrganisation(dataSource, {
        adminUsername: process.env.ADMIN_USERNAME ?? 'admin',
        adminPassword: process.env.ADMIN_PASSWORD ?? 'Admin@123456',
        demoPassword: process.env.DEMO_PASSWORD ?? 'Demo@123456',
      });
      console.log(`[cli] seeded ${counts.units} units and ${counts.users} users`);
      return 0;
    }
    if (command === 'registry-import') {
      const file = args[0];
      if (!file) {
        console.error('usage: cli registry-import <file.xlsx|file.csv>');
        return 2;
      }
      const table = file.toLowerCase().endsWith('.xlsx') ? await parseXlsx(readFileSync(file)) : parseCsv(readFileSync(file, 'utf8'));
      const imported = await importAwards(dataSource, table, {
        batch: `cli-${randomUUID()}`,
        onProgress: (phase, done, total) => process.stderr.write(`\r[cli] ${phase === 'check' ? 'checked' : 'written'} ${done}/${total} rows`),
      });
      process.stderr.write('\n');
      for (const e of imported.errors) console.error(`[cli] dòng ${e.row}${e.column ? ` (cột ${e.column})` : ''}, ${e.field}: ${e.message}`);
      const counts = `header on row ${imported.headerRow ?? '?'}, ${imported.rowsRead} rows read, ${imported.blankRowsSkipped} blank skipped`;
      if (imported.outcome === 'IMPORTED') console.log(`[cli] ${imported.imported} of ${imported.rows} rows imported (${counts}), batch ${imported.batch}`);
      else console.log(`[cli] nothing imported (${counts}, ${imported.errors.length} errors): fix the rows above and run again`);
      return imported.outcome === 'IMPORTED' ? 0 : 1;
    }
    const result = await verifyAuditChain(dataSource, {
      onProgress: (checked) => process.stderr.write(`\r[cli] verified ${checked} events`),
    });
    process.stderr.write('\n');
    console.log(JSON.stringify(result));
    return result.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2], process.argv.slice(3)).then(
  (code) => process.exit(code),
  (err) => {
    console.error('[cli] failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
