/**
 * Reads a multipart upload (one file in memory, field `file`) inside a guard, before the
 * Idempotency-Key interceptor fingerprints the request: the interceptor then sees the file.
 */
import { PayloadTooLargeException, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { lastValueFrom, of } from 'rxjs';

export class UploadReader {
  private multer?: NestInterceptor;

  constructor(private readonly fields: number) {}

  /** Parses the request's body into req.file; a file over `maxBytes` is a 413 with `tooLarge` as its message. */
  async read(ctx: ExecutionContext, maxBytes: number, tooLarge: string): Promise<void> {
    if (!this.multer) {
      const Upload = FileInterceptor('file', {
        limits: { fileSize: maxBytes, files: 1, fields: this.fields, fieldSize: 64 * 1024 },
        defParamCharset: 'utf8',
      });
      this.multer = new Upload();
    }
    try {
      await lastValueFrom(await this.multer.intercept(ctx, { handle: () => of(null) }));
    } catch (err) {
      if (err instanceof PayloadTooLargeException) throw new PayloadTooLargeException(tooLarge);
      throw err;
    }
  }
}
