import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import DateRange from '@/components/DateRange.vue';
import { i18n, setLocale } from '@/locales';

// One date-range filter for the workbench, work orders, reports, CRM statistics and the audit log
// (each view repeated the picker's props before): its two ends are named in the console's language
// and it hands over the two business days as typed.
describe('DateRange', () => {
  it('names both ends in the current language and binds YYYY-MM-DD days', async () => {
    setLocale('zh-CN');
    const wrapper = mount(DateRange, {
      props: { modelValue: ['2026-12-01', '2026-12-05'], 'onUpdate:modelValue': () => undefined },
      global: { plugins: [ElementPlus, i18n] },
    });
    const inputs = () => wrapper.findAll('input.el-range-input');
    expect(inputs().map((i) => i.attributes('placeholder'))).toEqual(['开始日期', '结束日期']);
    expect(inputs().map((i) => (i.element as HTMLInputElement).value)).toEqual(['2026-12-01', '2026-12-05']);

    setLocale('en-US');
    await nextTick();
    expect(inputs().map((i) => i.attributes('placeholder'))).toEqual(['From', 'To']);
    setLocale('zh-CN');
    wrapper.unmount();
  });
});
