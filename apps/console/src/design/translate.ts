// bpmn-js's translate service in the console's language: the designer's own strings (and a few
// common panel labels) in Chinese; anything else stays English as bpmn-js ships it.
const ZH: Record<string, string> = {
  Flowdesk: '审批设置',
  Assignee: '办理人',
  'Candidate users': '候选人',
  'Candidate groups': '候选组',
  'Search the directory…': '搜索通讯录…',
  'Add a group or role…': '添加员工组或角色…',
  Remove: '移除',
  Form: '表单',
  '(none)': '（无）',
  'Due date': '办理期限',
  'A duration (P3D, PT4H), a date-time or an expression ${…}': '时长（P3D、PT4H）、日期时间或表达式 ${…}',
  Countersign: '会签',
  'No (one person)': '否（一人办理）',
  'All must sign': '全部通过',
  'Any one signs': '任一通过',
  'A share signs': '按比例通过',
  'Share that must sign (%)': '通过比例（%）',
  'Signers variable': '会签人变量',
  'The process variable that lists the signers (staff ids)': '列出会签人（员工 id）的流程变量',
  Condition: '条件',
  'An expression such as ${days > 3}; empty = always': '表达式，如 ${days > 3}；留空 = 总是',
  General: '常规',
  Name: '名称',
  ID: '编号',
  Documentation: '文档',
};

export function translateModule(locale: () => string) {
  const translate = (template: string, replacements: Record<string, string> = {}) => {
    const text = locale() === 'zh-CN' ? (ZH[template] ?? template) : template;
    return text.replace(/{([^}]+)}/g, (match, key: string) => replacements[key] ?? match);
  };
  return { translate: ['value', translate] };
}
