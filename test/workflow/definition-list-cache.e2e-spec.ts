import { Client } from 'pg';
import { type HttpClient, loginAsAdmin, metricSum, scrape, type Stack, startStack } from '@app/testing';
import { deploy, fixtureXml, ok, until } from './workflow-helpers';

interface Listed {
  total: number;
  rows: { id: string; key: string; version: number; suspended: boolean; latest: boolean }[];
}

/**
 * The gateway keeps pages of the definitions list (DefinitionListCache): a repeated list is answered
 * without the workflow app, yet every change shows — at once through the gateway that made it, and on
 * every other replica as soon as PostgreSQL's notification of the commit arrives, whoever wrote it.
 */
describe('workflow: the definitions list kept by the gateway', () => {
  let stack: Stack;
  let one: HttpClient;
  let other: HttpClient;
  let db: Client;

  /** How many definition lists the workflow app has answered (its own /metrics). */
  const listsServed = async () =>
    metricSum(
      await scrape(`${stack.workflow.origin}/metrics`),
      'flowdesk_workflow_command_duration_seconds_count',
      { pattern: 'workflow.definition.list' },
    );
  const list = async (http: HttpClient, query: string) =>
    ok<Listed>(await http.get(`/api/v1/workflow/definitions?${query}`), `list ${query}`);
  const versions = (page: Listed) => page.rows.map((r) => [r.version, r.latest, r.suspended]);

  beforeAll(async () => {
    stack = await startStack({ label: 'definition_list_cache' });
    const admin = await loginAsAdmin(stack.http);
    one = admin.http;
    other = (await stack.addGateway()).http.withToken(admin.accessToken);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('answers a repeated list itself, and shows a deploy and a suspend through it on the next request', async () => {
    const first = await deploy(one, fixtureXml('single-task.bpmn'));
    const before = await listsServed();
    const page = await list(one, 'key=singleTask');
    expect(await list(one, 'key=singleTask')).toEqual(page);
    expect(await listsServed()).toBe(before + 1);
    expect(versions(page)).toEqual([[1, true, false]]);
    // another query is another page
    expect((await list(one, 'key=singleTaskX')).total).toBe(0);

    const second = await deploy(one, fixtureXml('single-task.bpmn'));
    expect(versions(await list(one, 'key=singleTask'))).toEqual([
      [2, true, false],
      [1, false, false],
    ]);
    expect((await list(one, 'key=singleTask&startable=true')).rows.map((r) => r.id)).toEqual([second.id]);

    ok(await one.patch(`/api/v1/workflow/definitions/${second.id}`, { suspended: true }));
    expect(versions(await list(one, 'key=singleTask'))).toEqual([
      [2, true, true],
      [1, false, false],
    ]);
    expect((await list(one, 'key=singleTask&startable=true')).total).toBe(0);
    expect(first.version).toBe(1);
  });

  it('shows a change made through another gateway, or in the database, on every gateway', async () => {
    await list(one, 'key=singleTask');
    const seen = await list(other, 'key=singleTask');
    const before = await listsServed();
    expect(await list(other, 'key=singleTask')).toEqual(seen);
    expect(await listsServed()).toBe(before);

    // deployed through the first gateway: the second hears PostgreSQL's notification of the commit
    const third = await deploy(one, fixtureXml('single-task.bpmn'));
    const shows = (http: HttpClient, check: (page: Listed) => boolean) =>
      until(async () => {
        const page = await list(http, 'key=singleTask');
        return check(page) ? page : undefined;
      }, 10_000);
    await shows(other, (page) => page.rows[0]?.id === third.id);

    // a statement no gateway sent (another writer of the workflow schema): both forget their pages
    await db.query(`UPDATE workflow.process_definition SET suspended = true WHERE key = 'singleTask'`);
    for (const http of [one, other])
      expect(versions(await shows(http, (page) => page.rows.every((r) => r.suspended)))).toEqual([
        [3, true, true],
        [2, false, true],
        [1, false, true],
      ]);
  });
});
