import { DataSource } from 'typeorm';
import { Actor, type DataScope } from '@app/contracts';
import { isInScope, narrowerScope, scopeWhere, widestScope } from '../scope/data-scope';
import { coversPermissions, hasPermission, intersectPermissions } from '../permissions/permissions';

const actor = (dataScope: DataScope, departmentIds: string[] = [], id = '7') =>
  Object.assign(new Actor(), {
    id,
    kind: 'staff',
    departmentId: departmentIds[0] ?? null,
    dataScope,
    departmentIds,
  });

// A DataSource is needed only to render SQL; it never connects.
const dataSource = new DataSource({ type: 'postgres' });
function sql(a: Actor, columns: Parameters<typeof scopeWhere>[1]) {
  const qb = dataSource
    .createQueryBuilder()
    .select('1')
    .from('core.records', 'r')
    .where(scopeWhere(a, columns));
  const [query, params] = qb.getQueryAndParameters();
  return { where: query.slice(query.indexOf('WHERE') + 6), params };
}

describe('data scope', () => {
  it('takes the widest of a member’s roles and the narrower of two', () => {
    expect(widestScope([])).toBe('own');
    expect(widestScope(['own', 'department_and_below', 'department'])).toBe('department_and_below');
    expect(widestScope(['all', 'own'])).toBe('all');
    expect(narrowerScope('all', 'department')).toBe('department');
  });

  it('scopeWhere: all = no restriction', () => {
    expect(sql(actor('all'), { owner: 'r.creator_id', department: 'r.department_id' }).where).toBe('(TRUE)');
  });

  it('scopeWhere: own = any owner column is the actor', () => {
    const { where, params } = sql(actor('own', ['3']), {
      owner: ['r.creator_id', 'r.director_id'],
      department: 'r.department_id',
    });
    expect(where).toMatch(/^\(r\.creator_id = \$1 OR r\.director_id = \$1\)$/);
    expect(params).toEqual(['7']);
  });

  it('scopeWhere: department scopes = own records or a reached department', () => {
    const { where, params } = sql(actor('department_and_below', ['3', '4']), {
      owner: 'r.creator_id',
      department: 'r.department_id',
    });
    expect(where).toBe('(r.creator_id = $1 OR r.department_id IN ($2, $3))');
    expect(params).toEqual(['7', '3', '4']);
  });

  it('scopeWhere: matches nothing when the scope reaches nothing', () => {
    expect(sql(actor('own'), { department: 'r.department_id' }).where).toBe('(FALSE)');
    expect(sql(actor('department', []), { department: 'r.department_id' }).where).toBe('(FALSE)');
    // a service principal has no staff id to own records
    expect(sql(actor('own', [], 'service:svc_1'), { owner: 'r.creator_id' }).where).toBe('(FALSE)');
  });

  it('scopeWhere can be applied twice to one query without parameter clashes', () => {
    const qb = dataSource
      .createQueryBuilder()
      .select('1')
      .from('core.records', 'r')
      .where(scopeWhere(actor('own'), { owner: 'r.creator_id' }))
      .andWhere(scopeWhere(actor('own', [], '8'), { owner: 'r.director_id' }));
    expect(qb.getQueryAndParameters()[1]).toEqual(['7', '8']);
  });

  it('isInScope is the in-memory twin', () => {
    const record = { ownerIds: ['9'], departmentId: '4' };
    expect(isInScope(actor('all'), record)).toBe(true);
    expect(isInScope(actor('own'), record)).toBe(false);
    expect(isInScope(actor('own', [], '9'), record)).toBe(true);
    expect(isInScope(actor('department', ['3']), record)).toBe(false);
    expect(isInScope(actor('department_and_below', ['3', '4']), record)).toBe(true);
    expect(isInScope(actor('own', [], '9'), { ownerIds: [null, undefined], departmentId: null })).toBe(false);
  });
});

describe('permissions', () => {
  const holder = (permissions: string[]) => ({ permissions });
  it('`*` holds everything', () => {
    expect(hasPermission(holder(['*']), 'audit:read')).toBe(true);
    expect(hasPermission(holder(['staff:read']), 'audit:read')).toBe(false);
  });

  it('nobody grants more than they hold; only `*` grants `*`', () => {
    expect(coversPermissions(['staff:read', 'staff:write'], ['staff:read'])).toBe(true);
    expect(coversPermissions(['staff:read'], ['staff:read', 'audit:read'])).toBe(false);
    expect(coversPermissions(['staff:read'], ['*'])).toBe(false);
    expect(coversPermissions(['*'], ['*', 'audit:read'])).toBe(true);
  });

  it('an application limits its user (and `*` on either side yields the other)', () => {
    expect(intersectPermissions(['staff:read', 'audit:read'], ['staff:read'])).toEqual(['staff:read']);
    expect(intersectPermissions(['*'], ['staff:read'])).toEqual(['staff:read']);
    expect(intersectPermissions(['audit:read'], ['*'])).toEqual(['audit:read']);
  });
});
