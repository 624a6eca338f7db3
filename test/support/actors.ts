import type { Actor, Role } from '@tdkt/domain';

/** An actor as the API passes it to a workflow update. */
export function actor(username: string, role: Role, unitCode?: string): Actor {
  return { username, roles: [role], ...(unitCode ? { unitCode } : {}) };
}
