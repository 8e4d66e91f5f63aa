import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  startStack,
  type Stack,
  TEST_ADMIN_PASSWORD,
  type TestSession,
} from '@app/testing';
import {
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  Person,
  releasePeople,
  type ConsoleBrowser,
} from './browser';

// Issue 13, administration: the console's own menu follows the caller's permissions from /api/v1/me.
if (!HAVE_CHROMIUM) {
  process.stdout.write(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const browserIt = HAVE_CHROMIUM ? it : it.skip;
/** The page's root element, as far as the narrow-screen check reads it (no DOM types here). */
interface Layout {
  scrollWidth: number;
  clientWidth: number;
}

describe('staff console: administration', () => {
  let stack: Stack;
  let admin: TestSession;
  let chrome: ConsoleBrowser | null = null;
  const people: Person[] = [];
  const open = async (name: string) => {
    const person = await Person.open(chrome!.browser, name, stack.http.baseUrl);
    people.push(person);
    return person;
  };

  beforeAll(async () => {
    stack = await startStack({ label: 'console-admin', gatewayEnv: { LOGIN_RATE_ACCOUNT_LIMIT: '50' } });
    admin = await loginAsAdmin(stack.http);
    if (HAVE_CHROMIUM) chrome = await launchChromium();
  });

  afterEach(() => releasePeople(people));

  afterAll(async () => {
    await chrome?.close();
    await stack?.stop();
  });

  /** Picks `label` in the Element Plus select `select` (its options live in a popper on the body). */
  async function choose(person: Person, select: string, label: string): Promise<void> {
    await person.page.locator(select).click();
    await person.page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click();
    await person.page.keyboard.press('Escape');
  }

  browserIt(
    'an administrator creates a role and a member with it; the member’s console shows only the menus the role grants',
    async () => {
      const journey = 'admin-menus';
      const boss = await open('admin');
      await boss.signIn('admin', TEST_ADMIN_PASSWORD);
      // The super administrator sees every area.
      for (const area of ['crm', 'admin']) await boss.page.locator(`[data-test=nav-${area}]`).waitFor();
      // On a narrow screen the entries that do not fit fold under "…": nothing scrolls sideways and
      // the user menu stays on screen.
      await boss.page.setViewportSize({ width: 800, height: 800 });
      // A function, not a string: a string predicate that has to poll is run by eval in the page,
      // which the console's CSP (script-src 'self') refuses.
      await boss.page.waitForFunction(() => {
        const root = (globalThis as unknown as { document: { documentElement: Layout } }).document
          .documentElement;
        return root.scrollWidth <= root.clientWidth;
      });
      const userMenu = await boss.page.locator('[data-test=user-menu]').boundingBox();
      expect(userMenu!.x + userMenu!.width).toBeLessThanOrEqual(800);
      await boss.screenshot(journey, 'narrow');
      await boss.page.setViewportSize({ width: 1400, height: 900 });

      // 1. A role that reads CRM records, for the member's own records.
      await boss.page.locator('[data-test=nav-admin]').click();
      await boss.page.locator('[data-test=admin-nav-admin-roles]').click();
      await boss.page.locator('[data-test=role-new]').click();
      const roleForm = boss.page.locator('[data-test=role-form]');
      await roleForm.locator('input[name=code]').fill('crm_viewer');
      await roleForm.locator('input[name=name]').fill('客户查看');
      // permissions by name, and every code the API grants (process design was missing)
      expect(await roleForm.locator('[data-test="perm-crm:read"]').innerText()).toBe('查看客户');
      expect(await roleForm.locator('[data-test="perm-workflow:deploy"]').innerText()).toBe('设计与部署流程');
      await roleForm.locator('[data-test="perm-crm:read"]').click();
      await boss.screenshot(journey, 'role');
      await boss.page.locator('[data-test=role-save]').click();
      const roleRow = boss.page.locator('[data-test=role-table] tr', { hasText: 'crm_viewer' });
      await roleRow.locator('.el-tag', { hasText: '查看客户' }).waitFor();

      // 2. A member with that role and a password they keep.
      await boss.page.locator('[data-test=admin-nav-admin-staff]').click();
      await boss.page.locator('[data-test=staff-new]').click();
      const staffForm = boss.page.locator('[data-test=staff-form]');
      await staffForm.locator('input[name=realName]').fill('周九');
      await staffForm.locator('input[name=account]').fill('zhoujiu');
      await choose(boss, '[data-test=staff-roles]', '客户查看');
      await boss.screenshot(journey, 'member');
      await boss.page.locator('[data-test=staff-save]').click();
      const passwordForm = boss.page.locator('[data-test=password-form]');
      await passwordForm.locator('input[name=new-password]').fill('Zhoujiu-pass-123');
      await passwordForm.locator('[data-test=must-change]').click();
      await boss.page.locator('[data-test=password-save]').click();
      await passwordForm.waitFor({ state: 'hidden' });
      const row = boss.page.locator('[data-test=staff-table] tr', { hasText: 'zhoujiu' });
      await row.waitFor();
      expect(await row.innerText()).toContain('客户查看');
      await boss.screenshot(journey, 'staff-list');

      // The server agrees: the member holds exactly the role's permissions.
      const member = await loginAs(stack.http, 'zhoujiu', 'Zhoujiu-pass-123');
      const me = await member.http.get<EnvelopeBody<{ permissions: string[] }>>('/api/v1/me');
      expect(me.body.data.permissions).toEqual(['crm:read']);

      // 3. The member's console: the everyday areas and CRM, nothing administrative.
      const zhoujiu = await open('zhoujiu');
      await zhoujiu.signIn('zhoujiu', 'Zhoujiu-pass-123');
      const nav = zhoujiu.page.locator('[data-test^=nav-]');
      await zhoujiu.page.locator('[data-test=nav-crm]').waitFor();
      const shown = await nav.evaluateAll((items) => items.map((item) => item.getAttribute('data-test')));
      expect(shown).toEqual([
        'nav-workbench',
        'nav-start',
        'nav-instances',
        'nav-work-orders',
        'nav-inbox',
        'nav-crm',
      ]);
      await zhoujiu.screenshot(journey, 'member-console');
      await zhoujiu.page.locator('[data-test=nav-crm]').click();
      await zhoujiu.page.locator('[data-test=customer-table]').waitFor();
      // An address typed by hand does not open what the menu hides.
      await zhoujiu.page.goto('/console/admin/staff');
      await zhoujiu.page.locator('[data-test=tab-todo]').waitFor();
      expect(new URL(zhoujiu.page.url()).pathname).toBe('/console/workbench');

      // 4. Taking the role away (and giving staff:read-free 员工) hides CRM at the next load.
      const roles = await admin.http.get<EnvelopeBody<{ rows: { id: string; code: string }[] }>>(
        '/api/v1/roles?pageSize=100',
      );
      const staffRole = roles.body.data.rows.find((r) => r.code === 'staff')!;
      const id = (await member.http.get<EnvelopeBody<{ profile: { id: string } }>>('/api/v1/me')).body.data
        .profile.id;
      const changed = await admin.http.patch(`/api/v1/staff/${id}`, { roleIds: [staffRole.id] });
      expect(changed.status).toBe(200);
      await zhoujiu.page.reload();
      await zhoujiu.page.locator('[data-test=tab-todo]').waitFor();
      expect(await zhoujiu.page.locator('[data-test=nav-crm]').count()).toBe(0);
    },
  );

  browserIt(
    'applications: the secret is shown once, rotated and revoked; the audit log lists it',
    async () => {
      const boss = await open('admin');
      await boss.signIn('admin', TEST_ADMIN_PASSWORD);
      await boss.page.goto('/console/admin/applications');
      await boss.page.locator('[data-test=application-new]').click();
      await boss.page.locator('.el-dialog input[name=name]').fill('报表同步');
      await boss.page.locator('[data-test=application-save]').click();
      const secret = (await boss.page.locator('[data-test=application-secret]').innerText()).trim();
      expect(secret.length).toBeGreaterThan(20);
      await boss.screenshot('applications', 'secret-once');
      await boss.page.locator('[data-test=secret-close]').click();
      const row = boss.page.locator('[data-test=application-table] tr', { hasText: '报表同步' });
      await row.waitFor();
      expect(await row.innerText()).not.toContain(secret);
      expect(await row.innerText()).toContain(secret.slice(-4));

      await row.locator('[data-test=application-rotate]').click();
      await boss.page.locator('.el-message-box__btns .el-button--primary').click();
      const rotated = (await boss.page.locator('[data-test=application-secret]').innerText()).trim();
      expect(rotated).not.toBe(secret);
      await boss.page.locator('[data-test=secret-close]').click();

      await row.locator('[data-test=application-revoke]').click();
      await boss.page.locator('.el-message-box__btns .el-button--primary').click();
      await row.locator('.el-tag', { hasText: '已吊销' }).waitFor();

      await boss.page.locator('[data-test=admin-nav-admin-audit]').click();
      // actions by name and details as lines, not codes and raw JSON
      await boss.page.locator('[data-test=audit-table] tr', { hasText: '吊销应用' }).waitFor();
      await boss.page.locator('[data-test=audit-table] tr', { hasText: '轮换应用密钥' }).waitFor();
      const table = await boss.page.locator('[data-test=audit-table]').innerText();
      expect(table).not.toContain('application.revoked');
      expect(table).not.toContain('{"');
      // the action filter is a list of those names (a typed code was refused with 4101)
      await boss.page.locator('[data-test=audit-action]').click();
      await boss.page.locator('.el-select-dropdown__item:visible', { hasText: '吊销应用' }).click();
      await boss.page
        .locator('[data-test=audit-table] tr', { hasText: '轮换应用密钥' })
        .waitFor({ state: 'detached' });
      await boss.page.locator('[data-test=audit-table] tr', { hasText: '吊销应用' }).waitFor();
      await boss.screenshot('applications', 'audit');
    },
  );

  // Every page a person can reach by URL opens without a page error, a console error or an HTTP error it
  // did not ask for (Person): a bookmark to an area without the right leads back to the workbench, and a
  // bookmark to a record that does not exist says so instead of leaving an empty page.
  browserIt(
    'every console page opens clean by URL, for the administrator and for a member without rights',
    async () => {
      const pages = [
        'workbench',
        'start',
        'instances',
        'work-orders',
        'work-orders/new',
        'inbox',
        'crm',
        'crm/organizations',
        'crm/stats',
        'crm/import',
        'data-models',
        'data-models/new',
        'monitoring',
        'reports',
        'design/processes',
        'design/processes/new',
        'design/forms',
        'design/forms/new',
        'admin/staff',
        'admin/departments',
        'admin/groups',
        'admin/roles',
        'admin/menus',
        'admin/applications',
        'admin/audit',
        'password',
      ];
      const boss = await open('admin');
      await boss.signIn('admin', TEST_ADMIN_PASSWORD);
      for (const page of pages) {
        await boss.page.goto(`/console/${page}`);
        await boss.page.waitForURL(`**/console/${page}`);
        await boss.page.locator('[data-test=nav-workbench]').waitFor();
        // no work-order type is configured here: the new work order says so (its type list was just empty)
        if (page === 'work-orders/new') await boss.page.locator('[data-test=work-order-no-types]').waitFor();
      }
      await boss.page.waitForLoadState('networkidle');

      const member = await createStaff(admin.http, { account: 'wuming' });
      const plain = await open('wuming');
      await plain.signIn('wuming', member.password);
      for (const page of [
        'crm',
        'crm/customers/1',
        'data-models',
        'design/processes',
        'monitoring',
        'admin/staff',
      ]) {
        await plain.page.goto(`/console/${page}`);
        await plain.page.waitForURL('**/console/workbench');
      }
      plain.allow(/^HTTP 404 GET \/api\/v1\//);
      for (const [page, id] of [
        ['instances/987654', '987654'],
        ['tasks/987655', '987655'],
        ['work-orders/987656', '987656'],
      ]) {
        await plain.page.goto(`/console/${page}`);
        await plain.page.locator('.el-alert', { hasText: id }).waitFor();
      }
    },
  );
});
