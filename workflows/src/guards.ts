/**
 * Update validators throw these: Temporal rejects the update before it enters history, and the
 * API maps the failure type to an HTTP status (libs/contracts errors.ts).
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor, Role } from '../../libs/domain/src/model';
import { DomainRuleError } from '../../libs/domain/src/index';
import type { RejectionType } from '../../libs/contracts/src/index';

export function reject(type: RejectionType, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Defence in depth: the API checked the role already; the workflow checks it again. */
export function requireRole(actor: Actor | undefined, roles: Role[], unitCode?: string | string[]): Actor {
  if (!actor || !Array.isArray(actor.roles) || !actor.username) reject('Forbidden', 'the action carries no actor');
  if (!actor.roles.some((r) => roles.includes(r))) reject('Forbidden', `requires one of the roles ${roles.join(', ')}`);
  const units = unitCode === undefined ? undefined : Array.isArray(unitCode) ? unitCode : [unitCode];
  if (units && !units.includes(actor.unitCode ?? '')) reject('Forbidden', `only an officer of unit ${units.join(' or ')} may do this`);
  return actor;
}

/** The role an actor acted in: the first of its roles that the action allows. */
export function actingRole(actor: Actor, allowed: Role[]): Role {
  return actor.roles.find((r) => allowed.includes(r)) ?? actor.roles[0];
}

/** Runs a pure domain check and turns a DomainRuleError into the matching rejection. */
export function domainCheck(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainRuleError) {
      const type: RejectionType =
        e.kind === 'STAGE_CONFLICT' ? 'StageConflict' : e.kind === 'DUPLICATE' ? 'Duplicate' : e.kind === 'FORBIDDEN' ? 'Forbidden' : 'Invalid';
      reject(type, e.message);
    }
    throw e;
  }
}
