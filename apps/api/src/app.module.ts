/** The API's modules, wired to the real Postgres and Temporal given by the configuration. */
import { DynamicModule, Module, RequestMethod, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@tdkt/persistence';
import type { ApiConfig } from './config';
import { AuthGuard } from './common/auth';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { IdempotencyInterceptor } from './common/idempotency.interceptor';
import { ReadModel } from './common/read-model';
import { API_CONFIG, DATA_SOURCE, TEMPORAL_CLIENT } from './common/tokens';
import { WorkflowGateway } from './common/workflow-gateway';
import { AuditController, AuditService } from './audit/audit';
import { AuthController, AuthService, LoginThrottlerGuard } from './auth/auth';
import { Metrics } from './common/metrics';
import { MetricsController } from './health/metrics';
import { CampaignsController, CampaignsService } from './campaigns/campaigns';
import { RuleSetsController } from './rule-sets/rule-sets';
import { CouncilController, CouncilService } from './council/council';
import { GovernmentController, GovernmentService } from './government/government';
import { HealthController } from './health/health';
import { MeController, TasksService } from './me/tasks';
import { NominationsController, NominationsService } from './nominations/nominations';
import { NotificationsController, NotificationsService } from './notifications/notifications';
import { RegistryController, RegistryService } from './registry/registry';
import { WorkModule } from './work/work.module';
import { OrgController, OrgService } from './org/org';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

class Resources implements OnApplicationShutdown {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** What the process gives the app besides its configuration (tests read the logs here). */
export interface AppOptions {
  /** Where pino writes (stdout when absent). */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static register(config: ApiConfig, options: AppOptions = {}): DynamicModule {
    const pinoOptions: PinoHttpOptions = {
      level: config.logLevel,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      // Never log bodies (ballots, passwords) or credentials.
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    };
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: options.logDestination ? [pinoOptions, options.logDestination] : pinoOptions,
          // Every route, in Nest 11's path syntax (the default '*' is converted with a warning at each start).
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
        // Only the login route uses it (LoginThrottlerGuard); LOGIN_RATE_LIMIT=0 turns it off.
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: config.loginRateWindowSeconds * 1000, limit: Math.max(config.loginRateLimit, 1) }],
          skipIf: () => config.loginRateLimit === 0,
          errorMessage: `too many login attempts for this username from this address; try again in ${config.loginRateWindowSeconds} s`,
        }),
        JwtModule.register({ secret: config.jwtSecret, signOptions: { expiresIn: config.jwtTtlSeconds } }),
        WorkModule,
      ],
      controllers: [
        AuthController,
        HealthController,
        OrgController,
        CampaignsController,
        RuleSetsController,
        NominationsController,
        CouncilController,
        GovernmentController,
        AuditController,
        MeController,
        NotificationsController,
        RegistryController,
        MetricsController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: config },
        {
          provide: DATA_SOURCE,
          useFactory: async () => {
            try {
              return await createDataSource(config.databaseUrl).initialize();
            } catch (err) {
              throw new Error(`cannot connect to the database at DATABASE_URL (${redactUrl(config.databaseUrl)}): ${(err as Error).message}`);
            }
          },
        },
        {
          provide: TEMPORAL_CLIENT,
          // Lazy: the API starts even while Temporal is down; requests then get 503 and /health says so.
          useFactory: () => new Client({ connection: Connection.lazy({ address: config.temporalAddress }), namespace: config.temporalNamespace }),
        },
        Resources,
        Metrics,
        LoginThrottlerGuard,
        AuditService,
        ReadModel,
        WorkflowGateway,
        AuthService,
        OrgService,
        CampaignsService,
        NominationsService,
        CouncilService,
        GovernmentService,
        TasksService,
        NotificationsService,
        RegistryService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
      ],
    };
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable)';
  }
}
