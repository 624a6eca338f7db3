/** Comments on a nomination and attachments to its dossier: inputs and answers. */
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { ATTACHMENT_KINDS, type AttachmentKind } from '@tdkt/persistence';
import { IsNotBlank } from '../common/validation';

export class CommentDto {
  @ApiProperty({ example: 'Đề nghị bổ sung báo cáo thành tích năm 2025', minLength: 1, maxLength: 5000, description: 'not blank' })
  @IsString()
  @IsNotBlank()
  @MaxLength(5000)
  text!: string;
}

export class CommentItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026:KV-TP-TW:STP-HN' }) nominationId!: string;
  @ApiProperty({ example: 'Đề nghị bổ sung báo cáo thành tích năm 2025' }) text!: string;
  @ApiProperty({ example: 'vutdkt' }) author!: string;
  @ApiProperty({ type: String, nullable: true, example: 'DEPARTMENT_REVIEWER' }) role!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) unitCode!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'DEPARTMENT_REVIEW', description: 'the nomination’s stage when the comment was made' }) stage!: string | null;
  @ApiProperty({ description: 'the comment’s event in the audit chain' }) seq!: number;
  @ApiProperty() hash!: string;
}

export class CommentList {
  @ApiProperty({ type: [CommentItem] }) items!: CommentItem[];
}

export class AttachmentItem {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2026:KV-TP-TW:STP-HN' }) nominationId!: string;
  @ApiProperty({ example: 'Báo cáo thành tích năm 2025.pdf' }) fileName!: string;
  @ApiProperty({ example: 'application/pdf' }) contentType!: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS }) kind!: AttachmentKind;
  @ApiProperty({ example: 48213 }) size!: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }) sha256!: string;
  @ApiProperty({ example: 'canbo.stp-hn' }) uploadedBy!: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt!: string;
  @ApiProperty({ description: 'the ATTACHMENT_ADDED event of the audit chain that records the file' }) auditSeq!: number;
}

export class AttachmentList {
  @ApiProperty({ type: [AttachmentItem] }) items!: AttachmentItem[];
}
