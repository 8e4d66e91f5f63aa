import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import {
  answerClientError,
  answerFrameworkError,
  appVersion,
  bindOrExit,
  exitWithSupervisor,
  loadConfigOrExit,
  probeNats,
  reachOrExit,
  redactUrl,
  closeConnectionsWhenClosing,
  logRequests,
  QuietStartupLogger,
  repoRoot,
  serveTestReset,
  REQUEST_ID_HEADER,
  requestContextHook,
} from '@app/common';
import { CORE_SCHEMA, migrateSchema, probeDatabase } from '@app/database';
import {
  initMetrics,
  observeHttp,
  startTracing,
  traceHttp,
  registerPoolMetrics,
  serveMetricsPort,
  serveMetricsRoute,
} from '@app/observability';
import { DataSource } from 'typeorm';
import { GatewayModule } from './app.module';
import { GatewayEnv } from './config/gateway.env';
import { CONSOLE_MOUNT, setupConsole } from './console/console.static';
import { helmetOptions, useSecurityHeaders } from './security-headers';
import { setupSwagger } from './swagger';
import { boundUnreadBodies } from './uploads/unread-body';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('gateway', GatewayEnv);
  initMetrics('gateway');
  const tracing = startTracing(config, 'flowdesk-gateway');
  // a wrong or unreachable peer is one line naming its variable, not a driver's stack trace
  await reachOrExit('gateway', `the database of DATABASE_URL (${redactUrl(config.DATABASE_URL)})`, () =>
    probeDatabase(config.DATABASE_URL),
  );
  if (config.WORKFLOW_TRANSPORT === 'nats')
    await reachOrExit('gateway', `NATS at NATS_SERVERS (${config.NATS_SERVERS})`, () =>
      probeNats(config.NATS_SERVERS),
    );
  if (config.MIGRATIONS_RUN) await migrateSchema(CORE_SCHEMA, { url: config.DATABASE_URL });

  const adapter = new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    requestIdHeader: REQUEST_ID_HEADER,
    genReqId: () => randomUUID(),
    // Legacy clients call `/workflow/process/start/` with a trailing slash (seed 004).
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), adapter, {
    bufferLogs: true,
  });
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  app.enableShutdownHooks();
  exitWithSupervisor(app, config.SUPERVISOR_PID);

  const fastify = app.getHttpAdapter().getInstance();
  logRequests(fastify, PinoLogger.root);
  closeConnectionsWhenClosing(fastify);
  observeHttp(fastify);
  registerPoolMetrics(app.get(DataSource));
  serveTestReset(fastify, config.NODE_ENV);
  if (config.METRICS_PORT) {
    await bindOrExit(
      'gateway',
      `metrics on http://${config.METRICS_HOST}:${config.METRICS_PORT} (METRICS_PORT)`,
      () => serveMetricsPort(config.METRICS_PORT!, config.METRICS_HOST, config.METRICS_TOKEN),
    );
  } else if (config.METRICS_TOKEN || config.NODE_ENV !== 'production') {
    serveMetricsRoute(fastify, config.METRICS_TOKEN);
  } else {
    app
      .get(Logger)
      .warn('/metrics is off: on the public port in production it needs METRICS_TOKEN, or set METRICS_PORT');
  }
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!/^[\w.:-]{1,128}$/.test(request.id)) request.id = randomUUID();
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // log lines and link messages of a request carry its id (libs/common request-context.ts)
  fastify.addHook('onRequest', requestContextHook);
  // a refused or unread body is read only so far before the answer (every route, uploads included)
  boundUnreadBodies(fastify, config.UPLOAD_LIMIT_BYTES);
  // after the request id is settled: spans and the link carry it; no hooks at all when tracing is off
  if (tracing) traceHttp(fastify);
  // The HTTP status agrees with the envelope's code (DESIGN §2): a create answers 200 like any success.
  fastify.addHook('onSend', (_request, reply, _payload, done) => {
    if (reply.statusCode === 201) void reply.code(200);
    done();
  });
  await useSecurityHeaders(fastify, helmetOptions(config.HTTPS_ONLY));
  if (config.CORS_ORIGINS) app.enableCors({ origin: config.CORS_ORIGINS.split(',').map((o) => o.trim()) });
  if (config.SWAGGER_ENABLED === 'true') setupSwagger(app, appVersion());
  const consoleServed = await setupConsole(app, {
    dir: config.CONSOLE_DIR ?? join(repoRoot(), 'dist/console'),
    basePath: config.CONSOLE_BASE_PATH,
    timeZone: config.TZ_BUSINESS,
  });
  if (!consoleServed) app.get(Logger).warn('console not built (npm run build): /console/ is not served');

  await bindOrExit('gateway', `http://${config.HOST}:${config.PORT} (PORT, HOST)`, () =>
    app.listen(config.PORT, config.HOST),
  );
  app
    .get(Logger)
    .log(
      `gateway listening on http://${config.HOST}:${config.PORT} (Swagger UI at /docs${consoleServed ? `, console at ${CONSOLE_MOUNT}` : ''})`,
    );
}

void bootstrap();
