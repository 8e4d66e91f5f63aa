import { AppException } from '../exceptions/app.exception';
import {
  parseBusinessTime,
  parseClientDateTime,
  parseClientRange,
  parseClientRangeEnd,
} from '../time/date-time';

describe('parseClientDateTime', () => {
  it('reads the seeds’ local form in the business time zone', () => {
    expect(parseClientDateTime('2021-08-01 00:00:00', 'Asia/Shanghai', 'f').toISOString()).toBe(
      '2021-07-31T16:00:00.000Z',
    );
    expect(parseClientDateTime('2021-08-01', 'Asia/Shanghai', 'f').toISOString()).toBe(
      '2021-07-31T16:00:00.000Z',
    );
    expect(parseClientDateTime('2018-09-07 07:53:41.300', 'UTC', 'f').toISOString()).toBe(
      '2018-09-07T07:53:41.300Z',
    );
  });

  it('honours daylight saving time in zones that have it', () => {
    expect(parseClientDateTime('2026-07-01 12:00:00', 'Europe/Berlin', 'f').toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
    expect(parseClientDateTime('2026-01-01 12:00:00', 'Europe/Berlin', 'f').toISOString()).toBe(
      '2026-01-01T11:00:00.000Z',
    );
  });

  it('keeps an explicit offset', () => {
    expect(parseClientDateTime('2026-11-23T08:00:00+08:00', 'UTC', 'f').toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(parseClientDateTime('2026-11-23T08:00:00Z', 'Asia/Shanghai', 'f').toISOString()).toBe(
      '2026-11-23T08:00:00.000Z',
    );
  });

  it('reads an ISO time with more than milliseconds to the millisecond', () => {
    expect(parseClientDateTime('2026-11-23T08:00:00.123456Z', 'UTC', 'f').toISOString()).toBe(
      '2026-11-23T08:00:00.123Z',
    );
    // the same rule in every form, so a validator on parseBusinessTime takes what the services read
    expect(parseBusinessTime('2026-11-23 08:00:00.123456', 'UTC')?.toISOString()).toBe(
      '2026-11-23T08:00:00.123Z',
    );
  });

  // new Date() rolled the ISO forms over (2026-02-30T10:00Z was 2 March) and took any offset
  it.each([
    '2026-02-30 10:00:00',
    'yesterday',
    '2026-13-01 00:00:00',
    '',
    '2026/11/23',
    '2026-02-30T10:00:00Z',
    '2026-02-31T10:00:00+08:00',
    '2026-04-31T00:00:00.000Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00+08:00',
    '2026-01-01T10:00:00+99:00',
    '2026-01-01 10:00:00+08:60',
  ])('refuses %p naming the field', (value) => {
    expect(() => parseClientDateTime(value, 'Asia/Shanghai', 'beginTime')).toThrow(AppException);
    try {
      parseClientDateTime(value, 'Asia/Shanghai', 'beginTime');
    } catch (error) {
      expect((error as AppException).errors?.[0].field).toBe('beginTime');
    }
  });
});

describe('parseClientRangeEnd (the exclusive end of a list or report range)', () => {
  it('a bare day runs to the first instant of the next day in the business zone', () => {
    expect(parseClientRangeEnd('2026-01-31', 'Asia/Shanghai', 'to').toISOString()).toBe(
      '2026-01-31T16:00:00.000Z',
    );
    // New York switches to EDT on 2026-03-08: that day is 23 hours long, so the next starts at 04:00Z
    expect(parseClientRangeEnd('2026-03-08', 'America/New_York', 'to').toISOString()).toBe(
      '2026-03-09T04:00:00.000Z',
    );
    expect(parseClientRangeEnd('2024-12-31', 'UTC', 'to').toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('a time of day or an instant is the end itself; an impossible day names the field', () => {
    expect(parseClientRangeEnd('2026-01-31 10:00:00', 'Asia/Shanghai', 'to').toISOString()).toBe(
      '2026-01-31T02:00:00.000Z',
    );
    expect(parseClientRangeEnd('2026-03-01T00:00:00Z', 'Asia/Shanghai', 'to').toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(() => parseClientRangeEnd('2026-02-30', 'Asia/Shanghai', 'createdTo')).toThrow(AppException);
  });
});

describe('parseClientRange', () => {
  it("reads from as given and a bare day as to up to that day's end; a missing end stays open", () => {
    const range = parseClientRange({ from: '2026-01-01 08:00:00', to: '2026-01-31' }, 'Asia/Shanghai');
    expect(range.from?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(range.to?.toISOString()).toBe('2026-01-31T16:00:00.000Z');
    expect(parseClientRange({}, 'UTC')).toEqual({ from: undefined, to: undefined });
  });

  it("names the end it refuses by the caller's field names", () => {
    const fields = { from: 'createdFrom', to: 'createdTo' };
    for (const [range, field] of [
      [{ from: '2026-02-30' }, 'createdFrom'],
      [{ to: 'yesterday' }, 'createdTo'],
    ] as const) {
      try {
        parseClientRange(range, 'UTC', fields);
        throw new Error('accepted');
      } catch (error) {
        expect((error as AppException).errors?.[0].field).toBe(field);
      }
    }
  });
});
