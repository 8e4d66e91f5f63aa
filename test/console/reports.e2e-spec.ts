import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  startStack,
  type Stack,
  TEST_ADMIN_PASSWORD,
} from '@app/testing';
import {
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  Person,
  releasePeople,
  type ConsoleBrowser,
} from './browser';

// Issue 13, reports: the chart and the table beside it show the report API's numbers.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;

const FLOW = (assignee: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="rptDefs" targetNamespace="http://flowdesk.example/console">
  <bpmn:process id="rpt" name="报表样例" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="审批" camunda:assignee="${assignee}" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

interface Row {
  period: string;
  processKey: string;
  processName: string | null;
  status: string;
  count: number;
}

describe('staff console: reports', () => {
  let stack: Stack;
  let chrome: ConsoleBrowser | null = null;
  const people: Person[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'console-reports', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    const admin = await loginAsAdmin(stack.http);
    const lisi = await createStaff(admin.http, { account: 'lisi', realName: '李四' });
    expect((await admin.http.post('/api/v1/workflow/deployments', { xml: FLOW(lisi.id) })).status).toBe(200);
    // Generated data: 6 started, 3 completed, 1 stopped, 2 still running.
    const approver = await loginAs(stack.http, lisi.account, lisi.password);
    for (let i = 0; i < 6; i += 1) {
      const started = await admin.http.post<EnvelopeBody<{ id: string; tasks: { id: string }[] }>>(
        '/api/v1/workflow/instances',
        { definitionKey: 'rpt' },
      );
      const { id, tasks } = started.body.data;
      if (i < 3) await approver.http.post(`/api/v1/workflow/tasks/${tasks[0]!.id}/complete`, {});
      else if (i === 3) await admin.http.post(`/api/v1/workflow/instances/${id}/stop`, {});
    }
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  browserIt('instance counts by month: the chart and the table show the report API’s numbers', async () => {
    const admin = await loginAsAdmin(stack.http);
    const api = await admin.http.get<EnvelopeBody<Row[]>>(
      '/api/v1/reports/instances?period=month&processKey=rpt',
    );
    const rows = api.body.data;
    expect(rows.map((r) => [r.status, r.count]).sort()).toEqual([
      ['completed', 3],
      ['running', 2],
      ['stopped', 1],
    ]);
    // people know a process by its name, not its key
    expect(new Set(rows.map((r) => r.processName))).toEqual(new Set(['报表样例']));

    const person = await Person.open(chrome!.browser, 'admin', stack.http.baseUrl);
    people.push(person);
    const page = person.page;
    await person.signIn('admin', TEST_ADMIN_PASSWORD);
    await page.locator('[data-test=nav-reports]').click();
    // the workbench it came from has a date range too: read the report page's once it is shown
    await page.locator('[data-test=report-load]').waitFor();
    // the date range says what its two ends are (it was an empty box with a dash)
    await page.locator('.el-range-input').first().waitFor();
    expect(
      await page
        .locator('.el-range-input')
        .evaluateAll((ins) => ins.map((i) => i.getAttribute('placeholder'))),
    ).toEqual(['开始日期', '结束日期']);
    // and keeps its size in the toolbar row (it stretched across the page)
    expect((await page.locator('.el-range-editor').boundingBox())!.width).toBeLessThan(300);
    await page.locator('input[placeholder="流程标识"]').fill('rpt');
    await page.locator('[data-test=report-load]').click();
    const STATUS: Record<string, string> = { completed: '已完成', running: '进行中', stopped: '已终止' };
    for (const row of rows) {
      const line = page.locator('[data-test=report-table] tbody tr', { hasText: STATUS[row.status]! });
      await line.waitFor();
      expect((await line.innerText()).split(/\s+/)).toEqual([
        row.period,
        '报表样例',
        STATUS[row.status],
        String(row.count),
      ]);
    }
    // The chart (SVG) carries the same numbers as bar labels and the period on its axis.
    const chart = page.locator('[data-test=chart] svg');
    await chart.locator('text', { hasText: rows[0]!.period }).first().waitFor();
    const labels = await chart.locator('text').allTextContents();
    for (const row of rows) expect(labels).toContain(String(row.count));
    // counts on a whole-number axis (it ticked 0.5, 1.5, …)
    expect(labels.filter((l) => /^\d+\.\d+$/.test(l))).toEqual([]);
    for (const row of rows) expect(labels.join(' ')).toContain(`报表样例 · ${STATUS[row.status]}`);
    await person.screenshot('reports', 'instances');

    // CSV export is the table's rows.
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test=export-csv]').click(),
    ]);
    const text = await (await csv.createReadStream()).toArray();
    const lines = Buffer.concat(text)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    expect(lines[0]).toBe('period,processKey,processName,status,count');
    expect(lines.slice(1).sort()).toEqual(
      rows.map((r) => `${r.period},rpt,报表样例,${r.status},${r.count}`).sort(),
    );
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test=export-png]').click(),
    ]);
    expect(png.suggestedFilename()).toBe('instances.png');

    // a query without rows says so over the chart (it drew a bare axis)
    expect(await page.locator('[data-test=chart-empty]').count()).toBe(0);
    await page.locator('input[placeholder="流程标识"]').fill('noSuchProcess');
    await page.locator('[data-test=report-load]').click();
    await page.locator('[data-test=chart-empty]', { hasText: '暂无数据' }).waitFor();
  });
});
