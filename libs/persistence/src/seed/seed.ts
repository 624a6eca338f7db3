/**
 * The project's own seed: the three real clusters of the fixtures (copied to clusters.json), their
 * member units and sub-units, and one demo user per role so every stage can be driven. Idempotent:
 * running it again adds what is missing and changes nothing else (passwords included).
 */
import type { DataSource } from 'typeorm';
import type { Role, UnitKind } from '@tdkt/domain';
import { hashPassword } from '../passwords';
import clustersFile from './clusters.json';

export interface SeedCluster {
  code: string;
  name: string;
  year: number;
  members: { code: string; name: string; kind: string }[];
  subUnits?: { code: string; name: string; parent: string }[];
  head?: string;
  nextYear?: { year: number; head?: string; deputy?: string };
  reportedOutcome?: { ministryFlagProposed: string[]; governmentFlagProposed: string[] };
}

export const SEED_CLUSTERS: SeedCluster[] = (clustersFile as { clusters: SeedCluster[] }).clusters;

export interface SeedOptions {
  adminUsername: string;
  adminPassword: string;
  /** The password of every demo user (README lists them). */
  demoPassword: string;
}

interface SeedUser {
  username: string;
  fullName: string;
  roles: Role[];
  unitCode: string | null;
  password: string;
}

const KNOWN_KINDS: UnitKind[] = ['SO_TU_PHAP', 'CUC_THADS', 'CHI_CUC_THADS', 'DON_VI_BO', 'OTHER'];

/** The demo users: per member unit an officer (cán bộ) and a leader (thủ trưởng); heads; Ministry staff. */
export function demoUsers(options: SeedOptions): SeedUser[] {
  const users = new Map<string, SeedUser>();
  const add = (u: Omit<SeedUser, 'password'>, password = options.demoPassword) => {
    const found = users.get(u.username);
    if (found) found.roles = [...new Set([...found.roles, ...u.roles])];
    else users.set(u.username, { ...u, password });
  };
  add({ username: options.adminUsername, fullName: 'Quản trị hệ thống', roles: ['ADMIN'], unitCode: null }, options.adminPassword);
  for (const cluster of SEED_CLUSTERS) {
    for (const m of cluster.members) {
      const slug = m.code.toLowerCase();
      add({ username: `canbo.${slug}`, fullName: `Cán bộ thi đua - ${m.name}`, roles: ['UNIT_OFFICER'], unitCode: m.code });
      add({ username: `thutruong.${slug}`, fullName: `Thủ trưởng - ${m.name}`, roles: ['UNIT_LEADER'], unitCode: m.code });
    }
    for (const head of [cluster.head, cluster.nextYear?.head]) {
      if (!head) continue;
      const unit = cluster.members.find((m) => m.code === head);
      add({ username: `cumtruong.${head.toLowerCase()}`, fullName: `Cụm trưởng - ${unit?.name ?? head}`, roles: ['CLUSTER_HEAD'], unitCode: head });
    }
  }
  add({ username: 'vutdkt', fullName: 'Chuyên viên Vụ Thi đua - Khen thưởng', roles: ['DEPARTMENT_REVIEWER'], unitCode: null });
  add({ username: 'vutdkt2', fullName: 'Chuyên viên Vụ Thi đua - Khen thưởng (2)', roles: ['DEPARTMENT_REVIEWER'], unitCode: null });
  add({ username: 'chutich', fullName: 'Chủ tịch Hội đồng Thi đua - Khen thưởng', roles: ['COUNCIL_CHAIR', 'COUNCIL_MEMBER'], unitCode: null });
  for (let i = 1; i <= 8; i++) {
    add({ username: `hoidong${i}`, fullName: `Thành viên Hội đồng Thi đua - Khen thưởng ${i}`, roles: ['COUNCIL_MEMBER'], unitCode: null });
  }
  add({ username: 'kiemtra', fullName: 'Kiểm tra viên', roles: ['AUDITOR'], unitCode: null });
  return [...users.values()];
}

/** The demo users' mailbox, delivered to the local SMTP sink of `npm start`. */
export const demoEmail = (username: string) => `${username}@tdkt-flow.local`;

/** Inserts the units and users that are missing. Returns how many of each exist after the run. */
export async function seedOrganisation(dataSource: DataSource, options: SeedOptions): Promise<{ units: number; users: number }> {
  await dataSource.transaction(async (tx) => {
    for (const cluster of SEED_CLUSTERS) {
      for (const m of cluster.members) {
        const kind = KNOWN_KINDS.includes(m.kind as UnitKind) ? m.kind : 'OTHER';
        await tx.query('INSERT INTO unit (code, name, kind) VALUES ($1,$2,$3) ON CONFLICT (code) DO NOTHING', [m.code, m.name, kind]);
      }
      for (const s of cluster.subUnits ?? []) {
        await tx.query("INSERT INTO unit (code, name, kind, parent_code) VALUES ($1,$2,'CHI_CUC_THADS',$3) ON CONFLICT (code) DO NOTHING", [
          s.code,
          s.name,
          s.parent,
        ]);
      }
    }
    const existing = new Set(((await tx.query('SELECT username FROM app_user')) as { username: string }[]).map((r) => r.username));
    const missing = demoUsers(options).filter((u) => !existing.has(u.username));
    const hashes = await Promise.all(missing.map((u) => hashPassword(u.password)));
    for (const [i, u] of missing.entries()) {
      await tx.query(
        'INSERT INTO app_user (username, password_hash, full_name, roles, unit_code, email) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (username) DO NOTHING',
        [u.username, hashes[i], u.fullName, u.roles, u.unitCode, demoEmail(u.username)],
      );
    }
    // Demo users seeded before e-mail addresses existed get theirs (reminders are e-mailed).
    for (const u of demoUsers(options)) {
      await tx.query('UPDATE app_user SET email = $2 WHERE username = $1 AND email IS NULL', [u.username, demoEmail(u.username)]);
    }
  });
  const [{ units }] = await dataSource.query('SELECT count(*)::int AS units FROM unit');
  const [{ users }] = await dataSource.query('SELECT count(*)::int AS users FROM app_user');
  return { units, users };
}
