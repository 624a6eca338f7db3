/** Validation rules shared by the DTOs. */
import { Matches } from 'class-validator';
import { CODE_PATTERN } from '@tdkt/domain';

/** A unit, cluster or rule-set code field (STP-HN, KV-TP-TW) (or, with each, an array of codes) with a message naming the field. */
export function IsCode(field: string, options: { each?: boolean } = {}): PropertyDecorator {
  return Matches(CODE_PATTERN, { each: options.each, message: `${field} must ${options.each ? 'each ' : ''}be a code of 1-40 letters, digits, - or _` });
}
