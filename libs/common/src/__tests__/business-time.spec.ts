import { businessMonth, formatBusinessDateTime, isRealDate, parseBusinessTime } from '../time/date-time';

const TZ = 'Asia/Shanghai';
const iso = (value: string, tz = TZ) => parseBusinessTime(value, tz)?.toISOString() ?? null;

describe('business time (DESIGN §2: ISO 8601, or the seeds’ yyyy-MM-dd HH:mm:ss in TZ_BUSINESS)', () => {
  it('reads the seed form in the business time zone', () => {
    expect(iso('2020-12-11 00:00:02')).toBe('2020-12-10T16:00:02.000Z');
    expect(iso('2020-12-11 08:30')).toBe('2020-12-11T00:30:00.000Z');
    expect(iso('2020-12-11')).toBe('2020-12-10T16:00:00.000Z');
    expect(iso('2018-09-07 07:53:41.300')).toBe('2018-09-06T23:53:41.300Z');
  });

  it('honours an explicit offset', () => {
    expect(iso('2021-03-11T08:00:00+08:00')).toBe('2021-03-11T00:00:00.000Z');
    expect(iso('2021-03-11T08:00:00Z')).toBe('2021-03-11T08:00:00.000Z');
    expect(iso('2021-03-11T08:00:00-0130')).toBe('2021-03-11T09:30:00.000Z');
  });

  it('follows daylight saving in zones that have it', () => {
    expect(iso('2021-07-01 12:00:00', 'Europe/Berlin')).toBe('2021-07-01T10:00:00.000Z');
    expect(iso('2021-01-01 12:00:00', 'Europe/Berlin')).toBe('2021-01-01T11:00:00.000Z');
  });

  it('refuses what is not a real date and time', () => {
    for (const bad of [
      '2020-13-01',
      '2020-02-30 00:00:00',
      '2020-01-01 24:00:00',
      '2020-01-01 10:60',
      'yesterday',
      '',
    ]) {
      expect(iso(bad)).toBeNull();
    }
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
  });

  it('writes instants as the business wall clock shows them', () => {
    expect(formatBusinessDateTime(new Date('2021-07-31T16:00:00Z'), TZ)).toBe('2021-08-01 00:00:00');
    expect(formatBusinessDateTime(new Date('2021-03-28T00:59:59Z'), 'Europe/Berlin')).toBe(
      '2021-03-28 01:59:59',
    );
    expect(formatBusinessDateTime(new Date('2021-03-28T01:00:00Z'), 'Europe/Berlin')).toBe(
      '2021-03-28 03:00:00',
    );
    expect(businessMonth(new Date('2021-07-31T16:00:00Z'), TZ)).toBe('202108');
    expect(businessMonth(new Date('2021-07-31T16:00:00Z'), 'UTC')).toBe('202107');
  });
});
