import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import {
  bindOrExit,
  exitWithSupervisor,
  loadConfigOrExit,
  probeNats,
  reachOrExit,
  redactUrl,
  closeConnectionsWhenClosing,
  logRequests,
  QuietStartupLogger,
  serveTestReset,
} from '@app/common';
import { migrateSchema, probeDatabase, WORKFLOW_SCHEMA } from '@app/database';
import {
  initMetrics,
  observeHttp,
  registerPoolMetrics,
  serveMetricsRoute,
  startTracing,
} from '@app/observability';
import { DataSource } from 'typeorm';
import { WorkflowAppModule } from './app.module';
import { WorkflowEnv } from './config/workflow.env';
import { describeLink, LinkServerState, linkServerOptions } from './link/link-server';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('workflow', WorkflowEnv);
  initMetrics('workflow');
  startTracing(config, 'flowdesk-workflow');
  // a wrong or unreachable peer is one line naming its variable, not a driver's stack trace
  await reachOrExit('workflow', `the database of DATABASE_URL (${redactUrl(config.DATABASE_URL)})`, () =>
    probeDatabase(config.DATABASE_URL),
  );
  if (config.WORKFLOW_TRANSPORT === 'nats')
    await reachOrExit('workflow', `NATS at NATS_SERVERS (${config.NATS_SERVERS})`, () =>
      probeNats(config.NATS_SERVERS),
    );
  if (config.MIGRATIONS_RUN) await migrateSchema(WORKFLOW_SCHEMA, { url: config.DATABASE_URL });

  const app = await NestFactory.create<NestFastifyApplication>(
    WorkflowAppModule.forRoot(config),
    new FastifyAdapter({ genReqId: () => randomUUID() }),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  app.enableShutdownHooks();
  exitWithSupervisor(app, config.SUPERVISOR_PID);
  // Metrics on the internal HTTP port (no production rule: the port is not public; METRICS_TOKEN if set).
  const fastify = app.getHttpAdapter().getInstance();
  logRequests(fastify, PinoLogger.root);
  closeConnectionsWhenClosing(fastify);
  observeHttp(fastify);
  serveMetricsRoute(fastify, config.METRICS_TOKEN);
  registerPoolMetrics(app.get(DataSource));
  serveTestReset(fastify, config.NODE_ENV);
  app.connectMicroservice<MicroserviceOptions>(linkServerOptions(config, app.get(LinkServerState)), {
    inheritAppConfig: true,
  });
  await bindOrExit('workflow', describeLink(config), () => app.startAllMicroservices());
  await bindOrExit('workflow', `http://${config.WORKFLOW_HTTP_HOST}:${config.WORKFLOW_HTTP_PORT}`, () =>
    app.listen(config.WORKFLOW_HTTP_PORT, config.WORKFLOW_HTTP_HOST),
  );
  app
    .get(Logger)
    .log(
      `workflow serving commands on ${describeLink(config)}, health on http://${config.WORKFLOW_HTTP_HOST}:${config.WORKFLOW_HTTP_PORT}/api/v1/health/ready`,
    );
}

void bootstrap();
