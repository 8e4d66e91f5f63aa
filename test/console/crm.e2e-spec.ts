import { parse } from 'csv-parse/sync';
import {
  type EnvelopeBody,
  type HttpClient,
  loginAsAdmin,
  startStack,
  type Stack,
  TEST_ADMIN_PASSWORD,
} from '@app/testing';
import type { Download, Page } from 'playwright-core';
import { ok } from '../crm/crm-helpers';
import {
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  Person,
  releasePeople,
  type ConsoleBrowser,
} from './browser';

// Issue 13, CRM: find a customer by a fragment of its name, add a follow-up, see it in the timeline;
// import a CSV with a bad row in dry run and see the row's error. Also: export downloads the list's
// CSV, and the statistics chart and table show the statistics API's numbers; customers and
// organizations are created in a dialog (a refused field shown on its input) and edited on their page.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;

async function csvRows(download: Download): Promise<Record<string, string>[]> {
  const chunks = await (await download.createReadStream()).toArray();
  return parse(Buffer.concat(chunks).toString('utf8'), { columns: true, bom: true }) as Record<
    string,
    string
  >[];
}

describe('staff console: CRM', () => {
  let stack: Stack;
  let admin: HttpClient;
  let chrome: ConsoleBrowser | null = null;
  const people: Person[] = [];
  const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

  beforeAll(async () => {
    stack = await startStack({ label: 'console-crm', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    const adminId = session.staffId;
    const grid = await ok(
      admin.post('/api/v1/crm/organizations', { name: '华东电网有限公司', city: '上海' }),
    );
    const water = await ok(admin.post('/api/v1/crm/organizations', { name: '西南水务集团' }));
    await ok(
      admin.post('/api/v1/crm/customers', {
        realName: '欧阳明远',
        phone: '13811112222',
        organizationIds: [grid.id],
      }),
    );
    await ok(
      admin.post('/api/v1/crm/customers', {
        realName: '欧阳娜',
        phone: '13933334444',
        organizationIds: [water.id],
      }),
    );
    await ok(admin.post('/api/v1/crm/customers', { realName: '张伟', phone: '13755556666' }));
    // The grid's history: an opportunity with an earlier visit, a demand, a contract and feedback.
    const potential = await ok(
      admin.post('/api/v1/crm/potentials', {
        organizationId: grid.id,
        directorId: adminId,
        recordTime: daysAgo(30),
        note: '年度框架采购',
      }),
    );
    await ok(
      admin.post('/api/v1/crm/follow-ups', {
        potentialId: potential.id,
        followerIds: [adminId],
        recordTime: daysAgo(20),
        event: 2,
        note: '首次上门拜访',
      }),
    );
    await ok(
      admin.post('/api/v1/crm/demands', {
        organizationId: grid.id,
        followerIds: [adminId],
        content: '需要增加巡检模块',
        recordTime: daysAgo(15),
      }),
    );
    await ok(
      admin.post('/api/v1/crm/contracts', {
        organizationId: grid.id,
        name: '巡检系统一期合同',
        amount: 120000,
        signTime: daysAgo(10),
      }),
    );
    await ok(
      admin.post('/api/v1/crm/satisfaction', { organizationId: grid.id, value: 4, recordTime: daysAgo(5) }),
    );
    // The water group: one visit (its statistics are untouched by the journeys).
    const waterPotential = await ok(
      admin.post('/api/v1/crm/potentials', {
        organizationId: water.id,
        directorId: adminId,
        recordTime: daysAgo(40),
      }),
    );
    await ok(
      admin.post('/api/v1/crm/follow-ups', {
        potentialId: waterPotential.id,
        followerIds: [adminId],
        recordTime: daysAgo(3),
      }),
    );
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  async function signedIn(): Promise<Person> {
    const person = await Person.open(chrome!.browser, 'admin', stack.http.baseUrl);
    people.push(person);
    await person.signIn('admin', TEST_ADMIN_PASSWORD);
    await person.page.locator('[data-test=nav-crm]').click();
    return person;
  }

  browserIt(
    'finds a customer by a fragment of its name, adds a follow-up and sees it in the timeline',
    async () => {
      const person = await signedIn();
      const page = person.page;
      const NAMES = '[data-test=customer-table] [data-test=customer-open]';
      const names = page.locator(NAMES);
      await page.locator('[data-test=crm-keyword]').fill('明远');
      await page.locator('[data-test=crm-search]').click();
      await page.locator('[data-test=customer-table] tbody tr').first().waitFor();
      await expectTexts(page, NAMES, ['欧阳明远']);
      // The seed-001 phone filter: a part of the number.
      await page.locator('[data-test=crm-reset]').click();
      await expectTexts(page, NAMES, ['张伟', '欧阳娜', '欧阳明远']);
      await page.locator('[data-test=crm-phone]').fill('139333');
      await page.locator('[data-test=crm-search]').click();
      await expectTexts(page, NAMES, ['欧阳娜']);
      await page.locator('[data-test=crm-phone]').fill('');
      await page.locator('[data-test=crm-organization-name]').fill('电网');
      await page.locator('[data-test=crm-search]').click();
      await expectTexts(page, NAMES, ['欧阳明远']);

      await names.filter({ hasText: '欧阳明远' }).click();
      await page.locator('[data-test=customer-facts]', { hasText: '13811112222' }).waitFor();
      const items = page.locator('[data-test=timeline-item]');
      // The organization's history is there, each record with its content.
      await items.filter({ hasText: '首次上门拜访' }).waitFor();
      for (const text of ['需要增加巡检模块', '巡检系统一期合同', '120000']) {
        await items.filter({ hasText: text }).first().waitFor();
      }
      expect(await page.locator('[data-test=timeline-item][data-kind=satisfaction]').count()).toBe(1);

      await page.locator('[data-test=follow-up-potential]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '华东电网有限公司' }).click();
      await page.locator('[data-test=follow-up-event]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '电话拜访' }).click();
      await page
        .locator('[data-test=follow-up-form] textarea[name=note]')
        .fill('电话回访：客户要求下周提供报价');
      await page.locator('[data-test=follow-up-save]').click();
      const entered = items.filter({ hasText: '电话回访：客户要求下周提供报价' });
      await entered.waitFor();
      expect(await entered.getAttribute('data-kind')).toBe('followUp');
      expect(await entered.innerText()).toContain('电话拜访');
      expect(await entered.innerText()).toContain('欧阳明远');
      // Newest first: the visit entered now is above the one of twenty days ago.
      const texts = await items.allInnerTexts();
      expect(texts.findIndex((t) => t.includes('电话回访'))).toBeLessThan(
        texts.findIndex((t) => t.includes('首次上门拜访')),
      );
      // And it stays there on a fresh load of the page.
      await page.reload();
      await items.filter({ hasText: '电话回访：客户要求下周提供报价' }).waitFor();
      await person.screenshot('crm', 'timeline');
    },
  );

  browserIt('CSV import: a dry run shows the bad row’s error; then import and undo', async () => {
    const person = await signedIn();
    const page = person.page;
    await page.locator('[data-test=crm-import]').click();
    const csv = 'realName,phone,stage\n导入甲,13600000001,1\n导入乙,13600000002,9\n导入丙,13600000003,2\n';
    await page.locator('[data-test=import-csv]').fill(csv);
    await page.locator('[data-test=import-dry-run]').click();
    const errors = page.locator('[data-test=import-errors] tbody tr');
    await errors.first().waitFor();
    expect(await errors.count()).toBe(1);
    const cells = (await errors.first().locator('td').allInnerTexts()).map((c) => c.trim());
    expect(cells.slice(0, 2)).toEqual(['2', 'stage']);
    expect(cells[2]).not.toBe('');
    await page.locator('[data-test=import-result]', { hasText: '3' }).waitFor();
    // A dry run wrote nothing.
    const none = await ok<{ total: number }>(admin.get('/api/v1/crm/customers?name=导入'));
    expect(none.total).toBe(0);

    await page.locator('[data-test=import-csv]').fill(csv.replace('13600000002,9', '13600000002,3'));
    await page.locator('[data-test=import-dry-run]').click();
    await page.locator('[data-test=import-no-errors]').waitFor();
    await page.locator('[data-test=import-apply]').click();
    await page.locator('[data-test=import-undo]').waitFor();
    const applied = await ok<{ total: number }>(admin.get('/api/v1/crm/customers?name=导入'));
    expect(applied.total).toBe(3);
    await page.locator('[data-test=import-undo]').click();
    await page.locator('[data-test=import-undo]').waitFor({ state: 'detached' });
    const undone = await ok<{ total: number }>(admin.get('/api/v1/crm/customers?name=导入'));
    expect(undone.total).toBe(0);
    await person.screenshot('crm', 'import');
  });

  browserIt('export downloads the filtered list as CSV', async () => {
    const person = await signedIn();
    const page = person.page;
    await page.locator('[data-test=crm-keyword]').fill('欧阳');
    await page.locator('[data-test=crm-search]').click();
    await expectTexts(page, '[data-test=customer-open]', ['欧阳娜', '欧阳明远']);
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-test=crm-export]').click(),
    ]);
    expect(file.suggestedFilename()).toBe('customers.csv');
    const rows = await csvRows(file);
    expect(rows.map((r) => [r.realName, r.phone]).sort()).toEqual([
      ['欧阳娜', '13933334444'],
      ['欧阳明远', '13811112222'],
    ]);
  });

  browserIt('follow-up statistics: the chart and the table show the statistics API’s numbers', async () => {
    const person = await signedIn();
    const page = person.page;
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/stats/follow-ups'),
      page.locator('[data-test=crm-tab-crm-stats]').click(),
    ]);
    // The same question the page asked, put to the API directly.
    const asked = new URL(answer.url());
    const api = await admin.get<
      EnvelopeBody<{ rows: { organizationName: string; followUpCount: number }[] }>
    >(`${asked.pathname}${asked.search}`);
    const rows = api.body.data.rows;
    expect(rows.find((r) => r.organizationName === '西南水务集团')?.followUpCount).toBe(1);
    expect(rows.find((r) => r.organizationName === '华东电网有限公司')?.followUpCount).toBeGreaterThanOrEqual(
      1,
    );
    for (const row of rows) {
      const line = page.locator('[data-test=stats-table] tbody tr', { hasText: row.organizationName });
      await line.waitFor();
      expect((await line.innerText()).split(/\s+/)).toEqual([
        row.organizationName,
        String(row.followUpCount),
      ]);
    }
    const chart = page.locator('[data-test=chart] svg');
    await chart.locator('text', { hasText: '西南水务集团' }).first().waitFor();
    const labels = await chart.locator('text').allTextContents();
    for (const row of rows) {
      expect(labels).toContain(row.organizationName);
      expect(labels).toContain(String(row.followUpCount));
    }
    await person.screenshot('crm', 'stats');
  });

  browserIt(
    'creates a customer and an organization in their dialogs and edits them on their pages',
    async () => {
      const person = await signedIn();
      const page = person.page;
      const NAMES = '[data-test=customer-table] [data-test=customer-open]';
      type Row = {
        id: string;
        realName: string;
        phone: string | null;
        job: string | null;
        stage: number | null;
      };
      const stored = async (name: string) =>
        (
          await ok<{ rows: (Row & { organizations: { name: string }[]; owner: { name: string } | null })[] }>(
            admin.get(`/api/v1/crm/customers?name=${encodeURIComponent(name)}`),
          )
        ).rows;

      // A new customer: a phone the API refuses (its pattern) is named on the phone input, and the
      // dialog keeps everything typed; corrected, it is saved and listed.
      await page.locator('[data-test=crm-new]').click();
      const dialog = page.locator('[data-test=customer-dialog]');
      await dialog.locator('input[name=realName]').fill('司马新客');
      await dialog.locator('input[name=phone]').fill('电话待定');
      await dialog.locator('input[name=job]').fill('采购经理');
      await page.locator('[data-test=customer-organizations] input').first().fill('水务');
      await page.locator('.el-select-dropdown__item:visible', { hasText: '西南水务集团' }).click();
      await dialog.locator('input[name=job]').click(); // closes the organization list
      person.allow(/HTTP 400 POST \/api\/v1\/crm\/customers$/);
      await page.locator('[data-test=customer-save]').click();
      const phone = dialog.locator('.el-form-item', { has: page.locator('input[name=phone]') });
      // in the console's language, not the gateway's English sentence
      const refusal = phone.locator('.el-form-item__error');
      await refusal.waitFor();
      expect(await refusal.innerText()).toBe('格式不正确');
      await person.screenshot('crm', 'customer-refused');
      expect(await dialog.locator('input[name=phone]').inputValue()).toBe('电话待定');
      expect(await dialog.locator('input[name=realName]').inputValue()).toBe('司马新客');
      expect(await dialog.locator('.el-form-item__error').count()).toBe(1);
      expect(await stored('司马新客')).toEqual([]);
      await dialog.locator('input[name=phone]').fill('13600001234');
      // the profile the API keeps, not only the main fields
      await dialog.locator('input[name=nickName]').fill('小司马');
      await page.locator('[data-test=customer-sex]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '女' }).click();
      await dialog.locator('input[name=level]').fill('3');
      await page.locator('[data-test=customer-vip]').click();
      await dialog.locator('input[name=vipDueTime]').fill('2027-01-31 18:00:00');
      await dialog.locator('input[name=vipDueTime]').press('Enter');
      await dialog.locator('input[name=legalPerson]').fill('司马法');
      await dialog.locator('input[name=website]').fill('https://water.example.cn');
      await dialog.locator('textarea[name=note]').fill('喜欢电话沟通');
      await person.screenshot('crm', 'customer-profile');
      await page.locator('[data-test=customer-save]').click();
      await dialog.waitFor({ state: 'hidden' });
      await page.locator(NAMES, { hasText: '司马新客' }).waitFor();
      const [created] = await stored('司马新客');
      expect(created).toMatchObject({
        phone: '13600001234',
        job: '采购经理',
        owner: { name: expect.any(String) },
        nickName: '小司马',
        sex: 'female',
        level: 3,
        isVip: true,
        vipDueTime: '2027-01-31T10:00:00.000Z', // 18:00 in Asia/Shanghai
        legalPerson: '司马法',
        website: 'https://water.example.cn',
        note: '喜欢电话沟通',
      });
      expect(created.organizations.map((o) => o.name)).toEqual(['西南水务集团']);

      // Edited on its page: the dialog opens with its values; the facts and the timeline show the change.
      await page.locator(NAMES, { hasText: '司马新客' }).click();
      const facts = page.locator('[data-test=customer-facts]');
      await facts.filter({ hasText: '13600001234' }).waitFor();
      await page.locator('[data-test=customer-edit]').click();
      expect(await dialog.locator('input[name=realName]').inputValue()).toBe('司马新客');
      expect(await dialog.locator('input[name=job]').inputValue()).toBe('采购经理');
      expect(await dialog.locator('input[name=nickName]').inputValue()).toBe('小司马');
      expect(await dialog.locator('input[name=vipDueTime]').inputValue()).toBe('2027-01-31 18:00:00');
      await dialog.locator('input[name=job]').fill('采购总监');
      await page.locator('[data-test=customer-stage]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: '有意向' }).click();
      await page.locator('[data-test=customer-save]').click();
      await dialog.waitFor({ state: 'hidden' });
      await facts.filter({ hasText: '采购总监' }).filter({ hasText: '有意向' }).waitFor();
      await page.locator('[data-test=timeline-item]', { hasText: '采购经理 → 采购总监' }).waitFor();
      expect(await stored('司马新客')).toMatchObject([{ id: created.id, job: '采购总监', stage: 2 }]);

      // The same for an organization: created from its list, edited on its page.
      await page.locator('[data-test=nav-crm]').click();
      await page.locator('[data-test=crm-tab-crm-organizations]').click();
      await page.locator('[data-test=org-new]').click();
      const orgDialog = page.locator('[data-test=organization-dialog]');
      await orgDialog.locator('input[name=name]').fill('东北燃气公司');
      await orgDialog.locator('input[name=city]').fill('沈阳');
      await page.locator('[data-test=organization-save]').click();
      await orgDialog.waitFor({ state: 'hidden' });
      const orgName = page.locator('[data-test=organization-table] [data-test=organization-open]', {
        hasText: '东北燃气公司',
      });
      await orgName.click();
      const orgFacts = page.locator('[data-test=organization-facts]');
      await orgFacts.filter({ hasText: '沈阳' }).waitFor();
      await page.locator('[data-test=organization-edit]').click();
      expect(await orgDialog.locator('input[name=city]').inputValue()).toBe('沈阳');
      await orgDialog.locator('input[name=city]').fill('大连');
      await orgDialog.locator('input[name=type]').fill('国企');
      await orgDialog.locator('input[name=legalPerson]').fill('赵燃');
      await orgDialog.locator('input[name=registrationDate]').fill('2001-05-20');
      await orgDialog.locator('input[name=registrationDate]').press('Enter');
      await orgDialog.locator('input[name=website]').fill('www.gas.example.cn');
      await orgDialog.locator('textarea[name=detail]').fill('城市燃气供应');
      await page.locator('[data-test=organization-save]').click();
      await orgDialog.waitFor({ state: 'hidden' });
      await orgFacts.filter({ hasText: '大连' }).filter({ hasText: '国企' }).waitFor();
      const orgs = await ok<{ rows: Record<string, string | null>[] }>(
        admin.get(`/api/v1/crm/organizations?name=${encodeURIComponent('燃气')}`),
      );
      expect(orgs.rows.map((o) => [o.name, o.city, o.type])).toEqual([['东北燃气公司', '大连', '国企']]);
      expect(orgs.rows[0]).toMatchObject({
        legalPerson: '赵燃',
        registrationDate: '2001-05-20',
        website: 'www.gas.example.cn',
        detail: '城市燃气供应',
      });
      await person.screenshot('crm', 'organization-edited');
    },
  );
});

interface Texts {
  document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
}

/** Waits until the elements matching the selector show exactly these texts (in order), then checks them. */
async function expectTexts(page: Page, selector: string, texts: string[]): Promise<void> {
  await page
    .waitForFunction(
      ({ sel, want }) =>
        JSON.stringify(
          Array.from((globalThis as unknown as Texts).document.querySelectorAll(sel), (e) =>
            (e.textContent ?? '').trim(),
          ),
        ) === want,
      { sel: selector, want: JSON.stringify(texts) },
    )
    .catch(() => undefined); // the assertion below says what was there instead
  expect((await page.locator(selector).allTextContents()).map((t) => t.trim())).toEqual(texts);
}
