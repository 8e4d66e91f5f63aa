// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError, unwrap } from '@/api/errors';
import { localizeReason } from '@/api/field-reasons';
import { i18n } from '@/locales';
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
      // in the console's language (zh-CN) by the constraint each sentence states; unknown ones as sent
      expect(error.byField('variables.')).toEqual({
        days: '不能小于 1; 必填',
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

describe('field errors in the console language', () => {
  it('maps the class-validator and form-check sentences the gateway sends by their constraint', () => {
    const cases: [string, string, string][] = [
      ['name', 'name must be shorter than or equal to 64 characters', '最多 64 个字符'],
      ['account', 'account must be longer than or equal to 3 characters', '至少 3 个字符'],
      ['realName', 'realName should not be empty', '必填'],
      ['email', 'email must be an email', '邮箱格式不正确'],
      ['phone', 'phone must be digits, optionally with + and -', '电话号码格式不正确'],
      ['tags[2]', 'tags[2] must be a string', '应为文本'],
      ['pageSize', 'pageSize must not be greater than 100', '不能大于 100'],
      [
        'status',
        'status must be one of the following values: normal, deleted',
        '只能是以下值之一：normal, deleted',
      ],
      ['variables.mobile', 'must match ^1\\d{10}$', '格式不正确'],
      ['variables.days', 'must be at least 1', '不能小于 1'],
      [
        'csv',
        'column(s) named twice in the header: realName',
        'column(s) named twice in the header: realName',
      ],
    ];
    for (const [field, reason, shown] of cases) expect(localizeReason(field, reason)).toBe(shown);
    i18n.global.locale.value = 'en-US';
    expect(localizeReason('name', 'name should not be empty')).toBe('name should not be empty');
    i18n.global.locale.value = 'zh-CN';
  });
});
