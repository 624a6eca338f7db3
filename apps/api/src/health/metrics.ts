/**
 * GET /api/v1/metrics: Prometheus text format. Public, like /health, so that a scraper needs no
 * token; it is served only on the API's own port (PORT) and reveals counts and timings, never
 * data. In production keep the path off the public reverse proxy (see README, "Operations and
 * security").
 */
import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/auth';
import { Metrics } from '../common/metrics';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus exposition format 0.0.4: http_request_duration_seconds, tdkt_workflow_updates_total, tdkt_workflow_starts_total, process_*' })
  async scrape(@Res() res: Response): Promise<void> {
    const body = await this.metrics.registry.metrics();
    res.status(200).type(this.metrics.registry.contentType).send(body);
  }
}
