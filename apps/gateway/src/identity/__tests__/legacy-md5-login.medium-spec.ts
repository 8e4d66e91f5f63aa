import type { DataSource } from 'typeorm';
import { AppException, loadConfig } from '@app/common';
import { AccessTokenService, hashPassword, md5Hex } from '@app/auth';
import { CORE_SCHEMA, createDataSource, StaffEntity } from '@app/database';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from '@app/testing';
import { GatewayEnv } from '../../config/gateway.env';
import { AuditService } from '../audit/audit.service';
import { AuthRepository } from '../auth/auth.repository';
import { AuthService } from '../auth/auth.service';
import { LoginRateLimiter } from '../auth/login-rate-limiter';
import { RateLimitStore } from '../../rate-limit/rate-limit.store';
import { SessionRepository } from '../auth/session.repository';
import { IdentityChangeFeed } from '../shared/identity-change-feed';

const client = { ip: '10.1.1.1', userAgent: 'medium-test', requestId: 'req-1' };

/**
 * The sales-assistant login of seed 003 sends md5(password). AuthService.loginWithMd5Password checks
 * it against the same Argon2id(md5) hash the platform login uses, and accepts the account
 * name, phone, employee code or its digits. The compatibility route will call this method.
 */
describe('AuthService: legacy md5 login (seed 003)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let auth: AuthService;
  let tokens: AccessTokenService;

  beforeAll(async () => {
    db = await createTestDatabase('md5_login');
    const config = loadConfig('gateway', GatewayEnv, {
      DATABASE_URL: db.url,
      JWT_SECRET: TEST_JWT_SECRET,
      LOGIN_RATE_ACCOUNT_LIMIT: '3',
    });
    dataSource = createDataSource(CORE_SCHEMA, { url: db.url, poolSize: 2 });
    await dataSource.initialize();
    tokens = new AccessTokenService({ secret: TEST_JWT_SECRET, ttlSeconds: 600 });
    auth = new AuthService(
      new AuthRepository(dataSource),
      tokens,
      new SessionRepository(),
      new LoginRateLimiter(new RateLimitStore(dataSource), config),
      new AuditService(dataSource),
      new IdentityChangeFeed(dataSource, config),
      config,
    );
    const passwordHash = await hashPassword('123456');
    await dataSource.manager.insert(StaffEntity, [
      { account: 'liuchao', phone: '18516431436', employeeNo: 'AA1611', realName: '刘超', passwordHash },
      { account: 'twin_a', employeeNo: 'AA2000', realName: 'A', passwordHash },
      { account: 'twin_b', employeeNo: 'BB2000', realName: 'B', passwordHash },
    ]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  const reason = async (work: Promise<unknown>) => {
    try {
      await work;
      return 'OK';
    } catch (error) {
      if (error instanceof AppException) return error.reason;
      throw error;
    }
  };

  it('verifies md5(password) against the stored Argon2id(md5) hash, by every alias', async () => {
    expect(md5Hex('123456')).toBe('e10adc3949ba59abbe56e057f20f883e'); // the seed's example
    for (const name of ['liuchao', '18516431436', 'AA1611', '1611']) {
      const pair = await auth.loginWithMd5Password(name, 'e10adc3949ba59abbe56e057f20f883e', client);
      expect(tokens.verify(pair.accessToken).sub).toBe(pair.staffId);
    }
    // upper-case hex is the same digest
    expect(
      await reason(auth.loginWithMd5Password('liuchao', 'E10ADC3949BA59ABBE56E057F20F883E', client)),
    ).toBe('OK');
  });

  it('the platform login and the md5 login check one record, and never accept each other’s form', async () => {
    expect(await reason(auth.login({ account: 'liuchao', password: '123456' }, client))).toBe('OK');
    expect(await reason(auth.login({ account: 'liuchao', password: md5Hex('123456') }, client))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await reason(auth.loginWithMd5Password('liuchao', '123456', client))).toBe('BAD_CREDENTIALS');
  });

  it('digits that name two employees name nobody', async () => {
    expect(await reason(auth.loginWithMd5Password('2000', md5Hex('123456'), client))).toBe('BAD_CREDENTIALS');
    expect(await reason(auth.loginWithMd5Password('AA2000', md5Hex('123456'), client))).toBe('OK');
  });

  it('shares the per-account limit with the platform login', async () => {
    // a success clears earlier failures; then three failures through any alias and either login
    expect(await reason(auth.loginWithMd5Password('liuchao', md5Hex('123456'), client))).toBe('OK');
    expect(await reason(auth.loginWithMd5Password('AA1611', md5Hex('wrong'), client))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await reason(auth.login({ account: 'liuchao', password: 'wrong' }, client))).toBe(
      'BAD_CREDENTIALS',
    );
    expect(await reason(auth.loginWithMd5Password('1611', md5Hex('wrong'), client))).toBe('BAD_CREDENTIALS');
    expect(await reason(auth.login({ account: '18516431436', password: '123456' }, client))).toBe(
      'LOGIN_RATE_LIMITED',
    );
  });
});
