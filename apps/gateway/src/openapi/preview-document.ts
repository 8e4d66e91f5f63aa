import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { appVersion } from '@app/common';
import { GatewayModule } from '../app.module';
import { GatewayEnv } from '../config/gateway.env';
import { buildOpenApiDocument } from '../swagger';

/**
 * The gateway's OpenAPI document without a database or workflow app: Nest's preview mode scans the
 * modules and runs no provider. Used by `npm run api:generate` / `api:check` and the contract tests.
 */
export async function previewOpenApiDocument(): Promise<OpenAPIObject> {
  // Preview mode never connects: these values only satisfy the module factories.
  const config = Object.assign(new GatewayEnv(), {
    DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
    JWT_SECRET: 'preview-only-secret-preview-only-secret',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create(GatewayModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  try {
    return buildOpenApiDocument(app, appVersion());
  } finally {
    await app.close();
  }
}
