/**
 * Who may see and touch which unit's data, in one place. Ministry staff (Department, Council,
 * auditors, admins) see every unit; a unit's officers and leader see their own unit; a cluster
 * head sees the nominations of the campaigns its unit heads.
 */
import { ForbiddenException } from '@nestjs/common';
import { STAFF_ROLES, type Actor } from '@tdkt/domain';
import type { CampaignEntity, NominationEntity } from '@tdkt/persistence';

export function isStaff(actor: Actor): boolean {
  return actor.roles.some((r) => STAFF_ROLES.includes(r));
}

export function canSeeCampaign(actor: Actor, campaign: Pick<CampaignEntity, 'memberUnitCodes' | 'headUnitCode'>): boolean {
  return isStaff(actor) || (!!actor.unitCode && (campaign.memberUnitCodes.includes(actor.unitCode) || campaign.headUnitCode === actor.unitCode));
}

/** The units whose users act for a nomination: its unit, and for a sub-unit its member unit. */
export function actingUnits(nomination: Pick<NominationEntity, 'unitCode' | 'view'>): string[] {
  return nomination.view.parentUnitCode ? [nomination.unitCode, nomination.view.parentUnitCode] : [nomination.unitCode];
}

export function canSeeNomination(actor: Actor, nomination: Pick<NominationEntity, 'unitCode' | 'view'>, headOf: { headUnitCode: string } | null): boolean {
  if (isStaff(actor)) return true;
  if (!actor.unitCode) return false;
  return actingUnits(nomination).includes(actor.unitCode) || (actor.roles.includes('CLUSTER_HEAD') && headOf?.headUnitCode === actor.unitCode);
}

/** A unit officer or leader may act only for its own unit. */
export function requireOwnUnit(actor: Actor, unitCode: string | string[]): void {
  const units = Array.isArray(unitCode) ? unitCode : [unitCode];
  if (!units.includes(actor.unitCode ?? '')) throw new ForbiddenException(`only users of unit ${units.join(' or ')} may do this`);
}
