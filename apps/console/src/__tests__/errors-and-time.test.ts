// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError, unwrap } from '@/api/errors';
import { dayRange, formatDateTime, formatDuration } from '@/utils/time';

describe('unwrap', () => {
  it('returns the envelope data of a success', () => {
    expect(unwrap({ data: { data: { id: '1' } }, response: new Response(null, { status: 200 }) })).toEqual({
      id: '1',
    });
  });

  it('turns a 4101 into an ApiError whose field errors map onto inputs', () => {
    const failure = () =>
      unwrap({
        error: {
          code: 4101,
          msg: '参数不合法',
          errors: [
            { field: 'variables.days', reason: 'must be at least 1' },
            { field: 'variables.days', reason: 'is required' },
            { field: 'title', reason: 'too long' },
          ],
        },
        response: new Response(null, { status: 400 }),
      });
    expect(failure).toThrow(ApiError);
    try {
      failure();
    } catch (e) {
      const error = e as ApiError;
      expect(error.code).toBe(4101);
      expect(error.byField('variables.')).toEqual({
        days: 'must be at least 1; is required',
        title: 'too long',
      });
    }
  });
});

describe('business time', () => {
  it('shows instants in the business time zone, not the browser one', () => {
    expect(formatDateTime('2026-12-02T16:30:05Z', 'Asia/Shanghai')).toBe('2026-12-03 00:30:05');
    expect(formatDateTime('2026-12-02T16:30:05Z', 'UTC')).toBe('2026-12-02 16:30:05');
    expect(formatDateTime(null)).toBe('');
  });

  it('sends a picked day range as whole days', () => {
    expect(dayRange(['2026-12-01', '2026-12-03'])).toEqual({
      from: '2026-12-01 00:00:00',
      to: '2026-12-03 23:59:59',
    });
    expect(dayRange(null)).toEqual({});
  });

  it('formats durations compactly', () => {
    expect(formatDuration('2026-12-01T00:00:00Z', '2026-12-03T05:00:00Z')).toBe('2d 5h');
    expect(formatDuration('2026-12-01T00:00:00Z', '2026-12-01T00:02:03Z')).toBe('2m 3s');
    expect(formatDuration('2026-12-01T00:00:00Z', null)).toBe('');
  });
});
