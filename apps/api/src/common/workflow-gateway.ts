/**
 * The API's only door to Temporal: starts workflows (a business key as workflow id, so a repeat
 * is a 409, never a second workflow) and executes updates, turning every refusal into the HTTP
 * status the client should see.
 */
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { isRejectionType, REJECTION_STATUS } from '@tdkt/contracts';
import { API_CONFIG, TEMPORAL_CLIENT } from './tokens';
import type { ApiConfig } from '../config';

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

function statusException(status: number, message: string): HttpException {
  if (status === 400) return new BadRequestException(message);
  if (status === 403) return new ForbiddenException(message);
  if (status === 404) return new NotFoundException(message);
  if (status === 409) return new ConflictException(message);
  return new HttpException(message, status);
}

/** Maps a Temporal client error to an HTTP error; rethrows what it does not know. */
export function toHttpError(err: unknown, what: string): never {
  if (err instanceof HttpException) throw err;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isRejectionType(cause.type)) throw statusException(REJECTION_STATUS[cause.type], cause.message);
    throw new ConflictException(`${what} was refused: ${cause?.message ?? err.message}`);
  }
  if (err instanceof WorkflowNotFoundError) throw new ConflictException(`${what}: the workflow is not running (already finished or not started)`);
  if (isGrpcServiceError(err)) {
    if (err.code === GRPC_UNAVAILABLE || err.code === GRPC_DEADLINE_EXCEEDED) {
      throw new ServiceUnavailableException('the workflow engine (Temporal) is unavailable; try again shortly');
    }
    if (err.code === 5 /* NOT_FOUND */) throw new ConflictException(`${what}: the workflow is not running (already finished or not started)`);
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/UNAVAILABLE|ECONNREFUSED|failed to connect|Connection refused/i.test(message)) {
    throw new ServiceUnavailableException('the workflow engine (Temporal) is unavailable; try again shortly');
  }
  throw err;
}

@Injectable()
export class WorkflowGateway {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  /** Starts a workflow whose id is a business key; 409 when it exists or existed. */
  async start(workflowType: string, workflowId: string, input: unknown, what: string): Promise<void> {
    try {
      await this.client.workflow.start(workflowType, {
        workflowId,
        taskQueue: this.config.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException(`${what} already exists`);
      toHttpError(err, what);
    }
  }

  /** Executes an update and returns its result; refusals become 400/403/409. */
  async update<Ret, Arg>(workflowId: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg, updateId: string | undefined, what: string): Promise<Ret> {
    try {
      return await this.client.workflow.getHandle(workflowId).executeUpdate(def, { args: [arg], updateId: updateId ?? randomUUID() });
    } catch (err) {
      toHttpError(err, what);
    }
  }

  /** True when Temporal answers. */
  async healthy(): Promise<boolean> {
    try {
      const connection = this.client.connection;
      await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }
}
