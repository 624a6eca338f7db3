/** Validation rules shared by the DTOs. */
import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsString, Matches, Max, Min, registerDecorator, type ValidationOptions } from 'class-validator';
import { CODE_PATTERN } from '@tdkt/domain';

/** A unit, cluster or rule-set code field (STP-HN, KV-TP-TW) (or, with each, an array of codes) with a message naming the field. */
export function IsCode(field: string, options: { each?: boolean } = {}): PropertyDecorator {
  return Matches(CODE_PATTERN, { each: options.each, message: `${field} must ${options.each ? 'each ' : ''}be a code of 1-40 letters, digits, - or _` });
}

/** A year and a list of nominations of it: a council sitting's agenda, a Government submission. */
export class YearNominationsDto {
  @ApiProperty({ example: 2026 }) @IsInt() @Min(2000) @Max(2100) year!: number;
  @ApiProperty({ example: ['2026:KV-TP-TW:STP-HN'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  nominationIds!: string[];
}

/**
 * Free text that must say something: after trimming, not empty (a note of only spaces, tabs or
 * line breaks is refused), with a message naming the field. Pair with @MaxLength for the bound.
 */
export function IsNotBlank(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotBlank',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must not be blank`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0,
      },
    });
}

/** A real calendar date YYYY-MM-DD (2025-02-30 is refused), with a message naming the field. */
export function IsCalendarDate(options: ValidationOptions = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be a real date YYYY-MM-DD`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
          const d = new Date(`${value}T00:00:00Z`);
          return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
        },
      },
    });
}

/** How deep NoNulCharacterPipe looks into a body (class-validator's own nesting stops well before). */
const NUL_SCAN_DEPTH = 20;

/** The paths ("members[2].name") of the strings in `value` that hold U+0000, keys included. */
export function nulPaths(value: unknown, path = '', depth = 0): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || 'value'] : [];
  if (value === null || typeof value !== 'object' || depth > NUL_SCAN_DEPTH) return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulPaths(v, `${path}[${i}]`, depth + 1));
  return Object.entries(value).flatMap(([k, v]) => {
    const at = path ? `${path}.${k}` : k;
    return [...(k.includes('\u0000') ? [at] : []), ...nulPaths(v, at, depth + 1)];
  });
}

/**
 * Refuses, with a 400 naming the field, any body, query or path parameter with the NUL character
 * (U+0000) in a string. Postgres cannot store it in text or jsonb: accepted, it would reach a
 * workflow, whose write would then fail at every retry and hold back its later decisions.
 */
@Injectable()
export class NoNulCharacterPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const paths = nulPaths(value, metadata.type === 'body' ? '' : (metadata.data ?? ''));
    if (paths.length) throw new BadRequestException(paths.map((p) => `${p.replace(/\u0000/g, '\\u0000')} must not contain the NUL character (U+0000)`));
    return value;
  }
}
