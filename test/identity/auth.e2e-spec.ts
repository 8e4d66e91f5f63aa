import { createHmac } from 'node:crypto';
import {
  createStaff,
  type EnvelopeBody,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  TEST_JWT_SECRET,
  type TestMember,
} from '@app/testing';

interface Pair {
  expiresIn: number;
  accessToken: string;
  refreshToken: string;
  staffId: string;
  mustChangePassword: boolean;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
function forge(header: object, payload: object, key: string | null): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return key === null
    ? `${input}.`
    : `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

describe('identity: sign-in, tokens, sessions, passwords', () => {
  let stack: Stack;
  let admin: HttpClient;
  let alice: TestMember;

  beforeAll(async () => {
    stack = await startStack({ label: 'identity_auth', withWorkflow: false });
    admin = (await loginAsAdmin(stack.http)).http;
    alice = await createStaff(admin, { account: 'alice', phone: '13800000001' });
  });
  afterAll(() => stack?.stop());

  const me = (token: string) => stack.http.get('/api/v1/me', { token });
  const login = (account: string, password: string) =>
    stack.http.post<EnvelopeBody<Pair>>('/api/v1/auth/login', { account, password });

  it('signs in by account name or phone number and answers with a token pair', async () => {
    for (const account of ['alice', '13800000001']) {
      const res = await login(account, alice.password);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        tokenType: 'Bearer',
        staffId: alice.id,
        mustChangePassword: false,
      });
      expect(res.body.data.expiresIn).toBeGreaterThan(0);
      expect((await me(res.body.data.accessToken)).status).toBe(200);
    }
  });

  it('answers unknown account, wrong password and no password alike (4004, HTTP 401)', async () => {
    const noPassword = await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/staff', {
      account: 'nopass',
      realName: 'No Password',
    });
    expect(noPassword.status).toBe(200);
    const answers = await Promise.all([
      login('nobody-here', 'whatever-123'),
      login('alice', 'wrong-password'),
      login('nopass', 'whatever-123'),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 4004, reason: 'BAD_CREDENTIALS', data: null });
    }
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  it('answers 4002 to a disabled account (with the right password only) and ends its sessions', async () => {
    const bob = await createStaff(admin, { account: 'bob' });
    const session = await loginAs(stack.http, 'bob', bob.password);
    expect((await admin.post(`/api/v1/staff/${bob.id}/disable`)).status).toBe(200);

    const right = await login('bob', bob.password);
    expect(right.status).toBe(403);
    expect(right.body).toMatchObject({ code: 4002, reason: 'ACCOUNT_DISABLED' });
    const wrong = await login('bob', 'not-his-password');
    expect(wrong.body).toMatchObject({ code: 4004, reason: 'BAD_CREDENTIALS' });
    // Its token answers "account disabled" too (4002, issue #15), not "session ended".
    expect((await me(session.accessToken)).body).toMatchObject({ code: 4002, reason: 'ACCOUNT_DISABLED' });

    await admin.post(`/api/v1/staff/${bob.id}/enable`);
    expect((await login('bob', bob.password)).status).toBe(200);
    // Disabling ended the sessions: enabled again, the old token stays revoked.
    expect((await me(session.accessToken)).body).toMatchObject({ code: 4004 });
  });

  describe('JWT rejection: every forged, stale or revoked token is 4004 (HTTP 401)', () => {
    let good: Pair;
    let claims: Record<string, unknown>;
    beforeAll(async () => {
      good = (await login('alice', alice.password)).body.data;
      claims = JSON.parse(Buffer.from(good.accessToken.split('.')[1], 'base64url').toString());
    });

    const cases: [string, () => string][] = [
      ['alg none', () => forge({ alg: 'none', typ: 'JWT' }, claims, null)],
      ['wrong key', () => forge({ alg: 'HS256', typ: 'JWT' }, claims, 'x'.repeat(48))],
      [
        'tampered payload (sub = admin)',
        () => {
          const [h, , s] = good.accessToken.split('.');
          return `${h}.${b64({ ...claims, sub: '1' })}.${s}`;
        },
      ],
      [
        'expired',
        () => forge({ alg: 'HS256' }, { ...claims, iat: 1_000_000, exp: 1_000_600 }, TEST_JWT_SECRET),
      ],
      ['missing exp', () => forge({ alg: 'HS256' }, { ...claims, exp: undefined }, TEST_JWT_SECRET)],
      ['not a JWT', () => 'garbage'],
    ];

    it.each(cases)('%s', async (_, make) => {
      const res = await me(make());
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 4004, data: null });
    });

    it('the forge itself is faithful: the same claims signed with the real key are accepted', async () => {
      expect((await me(forge({ alg: 'HS256', typ: 'JWT' }, claims, TEST_JWT_SECRET))).status).toBe(200);
    });

    it('issued before a logout', async () => {
      const pair = (await login('alice', alice.password)).body.data;
      expect((await me(pair.accessToken)).status).toBe(200);
      expect(
        (await stack.http.post('/api/v1/auth/logout', undefined, { token: pair.accessToken })).status,
      ).toBe(200);
      expect((await me(pair.accessToken)).body).toMatchObject({ code: 4004, reason: 'TOKEN_REVOKED' });
      const refresh = await stack.http.post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken });
      expect(refresh.body).toMatchObject({ code: 4004 });
      // other sessions of the member are untouched by a logout
      expect((await me(good.accessToken)).status).toBe(200);
    });

    it('issued before a password change (every session, the changing one included)', async () => {
      const carol = await createStaff(admin, { account: 'carol' });
      const first = (await login('carol', carol.password)).body.data;
      const second = (await login('carol', carol.password)).body.data;
      const changed = await stack.http.post<EnvelopeBody<Pair>>(
        '/api/v1/auth/password',
        { oldPassword: carol.password, newPassword: 'a-brand-new-password' },
        { token: first.accessToken },
      );
      expect(changed.status).toBe(200);
      for (const old of [first, second]) {
        expect((await me(old.accessToken)).body).toMatchObject({ code: 4004 });
        expect(
          (await stack.http.post('/api/v1/auth/refresh', { refreshToken: old.refreshToken })).status,
        ).toBe(401);
      }
      // the caller carries on with the fresh session of the answer, and the new password works
      expect((await me(changed.body.data.accessToken)).status).toBe(200);
      expect((await login('carol', carol.password)).status).toBe(401);
      expect((await login('carol', 'a-brand-new-password')).status).toBe(200);
    });
  });

  it('rejects a wrong old password (4101) and a reuse of the old one as the new', async () => {
    const dave = await createStaff(admin, { account: 'dave' });
    const session = await loginAs(stack.http, 'dave', dave.password);
    const wrong = await session.http.post('/api/v1/auth/password', {
      oldPassword: 'nope-nope',
      newPassword: 'whatever-123',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 4101, errors: [{ field: 'oldPassword' }] });
    const same = await session.http.post('/api/v1/auth/password', {
      oldPassword: dave.password,
      newPassword: dave.password,
    });
    expect(same.body).toMatchObject({ code: 4101, errors: [{ field: 'newPassword' }] });
    const short = await session.http.post('/api/v1/auth/password', {
      oldPassword: dave.password,
      newPassword: 'short',
    });
    expect(short.body).toMatchObject({ code: 4101, errors: [{ field: 'newPassword' }] });
    expect((await me(session.accessToken)).status).toBe(200);
  });

  it('rotates refresh tokens; a reused refresh token ends the session', async () => {
    const first = (await login('alice', alice.password)).body.data;
    const second = await stack.http.post<EnvelopeBody<Pair>>('/api/v1/auth/refresh', {
      refreshToken: first.refreshToken,
    });
    expect(second.status).toBe(200);
    expect(second.body.data.refreshToken).not.toBe(first.refreshToken);
    expect((await me(second.body.data.accessToken)).status).toBe(200);

    // the first refresh token again: theft suspected, the whole session ends
    const replay = await stack.http.post('/api/v1/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    expect((await me(second.body.data.accessToken)).body).toMatchObject({ code: 4004 });
    expect(
      (await stack.http.post('/api/v1/auth/refresh', { refreshToken: second.body.data.refreshToken })).status,
    ).toBe(401);
    expect((await stack.http.post('/api/v1/auth/refresh', { refreshToken: 'junk' })).status).toBe(401);
  });

  it('an administrator reset ends the member’s sessions; a generated password must be changed first', async () => {
    const erin = await createStaff(admin, { account: 'erin' });
    const before = await loginAs(stack.http, 'erin', erin.password);
    const reset = await admin.post<EnvelopeBody<{ temporaryPassword: string; mustChangePassword: boolean }>>(
      `/api/v1/staff/${erin.id}/password-reset`,
      {},
    );
    expect(reset.status).toBe(200);
    const temporary = reset.body.data.temporaryPassword;
    expect(temporary).toMatch(/^\S{12,}$/);
    expect(reset.body.data.mustChangePassword).toBe(true);
    expect((await me(before.accessToken)).body).toMatchObject({ code: 4004 });

    const pending = await loginAs(stack.http, 'erin', temporary);
    const meAnswer = await pending.http.get<EnvelopeBody<{ mustChangePassword: boolean }>>('/api/v1/me');
    expect(meAnswer.body.data.mustChangePassword).toBe(true);
    const blocked = await pending.http.get('/api/v1/staff');
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ code: 4001, reason: 'PASSWORD_CHANGE_REQUIRED' });
    const changed = await pending.http.post<EnvelopeBody<Pair>>('/api/v1/auth/password', {
      oldPassword: temporary,
      newPassword: 'erins-own-password',
    });
    expect(changed.body.data.mustChangePassword).toBe(false);
    expect((await stack.http.get('/api/v1/staff', { token: changed.body.data.accessToken })).status).toBe(
      200,
    );

    // nobody resets their own password this way
    const self = await admin.post(`/api/v1/staff/1/password-reset`, { password: 'whatever-12345' });
    expect(self.body).toMatchObject({ code: 4001, reason: 'CANNOT_TARGET_SELF' });
  });

  it('writes sign-ins, failures, password changes, resets and status changes to the audit log', async () => {
    const res = await admin.get<
      EnvelopeBody<{ rows: { action: string; detail: Record<string, unknown> }[] }>
    >('/api/v1/audit-logs?pageSize=200');
    expect(res.status).toBe(200);
    const actions = new Set(res.body.data.rows.map((r) => r.action));
    for (const action of [
      'auth.login',
      'auth.login_failed',
      'auth.logout',
      'auth.password_changed',
      'auth.password_change_failed',
      'auth.password_reset',
      'auth.refresh_reuse',
      'staff.status_changed',
      'staff.created',
    ]) {
      expect(actions).toContain(action);
    }
    const failed = res.body.data.rows.filter((r) => r.action === 'auth.login_failed');
    expect(failed.map((r) => r.detail.cause)).toEqual(
      expect.arrayContaining(['unknown_account', 'wrong_password', 'no_password', 'disabled']),
    );
    expect(res.text).not.toMatch(/\$argon2|wrong-password|not-his-password/);

    const filtered = await admin.get<EnvelopeBody<{ rows: { action: string }[]; total: number }>>(
      '/api/v1/audit-logs?action=auth.logout',
    );
    expect(filtered.body.data.rows.every((r) => r.action === 'auth.logout')).toBe(true);
    expect(filtered.body.data.total).toBeGreaterThan(0);
  });
});
