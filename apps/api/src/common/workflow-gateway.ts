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
  Logger,
  NotFoundException,
  Optional,
  ServiceUnavailableException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { isRejectionType, REJECTION_STATUS } from '@tdkt/contracts';
import { API_CONFIG, TEMPORAL_CLIENT } from './tokens';
import type { ApiConfig } from '../config';
import { Metrics, type WorkflowOutcome } from './metrics';

/** accepted, rejected (a 4xx the client caused) or error (Temporal down, a bug). */
function outcomeOf(err: unknown): WorkflowOutcome {
  return err instanceof HttpException && err.getStatus() < 500 ? 'rejected' : 'error';
}

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
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    // Accepted or not, the decision is still under way (a busy workflow): the same request with the
    // same Idempotency-Key later gets its result, never a second decision.
    throw new ServiceUnavailableException(`${what} is taking longer than expected; retry the same request (same Idempotency-Key) shortly`);
  }
  if (err instanceof WorkflowNotFoundError) throw new ConflictException(`${what}: the workflow is not running (already finished or not started)`);
  // The client wraps the gRPC error (ServiceError "Failed to …" with the gRPC status as its cause).
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) {
      if (e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED) {
        throw new ServiceUnavailableException('the workflow engine (Temporal) is unavailable; try again shortly');
      }
      if (e.code === 5 /* NOT_FOUND */) throw new ConflictException(`${what}: the workflow is not running (already finished or not started)`);
    }
    const message = e instanceof Error ? e.message : String(e);
    if (/UNAVAILABLE|ECONNREFUSED|failed to connect|Connection refused/i.test(message)) {
      throw new ServiceUnavailableException('the workflow engine (Temporal) is unavailable; try again shortly');
    }
  }
  throw err;
}

@Injectable()
export class WorkflowGateway {
  /** Logged within the request, so each line carries the request id next to the workflow id (never the arguments). */
  private readonly logger = new Logger('workflow');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  /** Counts and logs what became of a start, an execution or an update (observability only). */
  private async observe<T>(kind: 'start' | 'execute' | 'update', name: string, workflowId: string, extra: Record<string, string>, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let outcome: WorkflowOutcome = 'accepted';
    let status: number | undefined;
    try {
      return await run();
    } catch (err) {
      outcome = outcomeOf(err);
      if (err instanceof HttpException) status = err.getStatus();
      throw err;
    } finally {
      if (kind === 'update') this.metrics?.workflowUpdates.inc({ update: name, outcome });
      else this.metrics?.workflowStarts.inc({ workflow_type: name, outcome });
      const fields = { workflowId, [kind === 'update' ? 'update' : 'workflowType']: name, ...extra, outcome, durationMs: Date.now() - started, ...(status ? { status } : {}) };
      const message = `workflow ${kind} ${name} on ${workflowId}: ${outcome}`;
      if (outcome === 'error') this.logger.warn(fields, message);
      else this.logger.log(fields, message);
    }
  }

  /** Starts a workflow whose id is a business key; 409 when it exists or existed. */
  async start(workflowType: string, workflowId: string, input: unknown, what: string): Promise<void> {
    return this.observe('start', workflowType, workflowId, {}, () => this.doStart(workflowType, workflowId, input, what));
  }

  private async doStart(workflowType: string, workflowId: string, input: unknown, what: string): Promise<void> {
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

  /** Runs a short workflow to its end and returns its result; its refusals become 400/403/409. */
  async execute<R>(workflowType: string, workflowId: string, input: unknown, what: string): Promise<R> {
    return this.observe('execute', workflowType, workflowId, {}, () => this.doExecute<R>(workflowType, workflowId, input, what));
  }

  private async doExecute<R>(workflowType: string, workflowId: string, input: unknown, what: string): Promise<R> {
    try {
      return (await this.client.workflow.execute(workflowType, {
        workflowId,
        taskQueue: this.config.taskQueue,
        args: [input],
        // Once recorded, never again; after a failure (e.g. a crash mid-way) it may be retried.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowExecutionTimeout: '2 minutes',
      })) as R;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException(`${what} has already been recorded`);
      if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && isRejectionType(err.cause.type)) {
        throw statusException(REJECTION_STATUS[err.cause.type], err.cause.message);
      }
      toHttpError(err, what);
    }
  }

  /** Executes an update and returns its result; refusals become 400/403/409. */
  async update<Ret, Arg>(workflowId: string, def: UpdateDefinition<Ret, [Arg]>, arg: Arg, updateId: string | undefined, what: string): Promise<Ret> {
    const id = updateId ?? randomUUID();
    return this.observe('update', def.name, workflowId, { updateId: id }, async () => {
      try {
        return await this.client.workflow.getHandle(workflowId).executeUpdate(def, { args: [arg], updateId: id });
      } catch (err) {
        toHttpError(err, what);
      }
    });
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
