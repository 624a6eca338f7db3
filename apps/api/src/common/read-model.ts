/** Reads of the Postgres read model that several modules share, with 404s named after the object. */
import { Inject, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CampaignEntity, CouncilSessionEntity, NominationEntity } from '@tdkt/persistence';
import { DATA_SOURCE } from './tokens';

@Injectable()
export class ReadModel {
  constructor(@Inject(DATA_SOURCE) readonly dataSource: DataSource) {}

  async campaign(id: string): Promise<CampaignEntity> {
    const row = await this.dataSource.getRepository(CampaignEntity).findOneBy({ id });
    if (!row) throw new NotFoundException(`campaign ${id} not found`);
    return row;
  }

  async nomination(id: string): Promise<NominationEntity> {
    const row = await this.dataSource.getRepository(NominationEntity).findOneBy({ id });
    if (!row) throw new NotFoundException(`nomination ${id} not found`);
    return row;
  }

  async councilSession(id: string): Promise<CouncilSessionEntity> {
    const row = await this.dataSource.getRepository(CouncilSessionEntity).findOneBy({ id });
    if (!row) throw new NotFoundException(`council session ${id} not found`);
    return row;
  }

  /**
   * Waits until a condition holds in the read model (the workflow's first writes after a start),
   * so the client can read what it just created.
   */
  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    if (!(await this.settle(check, timeoutMs))) throw new ServiceUnavailableException(`${what} was accepted but is not visible yet; is the worker running?`);
  }

  /**
   * Gives the consequences of a decision in other workflows (a closed vote moves every
   * nomination) a moment to reach the read model. Returns false when they have not yet.
   */
  async settle(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
      if (await check()) return true;
      if (Date.now() > until) return false;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
