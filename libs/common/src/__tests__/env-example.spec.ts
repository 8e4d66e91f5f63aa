import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every variable an app validates or a script reads is documented in .env.example (issue #18). */
describe('.env.example', () => {
  const example = read('.env.example');
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

  it('documents every variable of the apps’ env classes', () => {
    const envFiles = [
      'libs/common/src/config/common-env.ts',
      'apps/gateway/src/config/gateway.env.ts',
      'apps/workflow/src/config/workflow.env.ts',
    ];
    const declared = envFiles.flatMap((file) =>
      [...read(file).matchAll(/^ {2}([A-Z][A-Z0-9_]+)[!?]?:/gm)].map((m) => m[1]),
    );
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('documents every variable the scripts read', () => {
    const scripts = readdirSync(join(ROOT, 'scripts')).filter((f) => f.endsWith('.cjs'));
    const read_ = [
      ...scripts.map((f) => read(`scripts/${f}`)),
      read('scripts/lib/embedded-postgres.cjs'),
      read('libs/testing/setup/global-setup.cjs'),
    ].flatMap((text) => [...text.matchAll(/(?:process\.)?env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));
    const internal = new Set([
      'PATH',
      'CI',
      'FLOWDESK_TEST_SERVER_URL',
      'FLOWDESK_TEST_TEMPLATE',
      'FLOWDESK_TEST_RUN_DIR',
      'SUPERVISOR_PID',
    ]);
    expect([...new Set(read_)].filter((name) => !documented.has(name) && !internal.has(name))).toEqual([]);
  });
});
