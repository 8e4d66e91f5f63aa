import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';

/** The standard OTel variables that switch tracing on (read once, by loadConfig, into the app's config). */
export interface TracingSettings {
  OTEL_SDK_DISABLED?: boolean;
  OTEL_TRACES_EXPORTER?: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_SERVICE_NAME?: string;
}

/** Off by default: on when an exporter or an OTLP endpoint is named, unless OTEL_SDK_DISABLED=true. */
export function tracingWanted(settings: TracingSettings): boolean {
  if (settings.OTEL_SDK_DISABLED) return false;
  const exporters = (settings.OTEL_TRACES_EXPORTER ?? '').split(',').map((s) => s.trim());
  if (exporters.includes('none')) return false;
  return (
    exporters.some((e) => e !== '') ||
    !!settings.OTEL_EXPORTER_OTLP_ENDPOINT ||
    !!settings.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  );
}

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK (exporter, protocol, batching from the standard OTEL_* variables, e.g.
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/json). No auto-instrumentation: Flowdesk makes its own spans for
 * HTTP requests, link commands and engine steps, which is what a trace across the two apps needs.
 */
export function startTracing(settings: TracingSettings, defaultServiceName: string): boolean {
  if (sdk || !tracingWanted(settings)) return false;
  // Loaded only when tracing is on: the SDK and its exporters cost ~1 s of CPU at start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { NodeSDK: Sdk } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  sdk = new Sdk({ serviceName: settings.OTEL_SERVICE_NAME ?? defaultServiceName, instrumentations: [] });
  sdk.start();
  return true;
}

/** Flushes and stops the SDK (on shutdown: spans still in the batch are sent). */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}

/** Whether this process records spans: without an SDK every span is a no-op, so hot paths skip them. */
export function tracingOn(): boolean {
  return sdk !== undefined;
}

/** What `inSpan` hands its work when tracing is off (the API's own non-recording span). */
const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export const tracer = () => trace.getTracer('flowdesk');

/** W3C trace context (and the request id) as carried in a link message's `meta.trace`. */
export type TraceCarrier = Record<string, string>;

export function injectTrace(ctx: Context = context.active()): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(ctx, carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

export function extractTrace(carrier: unknown): Context {
  return carrier && typeof carrier === 'object'
    ? propagation.extract(ROOT_CONTEXT, carrier as TraceCarrier)
    : ROOT_CONTEXT;
}

/** Runs `work` in a span (a child of the active one); marks it failed when `work` throws. */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Record<string, string | number>; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  if (!sdk) return work(NO_SPAN);
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind, SpanStatusCode };

/** Flushes the spans still in the batch when the app closes (add to an app module's providers). */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }
}
