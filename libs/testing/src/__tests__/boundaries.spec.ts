import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

// The boundary blocks of eslint.config.mjs, linted on deliberate violations: the rule must bite.
const root = join(__dirname, '../../../..');
const boundaries = createRequire(__filename)(join(root, 'eslint.boundaries.cjs')) as Linter.Config[];
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...boundaries],
});

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries (no-restricted-imports, no-restricted-syntax)', () => {
  it.each([
    ['apps/gateway/src/crm/x.ts', `import { TasksModule } from '../../../workflow/src/tasks/tasks.module';`],
    ['apps/gateway/src/x.ts', `import { TasksModule } from '../../workflow/src/tasks/tasks.module';`],
  ])('refuses the gateway importing the workflow app (%s)', async (file, source) => {
    expect(await problems(file, source)).toContainEqual(expect.stringMatching(/No app imports another/));
  });

  it('refuses the workflow app importing the gateway', async () => {
    const found = await problems(
      'apps/workflow/src/x.ts',
      `import { CrmModule } from '../../gateway/src/crm/crm.module';`,
    );
    expect(found).toEqual([expect.stringMatching(/^no-restricted-imports: .*No app imports another/)]);
  });

  it.each([
    `import { WorkflowAppModule } from '../../../apps/workflow/src/app.module';`,
    `import { signature } from '../../gateway/src/notifications/webhooks/signature';`,
  ])('refuses a lib importing an app: %s', async (source) => {
    expect(await problems('libs/common/src/x.ts', source)).toContainEqual(
      expect.stringMatching(/Libs never import apps/),
    );
  });

  it.each([
    `import { Injectable } from '@nestjs/common';`,
    `import { DataSource } from 'typeorm';`,
    `import { EntityManager } from 'typeorm/entity-manager/EntityManager';`,
    `import { TaskEntity } from '@app/database';`,
    `import { AppException } from '@app/common';`,
  ])('refuses the engine core importing a framework: %s', async (source) => {
    expect(await problems('apps/workflow/src/engine/runtime/x.ts', source)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*engine core is plain TypeScript/),
    ]);
  });

  it.each([
    ['apps/workflow/src/sla/x.ts', `const ladder = new SlaRepository();`],
    [
      'apps/workflow/src/x/x.ts',
      `export const sync = (m: EntityManager) => new XRepository(m.connection).open(m);`,
    ],
    ['apps/gateway/src/crm/x.ts', `const rows = new CustomersRepository(dataSource);`],
  ])('refuses an app building a repository by hand (%s)', async (file, source) => {
    expect(await problems(file, source)).toEqual([
      expect.stringMatching(/^no-restricted-syntax: Inject the repository/),
    ]);
  });

  it('lets injected repositories and hand-wired tests through', async () => {
    expect(
      await problems(
        'apps/workflow/src/sla/x.ts',
        `export class X {\n  constructor(private readonly sla: SlaRepository) {}\n}`,
      ),
    ).toEqual([]);
    expect(
      await problems('apps/workflow/src/sla/__tests__/x.ts', `const ladder = new SlaRepository();`),
    ).toEqual([]);
  });

  it('lets allowed imports through', async () => {
    expect(
      await problems(
        'apps/workflow/src/engine/runtime/x.ts',
        `import { Engine } from 'bpmn-engine';\nimport { EngineError } from '../errors';`,
      ),
    ).toEqual([]);
    expect(
      await problems(
        'apps/workflow/src/tasks/x.ts',
        `import { Injectable } from '@nestjs/common';\nimport { WorkflowPattern } from '@app/contracts';`,
      ),
    ).toEqual([]);
    expect(
      await problems(
        'apps/gateway/src/crm/x.ts',
        `import { WorkflowPattern } from '@app/contracts';\nimport { x } from '../workflow-client/workflow.client';`,
      ),
    ).toEqual([]);
    expect(
      await problems('libs/common/src/x.ts', `import { WorkflowPattern } from '@app/contracts';`),
    ).toEqual([]);
  });
});
