import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { finishDocument } from './openapi/finish-document';

export const SWAGGER_PATH = 'docs';

/** The OpenAPI document; also built without a database by `npm run api:generate` (scripts/api-generate.cjs). */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Flowdesk API')
    .setDescription(
      'Work orders, approvals (BPMN 2.0) and CRM. Every answer is `{ code, msg, data }`; the HTTP status agrees ' +
        'with `code` (200 ok, 4000 wrong call, 4001 no permission, 4002 account disabled, 4004 invalid token, ' +
        '404 not found, 4101 invalid parameter, 4090 conflict, 413 too large, 429 too many requests, ' +
        '5003 database failure, 5004 workflow service unavailable). Send `Accept-Language: en` for English messages ' +
        'and `Idempotency-Key` on retried writes.',
    )
    .setVersion(version)
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .build();
  return finishDocument(SwaggerModule.createDocument(app, config));
}

export function setupSwagger(app: INestApplication, version: string): void {
  // Built on the first request for /docs or /docs-json, not at boot: it is a seventh of the gateway's
  // start-up CPU, which every replica, restart and e2e test would pay (api:check builds it in CI).
  SwaggerModule.setup(SWAGGER_PATH, app, () => buildOpenApiDocument(app, version), {
    jsonDocumentUrl: `${SWAGGER_PATH}-json`,
    customSiteTitle: 'Flowdesk API',
    swaggerOptions: { filter: true, persistAuthorization: true, displayOperationId: true },
  });
}
