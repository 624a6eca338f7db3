/**
 * Liveness and readiness of the API and its dependencies: 200 when Postgres and Temporal answer,
 * 503 otherwise. `/health` is the original check (kept for clients of API.md); `/health/ready`
 * is the readiness probe for a load balancer or orchestrator (same checks, `status: "ready"`).
 */
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { Public } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';
import { WorkflowGateway } from '../common/workflow-gateway';

type Up = 'up' | 'down';

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) db!: Up;
  @ApiProperty({ enum: ['up', 'down'] }) temporal!: Up;
}

export class ReadinessResponse {
  @ApiProperty({ enum: ['ready', 'unavailable'] }) status!: 'ready' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) db!: Up;
  @ApiProperty({ enum: ['up', 'down'] }) temporal!: Up;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly workflows: WorkflowGateway,
  ) {}

  private async check(): Promise<{ db: Up; temporal: Up; ok: boolean }> {
    const [db, temporal] = await Promise.all([
      this.dataSource.query('SELECT 1').then(
        () => 'up' as const,
        () => 'down' as const,
      ),
      this.workflows.healthy().then((ok) => (ok ? ('up' as const) : ('down' as const))),
    ]);
    return { db, temporal, ok: db === 'up' && temporal === 'up' };
  }

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'Postgres or Temporal does not answer' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const { db, temporal, ok } = await this.check();
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', db, temporal };
  }

  /** Readiness: send traffic here only when the database and Temporal both answer. */
  @Public()
  @Get('ready')
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse, description: 'Postgres or Temporal does not answer' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessResponse> {
    const { db, temporal, ok } = await this.check();
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'unavailable', db, temporal };
  }
}
