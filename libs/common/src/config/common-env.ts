import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
} from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { ValidatorConstraint } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

@ValidatorConstraint({ name: 'timeZone' })
export class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'must be an IANA time zone such as Asia/Shanghai';
  }
}

/** A postgres:// URL the drivers can parse (a stray % in the password otherwise fails deep in TypeORM). */
@ValidatorConstraint({ name: 'postgresUrl' })
export class IsPostgresUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^postgres(ql)?:\/\//.test(value)) return false;
    try {
      const url = new URL(value);
      decodeURIComponent(url.username);
      decodeURIComponent(url.password);
      decodeURIComponent(url.pathname);
      return url.hostname !== '' || url.searchParams.has('host');
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'DATABASE_URL must be a postgres://user:password@host:port/database URL (percent-encode special characters)';
  }
}

/** Reads the raw variable (before implicit conversion, which would make 'false' truthy). */
export function EnvBoolean(fallback: boolean) {
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key];
    if (raw === undefined || raw === '') return fallback;
    if (typeof raw === 'boolean') return raw;
    if (/^(true|1|yes|on)$/i.test(String(raw))) return true;
    if (/^(false|0|no|off)$/i.test(String(raw))) return false;
    return raw;
  });
}

/** Variables both apps read. */
export class CommonEnv {
  @IsString()
  @Validate(IsPostgresUrl)
  DATABASE_URL!: string;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @EnvBoolean(false)
  @IsBoolean()
  LOG_PRETTY: boolean = false;

  @Validate(IsTimeZone)
  TZ_BUSINESS: string = 'Asia/Shanghai';

  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE: number = 10;

  @EnvBoolean(true)
  @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  /**
   * On SIGTERM, readiness answers 503 (`shutting_down`) at once while the app keeps serving this long, so a
   * load balancer takes the replica out before it closes; then in-flight requests finish and it stops.
   */
  @IsInt()
  @Min(0)
  @Max(120_000)
  SHUTDOWN_GRACE_MS: number = 0;

  /** Set by `npm start` and the test harness: the app exits when that process is gone. */
  @IsOptional()
  @IsInt()
  SUPERVISOR_PID?: number;

  /** Optional shared secret on the gateway ↔ workflow link (DESIGN §1). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  WORKFLOW_LINK_SECRET?: string;

  /** How the gateway reaches the workflow app: Nest TCP to one host (default) or NATS (queue group of replicas). */
  @IsIn(['tcp', 'nats'])
  WORKFLOW_TRANSPORT: 'tcp' | 'nats' = 'tcp';

  /** NATS servers (comma-separated URLs), used when WORKFLOW_TRANSPORT=nats. */
  @IsString()
  NATS_SERVERS: string = 'nats://127.0.0.1:4222';

  /** Subjects are `<prefix>.<pattern>`: one NATS cluster can carry several deployments (staging, prod). */
  @Matches(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
    message: 'NATS_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, _ and -',
  })
  NATS_SUBJECT_PREFIX: string = 'flowdesk';

  /** When set, GET /metrics needs `Authorization: Bearer <token>` (gateway and workflow HTTP port). */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  // OpenTelemetry tracing: off unless an exporter or an OTLP endpoint is named (standard variables; the
  // SDK also reads the other OTEL_* ones itself, e.g. OTEL_BSP_SCHEDULE_DELAY, OTEL_RESOURCE_ATTRIBUTES).
  @EnvBoolean(false)
  @IsBoolean()
  OTEL_SDK_DISABLED: boolean = false;

  @IsOptional()
  @IsString()
  OTEL_TRACES_EXPORTER?: string;

  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @IsOptional()
  @IsIn(['http/json', 'http/protobuf', 'grpc'])
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;

  /** Defaults to flowdesk-gateway / flowdesk-workflow. */
  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string;
}
