import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import ipaddr from 'ipaddr.js';
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

/** The placeholder .env.example ships is public: in production it would let anyone sign tokens. */
const EXAMPLE_JWT_SECRET = 'change-me-to-at-least-32-random-bytes-of-secret';

@ValidatorConstraint({ name: 'notExampleSecret' })
class IsNotExampleSecret implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return (args.object as { NODE_ENV?: string }).NODE_ENV !== 'production' || value !== EXAMPLE_JWT_SECRET;
  }
  defaultMessage(): string {
    return 'JWT_SECRET is the placeholder of .env.example, refused in production (e.g. `openssl rand -base64 48`)';
  }
}

@ValidatorConstraint({ name: 'cidrList' })
class IsCidrList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseCidrList(value) !== null;
  }
  defaultMessage(): string {
    return 'TRUSTED_NETWORKS must be comma-separated CIDRs (10.0.0.0/8,192.168.1.7/32,fd00::/8)';
  }
}

/** `a.b.c.d/n, …` → parsed ranges; null if any entry is not a CIDR. */
export function parseCidrList(value: string): [ipaddr.IPv4 | ipaddr.IPv6, number][] | null {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return entries.map((entry) => ipaddr.parseCIDR(entry));
  } catch {
    return null;
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
  @Validate(IsNotExampleSecret)
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
   * API-wide rate limits (README "Rate limits"), shared by every gateway replica through PostgreSQL:
   * per route group, hits per RATE_LIMIT_WINDOW_SECONDS per caller (signed-in member or application
   * credential) and per client IP; more get 429 with Retry-After. 0 = no limit on that dimension.
   */
  @EnvBoolean(true)
  @IsBoolean()
  RATE_LIMIT_ENABLED: boolean = true;

  @IsInt()
  @Min(1)
  @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS: number = 60;

  /** /api/v1/auth/...: sign-in, refresh, logout, password change (sign-in attempts are also held by LOGIN_RATE_*) */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_AUTH_PER_CALLER: number = 600;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_AUTH_PER_IP: number = 6000;

  /** GET /api/v1/... (lists, records, reports) */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_READ_PER_CALLER: number = 12000;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_READ_PER_IP: number = 120000;

  /** POST/PUT/PATCH/DELETE /api/v1/... */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_WRITE_PER_CALLER: number = 6000;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_WRITE_PER_IP: number = 60000;

  /** /api/v1/.../export(s)/... */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_EXPORT_PER_CALLER: number = 300;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_EXPORT_PER_IP: number = 3000;

  /** the seed systems' paths (everything outside /api/v1) */
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_LEGACY_PER_CALLER: number = 12000;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_LEGACY_PER_IP: number = 120000;

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

  /**
   * How long a page of the definitions list is kept in memory. Any change to the definitions is pushed to
   * every replica at once (PostgreSQL LISTEN/NOTIFY), so this only bounds how long a lost notification
   * could go unnoticed; 0 asks the workflow app on every request.
   */
  @IsInt()
  @Min(0)
  @Max(3600)
  DEFINITION_LIST_CACHE_SECONDS: number = 60;

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

  /**
   * How often the gateway pulls workflow events (ms) when the last round was empty; 0 = off on this
   * replica. Each fetch waits in the workflow app up to this long (at most half WORKFLOW_TIMEOUT_MS)
   * for events committed there, and hands them out at once.
   */
  @IsInt()
  @Min(0)
  @Max(600_000)
  WORKFLOW_EVENTS_POLL_MS: number = 500;

  /** Deliveries of one workflow event before it is parked as a dead letter (GET /api/v1/admin/dead-letters). */
  @IsInt()
  @Min(1)
  @Max(100)
  WORKFLOW_EVENTS_MAX_ATTEMPTS: number = 8;

  /** Backoff of a failed workflow event: base × 2^(attempt−1) ms, at most WORKFLOW_EVENTS_RETRY_MAX_MS. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  WORKFLOW_EVENTS_RETRY_BASE_MS: number = 1000;

  @IsInt()
  @Min(0)
  @Max(3_600_000)
  WORKFLOW_EVENTS_RETRY_MAX_MS: number = 300_000;

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

  /**
   * `Secure` on the legacy session cookie (seeds 000/001, A-24): `auto` = only when the request came over
   * HTTPS (directly, or `X-Forwarded-Proto: https` with TRUST_PROXY), so plain-HTTP intranet clients keep
   * their session; `always` / `never` force it.
   */
  @IsIn(['auto', 'always', 'never'])
  LEGACY_COOKIE_SECURE: 'auto' | 'always' | 'never' = 'auto';

  /**
   * Seed-002 trusted callers (README "Seed-002 back-end callers"): networks whose uncredentialed calls to
   * the /flow, /message, /dataSync and /dingtalk routes act as TRUSTED_NETWORK_SERVICE. Empty = off.
   */
  @IsOptional()
  @Validate(IsCidrList)
  TRUSTED_NETWORKS?: string;

  /** serverID of the registered service such calls act as (its permissions and data scope apply). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  TRUSTED_NETWORK_SERVICE?: string;

  /** Kingdee K/3 Cloud WebAPI base (`http(s)://host/k3cloud/`); unset = ERP sync off (docs/integrations.md). */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'ERP_K3_URL must be an http(s) URL' })
  ERP_K3_URL?: string;

  /** The K/3 Cloud data centre (acctid). */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  ERP_K3_ACCT_ID?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  ERP_K3_USERNAME?: string;

  /** Password sign-in (AuthService.ValidateUser) … */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  ERP_K3_PASSWORD?: string;

  /** … or app-secret sign-in (AuthService.LoginByAppSecret) when both are set. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  ERP_K3_APP_ID?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  ERP_K3_APP_SECRET?: string;

  @IsInt()
  @Min(1)
  @Max(99_999)
  ERP_K3_LCID: number = 2052;

  /** Rows per ExecuteBillQuery page (Limit); sources give 2,000 to 10,000 as the server maximum. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  ERP_SYNC_PAGE_SIZE: number = 2000;

  /** The date field that bounds both windows (create: two years, update: ERP_SYNC_UPDATE_MONTHS). */
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, { message: 'ERP_SYNC_DATE_FIELD must be a field key' })
  ERP_SYNC_DATE_FIELD: string = 'FModifyDate';

  @IsInt()
  @Min(1)
  @Max(120)
  ERP_SYNC_UPDATE_MONTHS: number = 2;

  /** Comma-separated form ids a sync may name; empty = any well-formed form id. */
  @IsOptional()
  @IsString()
  ERP_SYNC_FORMS?: string;

  /** Time allowed to one upstream call (ERP, DingTalk), ms. */
  @IsInt()
  @Min(100)
  @Max(300_000)
  UPSTREAM_TIMEOUT_MS: number = 15_000;

  /** DingTalk open platform (`https://oapi.dingtalk.com`); unset with the key = look-ups off. */
  @Matches(/^https?:\/\//, { message: 'DINGTALK_API_URL must be an http(s) URL' })
  DINGTALK_API_URL: string = 'https://oapi.dingtalk.com';

  @IsOptional()
  @IsString()
  @MaxLength(128)
  DINGTALK_APP_KEY?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  DINGTALK_APP_SECRET?: string;

  /**
   * Serve /metrics on this port (at METRICS_HOST) instead of the public one. Unset: on the public port,
   * where NODE_ENV=production requires METRICS_TOKEN (else /metrics is not served there at all).
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;

  @IsString()
  METRICS_HOST: string = '127.0.0.1';

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED: 'true' | 'false' = 'true';

  /**
   * Set when browsers reach the gateway over HTTPS only (TLS here or at a proxy): adds HSTS and the
   * CSP's upgrade-insecure-requests. Off by default: over plain http://host:port (intranets) those two
   * make Chromium rewrite the Swagger UI's and console's own assets to https:// and they fail.
   */
  @EnvBoolean(false)
  @IsBoolean()
  HTTPS_ONLY: boolean = false;

  /**
   * Path browsers reach the staff console under (`<base href>`); change it when a reverse proxy
   * exposes the gateway under a prefix (`/flowdesk/console/`: the API is then expected at `/flowdesk/api/v1`).
   */
  @Matches(/^\/([\w.~-]+\/)*$/, { message: 'CONSOLE_BASE_PATH must start and end with / (e.g. /console/)' })
  @MaxLength(200)
  CONSOLE_BASE_PATH: string = '/console/';

  /** Folder of the built console (default: dist/console of this checkout); unset = that default. */
  @IsOptional()
  @IsString()
  CONSOLE_DIR?: string;

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

  /** How often this replica polls the message centre's send queue (ms); 0 = off on this replica. */
  @IsInt()
  @Min(0)
  @Max(600_000)
  MESSAGE_POLL_MS: number = 1000;

  /** First retry delay of a failed send (ms); the n-th retry waits base × 2^(n-1). */
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  MESSAGE_RETRY_BASE_MS: number = 30_000;

  /** Attempts before a send is marked failed. */
  @IsInt()
  @Min(1)
  @Max(20)
  MESSAGE_MAX_ATTEMPTS: number = 5;

  /** How long a replica keeps the channel settings and sensitive words (ms): a change made on another replica applies within it. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  MESSAGE_SETTINGS_TTL_MS: number = 5000;

  /** Folder of attachments on local disk (default: <DATA_DIR or .data>/attachments). */
  @IsOptional()
  @IsString()
  ATTACHMENTS_DIR?: string;

  /** Where new attachments go: `local` (ATTACHMENTS_DIR) or `s3` (any S3-compatible store, S3_* below). */
  @IsIn(['local', 's3'])
  ATTACHMENTS_STORAGE: 'local' | 's3' = 'local';

  /** S3 bucket of attachments (required when ATTACHMENTS_STORAGE=s3). */
  @ValidateIf((env: GatewayEnv) => env.ATTACHMENTS_STORAGE === 's3')
  @IsString()
  @MinLength(3)
  @MaxLength(63)
  S3_BUCKET?: string;

  /** Endpoint of an S3-compatible store (MinIO, OSS, COS, …); unset = AWS for S3_REGION. */
  @IsOptional()
  @IsString()
  S3_ENDPOINT?: string;

  @IsString()
  S3_REGION: string = 'us-east-1';

  /** Static credentials; unset = the AWS SDK's default chain (environment, profile, instance role). */
  @IsOptional()
  @IsString()
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  S3_SECRET_ACCESS_KEY?: string;

  /** Path-style URLs (`endpoint/bucket/key`), which MinIO and most self-hosted stores need. */
  @EnvBoolean(false)
  @IsBoolean()
  S3_FORCE_PATH_STYLE: boolean = false;

  /** Prefix of every attachment key in the bucket. */
  @IsString()
  @Matches(/^([A-Za-z0-9._-]+\/)*$/, { message: 'S3_PREFIX must be empty or end with / (a/b/)' })
  S3_PREFIX: string = 'attachments/';

  /**
   * Days the files of a soft-deleted CRM record are kept (a restore brings them back) before they are
   * purged from storage; 0 = kept as long as the record.
   */
  @IsInt()
  @Min(0)
  @Max(36_500)
  ATTACHMENT_RETENTION_DAYS: number = 0;

  /** How often this replica purges files whose record is gone (ms); 0 = off on this replica. */
  @IsInt()
  @Min(0)
  @Max(86_400_000)
  ATTACHMENT_PURGE_POLL_MS: number = 60_000;
}
