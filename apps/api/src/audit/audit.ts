/** Auditors' check of the whole decision chain (kiểm tra tính toàn vẹn của nhật ký). */
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { verifyAuditChain } from '@tdkt/persistence';
import { Roles } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Recomputes every link of the chain; names the first broken one. */
  @Get('verify')
  @Roles('AUDITOR', 'ADMIN')
  verify() {
    return verifyAuditChain(this.dataSource);
  }
}
