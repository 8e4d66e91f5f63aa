import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';
import {
  AccessTokenService,
  hashPassword,
  type Principal,
  verifyMd5Password,
  verifyPassword,
} from '@app/auth';
import { GatewayEnv } from '../../config/gateway.env';
import { sha256Hex } from '../access/principal.loader';
import { AuditAction, AuditService } from '../audit/audit.service';
import { IdentityException, IdentityReason } from '../identity.exception';
import type { ClientContext } from '../shared/client-context';
import { IdentityChangeFeed } from '../shared/identity-change-feed';
import type { ChangePasswordDto, LoginDto, TokenPairDto } from './auth.dto';
import { AuthRepository, type SignInCandidate } from './auth.repository';
import { LoginRateLimiter } from './login-rate-limiter';
import { type RevokeReason, SessionRepository, splitRefreshToken } from './session.repository';

type PasswordCheck = (password: string, hash: string) => Promise<boolean>;

/**
 * Sign-in, refresh, sign-out and password changes. Unknown account, wrong password and an account
 * without a password answer alike (4004 BAD_CREDENTIALS) after the same Argon2id work; a disabled
 * account answers 4002 only to the right password, so status is not an oracle either.
 */
@Injectable()
export class AuthService {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly credentials: AuthRepository,
    private readonly tokens: AccessTokenService,
    private readonly sessions: SessionRepository,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
    private readonly feed: IdentityChangeFeed,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  login(dto: LoginDto, client: ClientContext): Promise<TokenPairDto> {
    return this.signIn(dto.account.trim(), dto.password, verifyPassword, client, 'password', (account) =>
      this.credentials.candidateByAccountOrPhone(account),
    );
  }

  /**
   * The legacy sales-assistant login (seed 003, A-03, A-56): the client sends md5(password) as hex and
   * names itself by account name, phone, employee code (`AA1611`) or its digits (`1611`). It checks
   * the same stored hash and shares the rate limits; the platform login never accepts a digest.
   */
  loginWithMd5Password(
    identifier: string,
    passwordMd5: string,
    client: ClientContext,
  ): Promise<TokenPairDto> {
    return this.signIn(identifier.trim(), passwordMd5, verifyMd5Password, client, 'md5', (id) =>
      this.findForLegacyLogin(id),
    );
  }

  async refresh(refreshToken: string, client: ClientContext): Promise<TokenPairDto> {
    const parts = splitRefreshToken(refreshToken);
    const invalid = () =>
      new IdentityException(
        ErrorCode.InvalidToken,
        IdentityReason.RefreshTokenInvalid,
        'invalid or expired refresh token',
      );
    if (!parts) throw invalid();
    let reused: string | null = null;
    const result = await this.feed.transaction(async (manager, changed) => {
      const session = await this.sessions.lockForRefresh(manager, parts.sessionId);
      if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= Date.now()) return null;
      if (sha256Hex(parts.secret) !== session.refreshHash) {
        // An old refresh token came back: someone holds a copy. End the session for everyone.
        await this.sessions.revoke(manager, session.id, 'refresh_reuse');
        changed({ kind: 'session', id: session.id });
        reused = session.staffId;
        return null;
      }
      const staff = await this.credentials.findStaff(session.staffId, manager);
      if (!staff || staff.status === 'deleted') return null;
      if (staff.status === 'disabled') throw IdentityException.disabled();
      const nextRefresh = await this.sessions.rotate(manager, session.id);
      return this.tokenPair(staff, session.id, nextRefresh, session.expiresAt);
    });
    if (reused) {
      await this.audit.record({
        action: AuditAction.RefreshReuse,
        actor: null,
        subjectStaffId: reused,
        target: { type: 'session', id: parts.sessionId },
        client,
      });
    }
    if (!result) throw invalid();
    return result;
  }

  async logout(principal: Principal, client: ClientContext): Promise<void> {
    if (!principal.sessionId) return;
    const sessionId = principal.sessionId;
    await this.feed.transaction(async (manager, changed) => {
      await this.sessions.revoke(manager, sessionId, 'logout');
      changed({ kind: 'session', id: sessionId });
      await this.audit.record(
        {
          action: AuditAction.Logout,
          actor: principal.actor,
          subjectStaffId: principal.staffId,
          target: { type: 'session', id: sessionId },
          client,
        },
        manager,
      );
    });
  }

  /**
   * Own password change: old + new. Every session of the member ends — tokens issued before the
   * change are refused — and the caller gets a fresh session in the answer. Wrong old passwords count
   * against the account's sign-in limit.
   */
  async changePassword(
    principal: Principal,
    dto: ChangePasswordDto,
    client: ClientContext,
  ): Promise<TokenPairDto> {
    const staffId = principal.staffId!;
    const limiterKey = `staff:${staffId}`; // shared with sign-in failures of this member
    await this.limiter.hitAccount(limiterKey);
    const staff = await this.credentials.findStaff(staffId);
    if (!staff) throw IdentityException.revoked();
    if (!staff.passwordHash || !(await verifyPassword(dto.oldPassword, staff.passwordHash))) {
      await this.audit.record({
        action: AuditAction.PasswordChangeFailed,
        actor: principal.actor,
        subjectStaffId: staffId,
        client,
      });
      throw AppException.invalid([
        { field: 'oldPassword', reason: 'oldPassword is not the current password' },
      ]);
    }
    if (dto.newPassword === dto.oldPassword) {
      throw AppException.invalid([
        { field: 'newPassword', reason: 'newPassword must differ from oldPassword' },
      ]);
    }
    await this.limiter.clearAccount(limiterKey);
    const passwordHash = await hashPassword(dto.newPassword);
    return this.feed.transaction(async (manager, changed) => {
      await this.credentials.setPassword(manager, staffId, passwordHash, false);
      const ended = await this.sessions.revokeAllOf(manager, staffId, 'password_changed');
      changed({ kind: 'staff', id: staffId });
      await this.audit.record(
        {
          action: AuditAction.PasswordChanged,
          actor: principal.actor,
          subjectStaffId: staffId,
          client,
          detail: { sessionsEnded: ended },
        },
        manager,
      );
      const session = await this.sessions.open(
        manager,
        staffId,
        this.config.REFRESH_TOKEN_TTL_SECONDS,
        client,
      );
      return this.tokenPair(
        { id: staffId, mustChangePassword: false },
        session.sessionId,
        session.refreshToken,
        session.expiresAt,
      );
    });
  }

  /** Ends every session of a member (disabled, deleted): their tokens stop working at once. */
  endSessionsOf(manager: EntityManager, staffId: string, reason: RevokeReason): Promise<number> {
    return this.sessions.revokeAllOf(manager, staffId, reason);
  }

  /**
   * Sets a member's password on an administrator's behalf (the caller checked permission and scope).
   * Without a password a random one is generated and returned once. Ends all the member's sessions.
   */
  async setPasswordByAdmin(
    manager: EntityManager,
    staffId: string,
    password: string | undefined,
    mustChangePassword: boolean,
  ): Promise<{ temporaryPassword?: string; sessionsEnded: number }> {
    const chosen = password ?? generatePassword();
    await this.credentials.setPassword(manager, staffId, await hashPassword(chosen), mustChangePassword);
    const sessionsEnded = await this.sessions.revokeAllOf(manager, staffId, 'password_reset');
    return { ...(password === undefined ? { temporaryPassword: chosen } : {}), sessionsEnded };
  }

  private async signIn(
    identifier: string,
    secret: string,
    check: PasswordCheck,
    client: ClientContext,
    method: 'password' | 'md5',
    find: (identifier: string) => Promise<SignInCandidate | null>,
  ): Promise<TokenPairDto> {
    let candidate: SignInCandidate | null = null;
    // Failures count per member (all their aliases: account, phone, employee code), else per name typed.
    const limiterKey = () => (candidate ? `staff:${candidate.id}` : `name:${identifier}`);
    try {
      await this.limiter.hitIp(client.ip);
      candidate = await find(identifier);
      await this.limiter.hitAccount(limiterKey());
    } catch (error) {
      if (error instanceof AppException && error.code === ErrorCode.TooManyRequests) {
        await this.audit.record({
          action: AuditAction.LoginRateLimited,
          actor: null,
          subjectStaffId: candidate?.id ?? null,
          client,
          detail: { account: identifier.slice(0, 64), method },
        });
      }
      throw error;
    }
    const hash = candidate?.passwordHash ?? null;
    const valid = hash ? await check(secret, hash) : await this.burnDummyVerify(secret, check);
    if (!candidate || !valid || candidate.status === 'deleted') {
      await this.audit.record({
        action: AuditAction.LoginFailed,
        actor: null,
        subjectStaffId: candidate?.id ?? null,
        client,
        detail: {
          account: identifier.slice(0, 64),
          method,
          cause: !candidate
            ? 'unknown_account'
            : !hash
              ? 'no_password'
              : !valid
                ? 'wrong_password'
                : 'deleted',
        },
      });
      throw IdentityException.badCredentials();
    }
    if (candidate.status === 'disabled') {
      await this.audit.record({
        action: AuditAction.LoginFailed,
        actor: null,
        subjectStaffId: candidate.id,
        client,
        detail: { account: identifier.slice(0, 64), method, cause: 'disabled' },
      });
      throw IdentityException.disabled();
    }
    const member = candidate;
    await this.limiter.clearAccount(limiterKey());
    return this.feed.transaction(async (manager) => {
      const session = await this.sessions.open(
        manager,
        member.id,
        this.config.REFRESH_TOKEN_TTL_SECONDS,
        client,
      );
      await this.credentials.markSignedIn(manager, member.id);
      await this.audit.record(
        {
          action: AuditAction.Login,
          actor: { id: member.id, kind: 'staff' },
          subjectStaffId: member.id,
          target: { type: 'session', id: session.sessionId },
          client,
          detail: { method },
        },
        manager,
      );
      return this.tokenPair(member, session.sessionId, session.refreshToken, session.expiresAt);
    });
  }

  private tokenPair(
    staff: Pick<SignInCandidate, 'id' | 'mustChangePassword'>,
    sessionId: string,
    refreshToken: string,
    sessionEnds: Date,
  ): TokenPairDto {
    const { token, expiresAt } = this.tokens.sign({ staffId: staff.id, sessionId });
    return {
      accessToken: token,
      tokenType: 'Bearer',
      expiresIn: Math.round((expiresAt.getTime() - Date.now()) / 1000),
      expiresAt: expiresAt.toISOString(),
      refreshToken,
      refreshExpiresAt: sessionEnds.toISOString(),
      staffId: staff.id,
      mustChangePassword: staff.mustChangePassword,
    };
  }

  /** Same Argon2id cost as a real check, so timing does not tell unknown accounts apart. */
  private async burnDummyVerify(secret: string, check: PasswordCheck): Promise<false> {
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await check(secret, await this.dummyHash);
    return false;
  }

  private async findForLegacyLogin(identifier: string): Promise<SignInCandidate | null> {
    const exact = await this.credentials.candidateByAccountPhoneOrEmployeeNo(identifier);
    if (exact) return exact;
    if (!/^\d{1,32}$/.test(identifier)) return null;
    // "暂定为4位工号": the digits of an employee code such as AA1611, when they name exactly one member.
    const byDigits = await this.credentials.candidatesByEmployeeDigits(identifier);
    return byDigits.length === 1 ? byDigits[0] : null;
  }
}

/** 16 characters from an unambiguous alphabet (~90 bits). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
