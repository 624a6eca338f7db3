import { Client } from 'pg';
import { DataSource, type Migration } from 'typeorm';
import { ENTITIES } from './entities/index';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { Reminders1764100000000 } from './migrations/1764100000000-reminders';
import { AwardRegistry1764200000000 } from './migrations/1764200000000-award-registry';
import { WorkTools1764300000000 } from './migrations/1764300000000-work-tools';
import { ReadIndexes1764500000000 } from './migrations/1764500000000-read-indexes';
import { RegistryTitlesRevocations1764600000000 } from './migrations/1764600000000-registry-titles-revocations';
import { UserUnitIndex1764700000000 } from './migrations/1764700000000-user-unit-index';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  Reminders1764100000000,
  AwardRegistry1764200000000,
  WorkTools1764300000000,
  ReadIndexes1764500000000,
  RegistryTitlesRevocations1764600000000,
  UserUnitIndex1764700000000,
];

/** A TypeORM data source for the given postgres:// URL. The schema comes from migrations only. */
export function createDataSource(url: string, options: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    // Keep a dead database from hanging a request: fail fast, the caller maps it to 503.
    extra: { connectionTimeoutMillis: 5_000 },
  });
}

/** Creates the database named in the URL when it does not exist yet. Returns true when created. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be letters, digits and _`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`);
    return true;
  } finally {
    await client.end();
  }
}

/** Applies the pending migrations, each in its own transaction. */
export function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  return dataSource.runMigrations({ transaction: 'each' });
}
