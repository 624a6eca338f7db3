/** The caller's in-app inbox of reminders (hộp thư nhắc việc): list, and mark as read. */
import { Controller, Get, HttpCode, Inject, Injectable, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { DataSource } from 'typeorm';
import { NotificationEntity } from '@tdkt/persistence';
import { Action, type ActionContext } from '../common/auth';
import { DATA_SOURCE } from '../common/tokens';

export class NotificationQueryDto {
  @ApiPropertyOptional({ description: 'only unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000) page?: number;
  @ApiPropertyOptional({ default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) pageSize?: number;
}

const view = (n: NotificationEntity) => ({
  id: n.id,
  kind: n.kind,
  unitCode: n.unitCode,
  subject: n.subject,
  body: n.body,
  link: n.link,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt ? n.readAt.toISOString() : null,
});

@Injectable()
export class NotificationsService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async list(username: string, q: NotificationQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const repo = this.dataSource.getRepository(NotificationEntity);
    const qb = repo.createQueryBuilder('n').where('n.username = :username', { username });
    if (q.unread) qb.andWhere('n.read_at IS NULL');
    const [rows, total] = await qb
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    const unread = await repo.createQueryBuilder('n').where('n.username = :username AND n.read_at IS NULL', { username }).getCount();
    return { items: rows.map(view), total, unread, page, pageSize };
  }

  async markRead(username: string, id: string) {
    if (!/^\d{1,18}$/.test(id)) throw new NotFoundException(`notification ${id} not found`);
    const repo = this.dataSource.getRepository(NotificationEntity);
    const n = await repo.findOneBy({ id: Number(id), username });
    if (!n) throw new NotFoundException(`notification ${id} not found`);
    if (!n.readAt) {
      await this.dataSource.query('UPDATE notification SET read_at = now() WHERE id = $1 AND read_at IS NULL', [id]);
      return view(await repo.findOneByOrFail({ id: Number(id) }));
    }
    return view(n);
  }
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  list(@Query() q: NotificationQueryDto, @Action() ctx: ActionContext) {
    return this.notifications.list(ctx.actor.username, q);
  }

  @Post(':id/read')
  @HttpCode(200)
  markRead(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.notifications.markRead(ctx.actor.username, id);
  }
}
