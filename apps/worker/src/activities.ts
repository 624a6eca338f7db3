/** Activities: all of the workflows' I/O. Each is idempotent, so Temporal may retry it freely. */
import type { DataSource } from 'typeorm';
import type { TdktActivities } from '@tdkt/contracts';
import { recordDecision } from '@tdkt/persistence';

export function createActivities(dataSource: DataSource): TdktActivities {
  return {
    recordDecision: (input) => recordDecision(dataSource, input),
  };
}
