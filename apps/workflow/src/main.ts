import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { exitWithSupervisor, loadConfigOrExit } from '@app/common';
import { migrateSchema, WORKFLOW_SCHEMA } from '@app/database';
import { WorkflowAppModule } from './app.module';
import { WorkflowEnv } from './config/workflow.env';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit('workflow', WorkflowEnv);
  if (config.MIGRATIONS_RUN) await migrateSchema(WORKFLOW_SCHEMA, { url: config.DATABASE_URL });

  const app = await NestFactory.create<NestFastifyApplication>(
    WorkflowAppModule.forRoot(config),
    new FastifyAdapter(),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  exitWithSupervisor(app, config.SUPERVISOR_PID);
  app.connectMicroservice<MicroserviceOptions>(
    { transport: Transport.TCP, options: { host: config.WORKFLOW_TCP_HOST, port: config.WORKFLOW_TCP_PORT } },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen(config.WORKFLOW_HTTP_PORT, config.WORKFLOW_HTTP_HOST);
  app
    .get(Logger)
    .log(
      `workflow listening on tcp://${config.WORKFLOW_TCP_HOST}:${config.WORKFLOW_TCP_PORT}, health on http://${config.WORKFLOW_HTTP_HOST}:${config.WORKFLOW_HTTP_PORT}/health`,
    );
}

void bootstrap();
