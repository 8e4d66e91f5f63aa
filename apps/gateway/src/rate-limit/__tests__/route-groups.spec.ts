import { rateLimitGroupOf } from '../route-groups';

describe('rate-limit route groups', () => {
  it.each([
    ['POST', '/api/v1/auth/login', 'auth'],
    ['POST', '/api/v1/auth/refresh?x=1', 'auth'],
    ['GET', '/api/v1/crm/customers?pageNum=1', 'read'],
    ['HEAD', '/api/v1/me', 'read'],
    ['POST', '/api/v1/workflow/instances', 'write'],
    ['DELETE', '/api/v1/crm/customers/7', 'write'],
    ['PATCH', '/api/v1/staff/3', 'write'],
    ['GET', '/api/v1/crm/exports/customers', 'export'],
    ['GET', '/api/v1/data-models/orders/records/export?format=csv', 'export'],
    ['POST', '/doLogin', 'legacy'],
    ['GET', '/api/customers/list', 'legacy'],
    ['POST', '/workflow/process/start/', 'legacy'],
  ])('%s %s → %s', (method, url, group) => {
    expect(rateLimitGroupOf(method, url)).toBe(group);
  });

  it.each([
    ['GET', '/api/v1/health/ready'],
    ['GET', '/api/v1/health'],
    ['GET', '/metrics'],
    ['GET', '/docs'],
    ['GET', '/docs/static/index.html'],
    ['GET', '/docs-json'],
    ['GET', '/console/assets/app.js'],
    ['OPTIONS', '/api/v1/crm/customers'],
  ])('%s %s is never limited', (method, url) => {
    expect(rateLimitGroupOf(method, url)).toBeNull();
  });

  it('does not mistake a word containing "export" for the export group', () => {
    expect(rateLimitGroupOf('GET', '/api/v1/crm/exporters')).toBe('read');
    expect(rateLimitGroupOf('GET', '/api/v1/healthy')).toBe('read');
  });
});
