/** Liveness of the API and its dependencies: 200 when Postgres and Temporal answer, 503 otherwise. */
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { WorkflowGateway } from '../common/workflow-gateway';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly workflows: WorkflowGateway,
  ) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    const [db, temporal] = await Promise.all([
      this.dataSource.query('SELECT 1').then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      this.workflows.healthy().then((ok) => (ok ? ('up' as const) : ('down' as const))),
    ]);
    const ok = db === 'up' && temporal === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', db, temporal };
  }
}
