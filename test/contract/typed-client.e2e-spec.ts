import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { startStack, type Stack, TEST_ADMIN_PASSWORD } from '@app/testing';

// A client as an integrator would make one (issue 19): openapi-typescript types from the running
// gateway's /docs-json, strict tsc over them and calls written against them, then those calls made
// with openapi-fetch against the gateway. A document that lies about a path parameter, a body or an
// answer fails the compilation or the calls.
const DIR = join(__dirname, '../../.artifacts/contract-client');

const USAGE = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type StaffCreate = components['schemas']['CreateStaffDto'];

export async function run(baseUrl: string, password: string) {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST('/api/v1/auth/login', { body: { account: 'admin', password } });
  if (!login.data) throw new Error('login failed: ' + JSON.stringify(login.error));
  const token: string = login.data.data.accessToken;
  const api = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + token } });

  const body: StaffCreate = { account: 'client_made', realName: '客户端', phone: null };
  const created = await api.POST('/api/v1/staff', { body });
  if (!created.data) throw new Error('create staff failed: ' + JSON.stringify(created.error));
  const staffId: string = created.data.data.id;
  const fetched = await api.GET('/api/v1/staff/{id}', { params: { path: { id: staffId } } });
  const account: string | undefined = fetched.data?.data.account ?? undefined;

  const customers = await api.GET('/api/v1/crm/customers', { params: { query: { pageNum: 1, pageSize: 5 } } });
  const total: number | undefined = customers.data?.data.total;

  const missing = await api.GET('/api/v1/work-orders/{id}', { params: { path: { id: '999999999' } } });
  const error: components['schemas']['ErrorEnvelopeDto'] | undefined = missing.error;
  return { staffId, account, total, missingStatus: missing.response.status, missingCode: error?.code };
}
`;

describe('a typed client generated with openapi-typescript', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'typed-client' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('compiles under strict tsc and works against the gateway', async () => {
    const document = (await stack.http.get<object>('/docs-json')).body;
    mkdirSync(DIR, { recursive: true });
    writeFileSync(join(DIR, 'openapi.json'), JSON.stringify(document));
    // the CLI an integrator runs (its ES modules do not load inside jest)
    const generated = spawnSync(
      process.execPath,
      [
        join(__dirname, '../../node_modules/openapi-typescript/bin/cli.js'),
        join(DIR, 'openapi.json'),
        '--output',
        join(DIR, 'schema.d.ts'),
      ],
      { encoding: 'utf8' },
    );
    expect([generated.status, generated.stderr.includes('✘')]).toEqual([0, false]);
    writeFileSync(join(DIR, 'usage.ts'), USAGE);

    const program = ts.createProgram([join(DIR, 'usage.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const js = ts.transpileModule(USAGE, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    writeFileSync(join(DIR, 'usage.js'), js);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { run } = require(join(DIR, 'usage.js')) as {
      run: (baseUrl: string, password: string) => Promise<Record<string, unknown>>;
    };
    const result = await run(stack.http.baseUrl, TEST_ADMIN_PASSWORD);
    expect(result).toMatchObject({
      account: 'client_made',
      total: 0,
      missingStatus: 404,
      missingCode: 404,
    });
    expect(result.staffId).toEqual(expect.any(String));
  });
});
