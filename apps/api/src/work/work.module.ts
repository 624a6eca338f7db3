/**
 * The dossier's work tools: comments on a nomination and attachments to its dossier (see
 * dossier.ts for the rules). Plugged into AppModule with one import; the task-list tools
 * (claim, assign, hand over, plan) live with the task list in ../me/tasks.ts, and this module
 * also installs their enforcement: the global interceptor of ../me/task-claims.ts, which refuses
 * the action of a task someone else holds and clears a task's claim once it is done.
 */
import { BadRequestException, Body, Controller, Get, Module, Param, ParseUUIDPipe, Post, Res, StreamableFile, UploadedFile, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Response } from 'express';
import { Action, Roles, type ActionContext } from '../common/auth';
import { TaskClaimInterceptor } from '../me/task-claims';
import { AttachmentUploadGuard, ATTACHMENT_ROLES, COMMENT_ROLES, DossierService, type UploadedAttachment } from './dossier';
import { AttachmentItem, AttachmentList, CommentDto, CommentItem, CommentList } from './dto';
import { contentDisposition, FILE_TYPES } from './file-types';

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };
const attachmentIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException('attachmentId must be a UUID') });

@ApiTags('nominations')
@ApiBearerAuth()
@Controller('nominations')
export class DossierController {
  constructor(private readonly dossier: DossierService) {}

  @Post(':id/comments')
  @Roles(...COMMENT_ROLES)
  @ApiOperation({ summary: 'comment on a nomination (kept in its history as a COMMENT_ADDED event of the audit chain)' })
  @ApiCreatedResponse({ type: CommentItem })
  addComment(@Param('id') id: string, @Body() dto: CommentDto, @Action() ctx: ActionContext) {
    return this.dossier.addComment(id, dto.text, ctx.actor, ctx.requestId);
  }

  @Get(':id/comments')
  @ApiOperation({ summary: 'the comments on a nomination, oldest first' })
  @ApiOkResponse({ type: CommentList })
  comments(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.dossier.comments(id, ctx.actor);
  }

  @Post(':id/attachments')
  @Roles(...ATTACHMENT_ROLES)
  @UseGuards(AttachmentUploadGuard)
  @ApiOperation({
    summary: 'attach a file to the dossier (PDF, DOCX, XLSX, JPEG or PNG by default, checked by content; at most ATTACHMENT_MAX_BYTES, 10 MiB by default)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: AttachmentItem })
  @ApiResponse({ status: 415, description: 'a file type that is not accepted, or content that is not what its name or declared type says', content: ERROR_CONTENT })
  addAttachment(@Param('id') id: string, @UploadedFile() file: UploadedAttachment | undefined, @Action() ctx: ActionContext) {
    return this.dossier.addAttachment(id, file, ctx.actor, ctx.requestId);
  }

  @Get(':id/attachments')
  @ApiOperation({ summary: "the files of a nomination's dossier" })
  @ApiOkResponse({ type: AttachmentList })
  attachments(@Param('id') id: string, @Action() ctx: ActionContext) {
    return this.dossier.attachments(id, ctx.actor);
  }

  @Get(':id/attachments/:attachmentId')
  @ApiOperation({ summary: 'download a file of the dossier; 409 when its bytes no longer match the SHA-256 recorded in the audit chain' })
  @ApiProduces(...FILE_TYPES.map((t) => t.mime))
  @ApiOkResponse({
    description: 'the file, with Content-Disposition (filename*=UTF-8) and Repr-Digest (its SHA-256)',
    content: Object.fromEntries(FILE_TYPES.map((t) => [t.mime, { schema: { type: 'string', format: 'binary' } }])),
  })
  @ApiResponse({ status: 400, description: 'attachmentId is not a UUID', content: ERROR_CONTENT })
  async download(
    @Param('id') id: string,
    @Param('attachmentId', attachmentIdPipe) attachmentId: string,
    @Action() ctx: ActionContext,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { item, bytes } = await this.dossier.download(id, attachmentId, ctx.actor);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(item.sha256, 'hex').toString('base64')}:`);
    return new StreamableFile(bytes, { type: item.contentType, length: bytes.length, disposition: contentDisposition(item.fileName) });
  }
}

@Module({
  controllers: [DossierController],
  providers: [DossierService, AttachmentUploadGuard, { provide: APP_INTERCEPTOR, useClass: TaskClaimInterceptor }],
})
export class WorkModule {}
