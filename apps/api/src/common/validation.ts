/** Validation rules shared by the DTOs. */
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
