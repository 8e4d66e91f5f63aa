import { createHmac } from 'node:crypto';
import { mask, MASK_STRATEGY_NAMES } from '../centre/masking';
import { channelEnabled } from '../centre/preferences';
import { SensitiveWordFilter } from '../centre/sensitive-words';
import { dingTalkSign } from '../channels/robots.channel';
import { aliyunPercentEncode, aliyunSignature } from '../channels/sms.channel';
import { sampleData, TEMPLATE_EVENT_TYPES, variablesOf } from '../templates/event-schemas';
import { malformedPlaceholder, renderTemplate, templateVariables } from '../templates/render';

describe('masking strategies', () => {
  it.each([
    ['mobile', '13812341234', '138****1234'],
    ['mobile', '+86 138-1234-1234', '+86 138****1234'],
    ['idCard', '110101199003071234', '110101********1234'],
    ['idCard', '11010119900307123X', '110101********123X'],
    ['bankCard', '6222 0212 3456 7890 123', '**** **** **** 0123'],
    ['email', 'zhang.san@example.com', 'z***@example.com'],
    ['name', '张三', '张*'],
    ['name', '欧阳娜娜', '欧***'],
    ['name', 'John Smith', 'J***'],
    ['address', '浙江省杭州市西湖区文三路 90 号', '浙江省杭州市****'],
    ['full', 'secret', '******'],
  ] as const)('%s: %s → %s', (strategy, value, expected) => {
    expect(mask(strategy, value)).toBe(expected);
  });

  it('short, empty and odd values never leak and never throw', () => {
    for (const strategy of MASK_STRATEGY_NAMES) {
      expect(mask(strategy, null)).toBe('');
      expect(mask(strategy, '')).not.toContain('undefined');
      expect(mask(strategy, '1234')).not.toBe('1234');
      expect(() => mask(strategy, '😀😀😀😀😀😀😀😀😀😀')).not.toThrow();
    }
    expect(mask('email', 'not-an-address')).toBe('**************');
    expect(mask('bankCard', '1234')).toBe('****');
  });
});

describe('sensitive-word filter (Aho–Corasick)', () => {
  const filter = new SensitiveWordFilter(['机密', '绝密文件', 'Password', 'pass', '  ']);

  it('hides every occurrence, case-insensitively, keeping the length', () => {
    expect(filter.filter('这是机密，不是绝密文件。PASSWORD=1')).toBe('这是**，不是****。********=1');
    expect(filter.find('机密 and passport')).toEqual(['机密', 'pass']);
  });

  it('merges overlapping words and leaves clean text alone', () => {
    expect(filter.filter('mypassword')).toBe('my********');
    expect(filter.filter('普通文本 ordinary text')).toBe('普通文本 ordinary text');
    expect(new SensitiveWordFilter([]).filter('机密')).toBe('机密');
  });

  it('keeps surrogate pairs intact around matches', () => {
    expect(filter.filter('😀机密😀')).toBe('😀**😀');
  });
});

describe('templates', () => {
  it('lists the variables and finds malformed placeholders', () => {
    expect(templateVariables('{{ name }} {{recipient.mobile}} {{name}}')).toEqual([
      'name',
      'recipient.mobile',
    ]);
    expect(malformedPlaceholder('hello {{name}')).toMatch(/malformed/);
    expect(malformedPlaceholder('{{recipient.name}} ok')).toBeNull();
  });

  it('renders with masks per field and the filter on free text; absent values are empty', () => {
    const words = new SensitiveWordFilter(['机密']);
    const out = renderTemplate(
      '{{recipient.name}} {{recipient.mobile}}: {{name}} {{missing.path}}|',
      { recipient: { name: '张三', mobile: '13812341234' }, name: '机密任务' },
      { masks: { 'recipient.mobile': 'mobile', 'recipient.name': 'name' }, filter: (t) => words.filter(t) },
    );
    expect(out).toBe('张* 138****1234: **任务 |');
  });

  it('every event type has samples for each of its variables', () => {
    for (const type of TEMPLATE_EVENT_TYPES) {
      const variables = Object.keys(variablesOf(type)!);
      const text = variables.map((v) => `{{${v}}}`).join(' ');
      expect(renderTemplate(text, sampleData(type))).not.toMatch(/\{\{/);
      expect(variables).toEqual(expect.arrayContaining(['recipient.mobile', 'event.id']));
    }
  });
});

describe('preferences', () => {
  it('a member choice wins over the default, which wins over the built-in', () => {
    expect(channelEnabled('email', undefined, undefined)).toBe(false);
    expect(channelEnabled('inbox', undefined, undefined)).toBe(true);
    expect(channelEnabled('email', undefined, true)).toBe(true);
    expect(channelEnabled('email', false, true)).toBe(false);
    expect(channelEnabled('inbox', false, undefined)).toBe(false);
  });
});

describe('provider signatures', () => {
  it('Alibaba Cloud RPC signature: the documented SendSms example', () => {
    // the example request of Alibaba Cloud's SMS signature documentation (AccessKeySecret testSecret)
    const params = {
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      AccessKeyId: 'testId',
      SignatureVersion: '1.0',
      Timestamp: '2017-07-12T02:42:19Z',
      Format: 'XML',
      Action: 'SendSms',
      Version: '2017-05-25',
      RegionId: 'cn-hangzhou',
      PhoneNumbers: '15300000001',
      SignName: '阿里云短信测试专用',
      TemplateParam: '{"customer":"test"}',
      TemplateCode: 'SMS_71390007',
      OutId: '123',
    };
    expect(aliyunSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(aliyunPercentEncode("a b*~!'()")).toBe('a%20b%2A~%21%27%28%29');
  });

  it('DingTalk sign: HMAC-SHA256 of "<timestamp>\\n<secret>" keyed by the secret, base64', () => {
    const secret = 'SECtest';
    const expected = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(dingTalkSign(secret, 1700000000000)).toBe(expected);
    expect(dingTalkSign('SECother', 1700000000000)).not.toBe(expected);
  });
});
