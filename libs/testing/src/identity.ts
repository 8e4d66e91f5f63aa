import type { DataScope } from '@app/contracts';
import type { EnvelopeBody, HttpClient } from './http-client';
import { TEST_ADMIN_PASSWORD } from './stack';

export const TEST_ADMIN_ACCOUNT = 'admin';

/** A signed-in caller: its tokens and a client that sends the access token. */
export interface TestSession {
  staffId: string;
  accessToken: string;
  refreshToken: string;
  http: HttpClient;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  staffId: string;
}

function expectOk<T>(what: string, answer: { status: number; body: EnvelopeBody<T> }): T {
  if (answer.status !== 200 || answer.body?.code !== 200) {
    throw new Error(`${what} failed: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body.data;
}

/** `POST /api/v1/auth/login`; throws unless it succeeds. */
export async function loginAs(http: HttpClient, account: string, password: string): Promise<TestSession> {
  const pair = expectOk(
    `login as ${account}`,
    await http.post<EnvelopeBody<TokenPair>>('/api/v1/auth/login', { account, password }),
  );
  return {
    staffId: pair.staffId,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    http: http.withToken(pair.accessToken),
  };
}

/** The admin seeded by the stack (super_admin, scope all). */
export function loginAsAdmin(http: HttpClient): Promise<TestSession> {
  return loginAs(http, TEST_ADMIN_ACCOUNT, TEST_ADMIN_PASSWORD);
}

export async function createDepartment(
  admin: HttpClient,
  name: string,
  parentId: string | null = null,
): Promise<string> {
  return expectOk(
    `create department ${name}`,
    await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/departments', { name, parentId }),
  ).id;
}

export async function createRole(
  admin: HttpClient,
  role: { code: string; permissions: string[]; dataScope: DataScope; name?: string },
): Promise<string> {
  return expectOk(
    `create role ${role.code}`,
    await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/roles', { name: role.code, ...role }),
  ).id;
}

/** Role id by code (the system roles: super_admin, admin, staff, courier). */
export async function roleId(admin: HttpClient, code: string): Promise<string> {
  const page = expectOk(
    'list roles',
    await admin.get<EnvelopeBody<{ rows: { id: string; code: string }[] }>>('/api/v1/roles?pageSize=200'),
  );
  const role = page.rows.find((r) => r.code === code);
  if (!role) throw new Error(`no role ${code}`);
  return role.id;
}

export interface StaffSpec {
  account: string;
  password?: string;
  realName?: string;
  phone?: string;
  departmentId?: string | null;
  roleIds?: string[];
  groupIds?: string[];
  type?: 'staff' | 'courier';
}

export interface TestMember {
  id: string;
  account: string;
  password: string;
}

/**
 * Creates a member through the API as `admin` (who must hold staff:write, staff:grant and
 * staff:password-reset) and gives them a password they need not change.
 */
export async function createStaff(admin: HttpClient, spec: StaffSpec): Promise<TestMember> {
  const password = spec.password ?? `Pw-${spec.account}-123456`;
  const { id } = expectOk(
    `create staff ${spec.account}`,
    await admin.post<EnvelopeBody<{ id: string }>>('/api/v1/staff', {
      account: spec.account,
      realName: spec.realName ?? spec.account,
      ...(spec.phone ? { phone: spec.phone } : {}),
      ...(spec.departmentId !== undefined ? { departmentId: spec.departmentId } : {}),
      ...(spec.roleIds ? { roleIds: spec.roleIds } : {}),
      ...(spec.groupIds ? { groupIds: spec.groupIds } : {}),
      ...(spec.type ? { type: spec.type } : {}),
    }),
  );
  expectOk(
    `set password of ${spec.account}`,
    await admin.post(`/api/v1/staff/${id}/password-reset`, { password, mustChangePassword: false }),
  );
  return { id, account: spec.account, password };
}
