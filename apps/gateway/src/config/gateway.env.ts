import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { CommonEnv, EnvBoolean } from '@app/common';

@ValidatorConstraint({ name: 'minBytes32' })
class HasAtLeast32Bytes implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Buffer.byteLength(value, 'utf8') >= 32;
  }
  defaultMessage(): string {
    return 'JWT_SECRET must be at least 32 bytes (e.g. `openssl rand -base64 48`)';
  }
}

/** Every variable the gateway reads; validated once at boot (see .env.example). */
export class GatewayEnv extends CommonEnv {
  @IsString()
  HOST: string = '0.0.0.0';

  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 3000;

  @Validate(HasAtLeast32Bytes)
  JWT_SECRET!: string;

  @IsInt()
  @Min(60)
  @Max(86_400)
  JWT_ACCESS_TTL_SECONDS: number = 7200;

  /** Lifetime of a sign-in session: its refresh token stops working after this many seconds. */
  @IsInt()
  @Min(300)
  @Max(90 * 86_400)
  REFRESH_TOKEN_TTL_SECONDS: number = 14 * 86_400;

  /** Login attempts (any outcome) allowed per client IP per window; more get 429. */
  @IsInt()
  @Min(1)
  @Max(100_000)
  LOGIN_RATE_IP_LIMIT: number = 30;

  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_RATE_IP_WINDOW_SECONDS: number = 60;

  /** Failed sign-ins (and wrong old passwords) allowed per account per window; more get 429. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_RATE_ACCOUNT_LIMIT: number = 5;

  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_RATE_ACCOUNT_WINDOW_SECONDS: number = 900;

  /**
   * How long a resolved caller (session, roles, permissions, departments) is kept in memory. Changes
   * invalidate it at once on every replica (PostgreSQL LISTEN/NOTIFY); 0 turns the cache off.
   */
  @IsInt()
  @Min(0)
  @Max(3600)
  AUTH_CACHE_TTL_SECONDS: number = 60;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  AUTH_CACHE_MAX_ENTRIES: number = 10_000;

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  ADMIN_ACCOUNT: string = 'admin';

  /** Password of the admin seeded on first start; a random one is generated and printed when unset. */
  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;

  @IsString()
  WORKFLOW_HOST: string = '127.0.0.1';

  @IsInt()
  @Min(1)
  @Max(65535)
  WORKFLOW_TCP_PORT: number = 3001;

  /** How long a workflow route waits for the workflow app before answering 5004. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  WORKFLOW_TIMEOUT_MS: number = 5000;

  /** How often the gateway pulls workflow events (ms) when the last round was empty; 0 = off on this replica. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  WORKFLOW_EVENTS_POLL_MS: number = 500;

  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  @IsInt()
  @Min(1024)
  @Max(512 * 1024 * 1024)
  UPLOAD_LIMIT_BYTES: number = 10 * 1024 * 1024;

  /** Comma-separated origins allowed by CORS; empty = CORS off. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  @EnvBoolean(false)
  @IsBoolean()
  TRUST_PROXY: boolean = false;

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED: 'true' | 'false' = 'true';

  /** Webhook targets on loopback, private, link-local or unique-local addresses are refused unless this is true (tests, on-premise receivers). */
  @EnvBoolean(false)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean = false;

  /** How often this replica polls the webhook delivery queue (ms); 0 = off on this replica. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  WEBHOOK_POLL_MS: number = 1000;

  /** First retry delay of a failed delivery (ms); the n-th retry waits base × 2^(n-1). */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS: number = 10_000;

  /** Attempts before a delivery is marked failed. */
  @IsInt()
  @Min(1)
  @Max(50)
  WEBHOOK_MAX_ATTEMPTS: number = 8;

  /** Time allowed to a receiver to answer one attempt (ms). */
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 5000;
}
