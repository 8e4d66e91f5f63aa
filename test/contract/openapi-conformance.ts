import { Ajv, type ValidateFunction } from 'ajv';
import * as formats from 'ajv-formats';

/*
 * Checks an answer against the gateway's own OpenAPI document the way outside tools do (Schemathesis'
 * response checks, a client generated from the document): for the operation and status, (1) not 5xx,
 * (2) the status is documented (exactly, as `4XX` or as `default`), (3) the Content-Type is one the
 * status documents, (4) the body validates against the documented schema. OpenAPI 3.0 schemas are
 * turned into JSON Schema (`nullable`, boolean `exclusiveMinimum`) and validated with Ajv.
 */

type Json = Record<string, unknown>;
interface Response {
  content?: Record<string, { schema?: Json }>;
}
interface Operation {
  operationId: string;
  responses?: Record<string, Response>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Json> };
}

export type MismatchKind = 'server-error' | 'status' | 'content-type' | 'not-json' | 'schema';
export interface Mismatch {
  kind: MismatchKind;
  operationId: string;
  method: string;
  path: string;
  status: number;
  detail: string;
  /** the start of the body, to see what was answered */
  body: string;
}
export interface Answer {
  method: string;
  /** the path template of the document, or a concrete URL (matched to its template) */
  path: string;
  status: number;
  contentType: string | null;
  /** the raw text of the body */
  text: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const DOC_ID = 'openapi.json';

/** OpenAPI 3.0 schema → JSON Schema (draft 7 as Ajv reads it). */
function toJsonSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, inner] of Object.entries(value as Json)) {
    if (key === 'example' || key === 'examples' || key === 'nullable') continue;
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/')) out.$ref = `${DOC_ID}${inner}`;
    else out[key] = toJsonSchema(inner);
  }
  for (const bound of ['Minimum', 'Maximum'] as const) {
    const flag = out[`exclusive${bound}`];
    if (typeof flag !== 'boolean') continue;
    delete out[`exclusive${bound}`];
    const limit = bound.toLowerCase();
    if (flag && typeof out[limit] === 'number') {
      out[`exclusive${bound}`] = out[limit];
      delete out[limit];
    }
  }
  return (value as Json).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

export class ResponseConformance {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction | null>();
  private readonly templates: Record<string, { pattern: RegExp; path: string; params: number }[]> = {};
  /** operation ids seen and answers checked, for the figures */
  readonly seen = new Map<string, number>();
  answers = 0;

  constructor(private readonly document: OpenApiDocument) {
    (formats as unknown as { default: (ajv: Ajv) => void }).default(this.ajv);
    this.ajv.addSchema(
      { $id: DOC_ID, components: { schemas: toJsonSchema(document.components?.schemas ?? {}) } },
      DOC_ID,
    );
    for (const [path, item] of Object.entries(document.paths))
      for (const method of METHODS)
        if (item[method])
          (this.templates[method] ??= []).push({
            pattern: new RegExp(
              `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`,
            ),
            path,
            params: (path.match(/\{/g) ?? []).length,
          });
    // a literal segment wins over a parameter (`/tasks/todo` before `/tasks/{id}`)
    for (const list of Object.values(this.templates)) list.sort((a, b) => a.params - b.params);
  }

  /** The document's path template of a concrete URL, or undefined. */
  templateOf(method: string, url: string): string | undefined {
    const path = url.split('?')[0].split('#')[0];
    return this.templates[method.toLowerCase()]?.find((t) => t.pattern.test(path))?.path;
  }

  /** The mismatches of one answer (none when it conforms); undefined when no operation serves it. */
  check(answer: Answer): Mismatch[] | undefined {
    const method = answer.method.toLowerCase();
    const path = this.document.paths[answer.path] ? answer.path : this.templateOf(method, answer.path);
    const operation = path ? (this.document.paths[path]?.[method] as Operation | undefined) : undefined;
    if (!path || !operation) return undefined;
    this.answers++;
    this.seen.set(operation.operationId, (this.seen.get(operation.operationId) ?? 0) + 1);
    const found: Mismatch[] = [];
    const report = (kind: MismatchKind, detail: string) =>
      found.push({
        kind,
        operationId: operation.operationId,
        method,
        path,
        status: answer.status,
        detail,
        body: answer.text.slice(0, 160),
      });
    if (answer.status >= 500) report('server-error', answer.text.slice(0, 160));
    const responses = operation.responses ?? {};
    const key = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) {
      report('status', `documents ${Object.keys(responses).join(', ')}`);
      return found;
    }
    const content = responses[key].content;
    if (!content || !Object.keys(content).length) return found;
    const mediaType = (answer.contentType ?? '').split(';')[0].trim().toLowerCase();
    const documented = Object.keys(content).find(
      (type) =>
        type === mediaType ||
        type === '*/*' ||
        (type.endsWith('/*') && mediaType.startsWith(type.slice(0, -1))),
    );
    if (!documented) {
      report('content-type', `${mediaType || 'none'}, documents ${Object.keys(content).join(', ')}`);
      return found;
    }
    if (!/json/.test(documented)) return found;
    const schema = content[documented].schema;
    if (!schema) return found;
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      report('not-json', answer.text.slice(0, 120));
      return found;
    }
    const validate = this.validator(`${method} ${path} ${key} ${documented}`, schema);
    if (validate && !validate(body))
      for (const error of validate.errors ?? []) {
        // anyOf of `nullable` repeats the real error; the inner one says which
        if (error.keyword === 'anyOf') continue;
        const params = JSON.stringify(error.params);
        report(
          'schema',
          `${error.instancePath || '/'} ${error.message ?? ''} ${params} (${error.schemaPath})`,
        );
      }
    return found;
  }

  private validator(key: string, schema: Json): ValidateFunction | null {
    if (!this.validators.has(key)) this.validators.set(key, this.ajv.compile(toJsonSchema(schema) as Json));
    return this.validators.get(key) ?? null;
  }
}

/**
 * One line per distinct mismatch (operation, status, kind, detail) with how often it was seen and the
 * first body that showed it.
 */
export function summarize(mismatches: Mismatch[]): string[] {
  const seen = new Map<string, { n: number; body: string }>();
  for (const m of mismatches) {
    const line = `${m.kind} ${m.operationId} ${m.method.toUpperCase()} ${m.path} → ${m.status}: ${m.detail}`;
    const entry = seen.get(line) ?? { n: 0, body: m.body };
    entry.n++;
    seen.set(line, entry);
  }
  return [...seen].map(([line, { n, body }]) => `${line}${n > 1 ? ` (×${n})` : ''} — ${body}`).sort();
}
