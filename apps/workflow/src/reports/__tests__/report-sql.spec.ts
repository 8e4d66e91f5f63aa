import { Actor } from '@app/contracts';
import { AppException } from '@app/common';
import { reportWindow, scopeInstances, SqlFilter } from '../report-sql';

describe('report window (from inclusive, to exclusive, TZ_BUSINESS)', () => {
  it('reads days and local times in the business zone; a bare day as `to` runs to its end', () => {
    expect(reportWindow({ from: '2026-01-01', to: '2026-01-31' }, 'Asia/Shanghai')).toEqual({
      from: new Date('2025-12-31T16:00:00Z'),
      to: new Date('2026-01-31T16:00:00Z'),
    });
    expect(reportWindow({ to: '2025-12-31 23:59:59' }, 'Asia/Shanghai').to).toEqual(
      new Date('2025-12-31T15:59:59Z'),
    );
    expect(reportWindow({ from: '2026-03-01T00:00:00Z' }, 'Asia/Shanghai').from).toEqual(
      new Date('2026-03-01T00:00:00Z'),
    );
  });

  it('follows daylight saving time and month ends in zones that have them', () => {
    // New York switches to EDT on 2026-03-08: the day after the 8th starts at 04:00Z, not 05:00Z.
    expect(reportWindow({ to: '2026-03-08' }, 'America/New_York').to).toEqual(
      new Date('2026-03-09T04:00:00Z'),
    );
    expect(reportWindow({ to: '2026-02-28' }, 'UTC').to).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(reportWindow({ to: '2024-12-31' }, 'UTC').to).toEqual(new Date('2025-01-01T00:00:00Z'));
  });

  it('refuses an empty or reversed range and impossible dates, naming the field', () => {
    const fieldOf = (range: { from?: string; to?: string }) => {
      try {
        reportWindow(range, 'Asia/Shanghai');
      } catch (error) {
        return (error as AppException).errors?.map((e) => e.field);
      }
      return undefined;
    };
    expect(fieldOf({ from: '2026-02-01', to: '2026-01-01' })).toEqual(['to']);
    expect(fieldOf({ from: '2026-01-01 10:00:00', to: '2026-01-01 10:00:00' })).toEqual(['to']);
    expect(fieldOf({ from: '2026-02-30' })).toEqual(['from']);
    expect(fieldOf({ to: '2026-13-01' })).toEqual(['to']);
  });
});

describe('report scope', () => {
  const actor = (extra: Partial<Actor>) => Object.assign(new Actor(), { id: '7', kind: 'staff', ...extra });

  it('adds nothing for admins and the all scope', () => {
    for (const a of [
      actor({ dataScope: 'all' }),
      actor({ permissions: ['workflow:admin'] }),
      actor({ permissions: ['*'] }),
    ]) {
      const filter = new SqlFilter();
      scopeInstances(filter, a, 'i.initiator_id', 'i.initiator_department_id');
      expect(filter.sql()).toBe('');
    }
  });

  it('limits others to their own instances and their departments', () => {
    const own = new SqlFilter();
    scopeInstances(own, actor({ dataScope: 'own' }), 'i.initiator_id', 'i.initiator_department_id');
    expect(own.sql()).toBe('WHERE i.initiator_id::text = $1');
    expect(own.params).toEqual(['7']);
    const dept = new SqlFilter().where(`i.status = 'running'`);
    scopeInstances(
      dept,
      actor({ dataScope: 'department', departmentIds: ['3', '4'] }),
      'i.initiator_id',
      'i.initiator_department_id',
    );
    expect(dept.sql()).toBe(
      `WHERE i.status = 'running' AND (i.initiator_id::text = $1 OR i.initiator_department_id::text = ANY($2::text[]))`,
    );
    expect(dept.params).toEqual(['7', ['3', '4']]);
  });
});
