// The form-js editor in Chinese. form-js 1.x has no translate service (bpmn-io/form-js#77, still open):
// its palette, canvas hints and properties panel carry English literals. Two parts:
// - field types get Chinese names in this editor's own field registry (palette entries, the palette
//   search, the panel header) and a new field's default label in Chinese ("文本框", not "Text field");
// - every other fixed string of the editor's chrome is swapped in the DOM as form-js renders it.
//   Preact rewrites a text node or an attribute only when its own vnode value changes, so a swapped
//   string stays until form-js renders a different one, which is swapped again.

/** English names (and default labels) of form-js's field types. */
const FIELD_NAMES: Record<string, string> = {
  'Text field': '单行文本',
  'Text area': '多行文本',
  Number: '数字',
  'Date time': '日期时间',
  Expression: '表达式',
  'File picker': '文件上传',
  Checkbox: '复选框',
  'Checkbox group': '多选',
  'Radio group': '单选',
  Select: '下拉选择',
  'Tag list': '标签选择',
  'Text view': '文本',
  'Image view': '图片',
  Table: '表格',
  'HTML view': 'HTML',
  'Document preview': '文档预览',
  Spacer: '间距',
  Separator: '分隔线',
  Group: '分组',
  'Dynamic list': '动态列表',
  iFrame: '内嵌网页',
  Button: '按钮',
  Date: '日期',
  Time: '时间',
};

/** The editor's chrome: palette, canvas hints, panel groups, entries, hints and its own checks. */
const CHROME: Record<string, string> = {
  // palette and canvas
  Components: '组件',
  'Search components': '搜索组件',
  'Clear content': '清除',
  'No components found.': '没有匹配的组件。',
  Input: '输入',
  Selection: '选择',
  Presentation: '展示',
  Containers: '容器',
  Action: '操作',
  'Build your form': '设计表单',
  'Drag and drop components here to start designing.': '从左侧拖入组件开始设计。',
  'Use the preview window to test your form.': '可在“预览”中用测试数据试填。',
  'Drag and drop components here.': '把组件拖到这里。',
  Repeatable: '可重复',
  Form: '表单',
  // panel groups
  General: '常规',
  Condition: '显示条件',
  Layout: '布局',
  Appearance: '外观',
  Validation: '校验',
  Serialization: '序列化',
  Constraints: '限制',
  'Options source': '选项来源',
  'Static options': '固定选项',
  'Dynamic options': '动态选项',
  'Custom properties': '自定义属性',
  'Security attributes': '安全属性',
  'Headers source': '表头来源',
  'Header items': '表头',
  Pagination: '分页',
  // entries
  'Field label': '标签',
  'Group label': '分组标题',
  'Table label': '表格标题',
  Title: '标题',
  'Field description': '说明',
  Key: '字段标识',
  'Binds to a form variable': '绑定的表单变量（流程变量名）',
  'Default value': '默认值',
  '<none>': '（无）',
  Disabled: '禁用',
  'Read only': '只读',
  Searchable: '可搜索',
  Required: '必填',
  Minimum: '最小值',
  Maximum: '最大值',
  'Minimum length': '最小长度',
  'Maximum length': '最大长度',
  'Validation pattern': '校验规则',
  Custom: '自定义',
  Email: '邮箱',
  Phone: '电话',
  'Custom regular expression': '自定义正则表达式',
  'Custom error message': '自定义错误提示',
  Label: '选项名称',
  Value: '选项值',
  Text: '文本',
  Content: '内容',
  'Decimal digits': '小数位数',
  Increment: '步长',
  Prefix: '前缀',
  Suffix: '后缀',
  Subtype: '类型',
  'Date label': '日期标签',
  'Time label': '时间标签',
  'Use 24h': '24 小时制',
  'Time interval': '时间间隔',
  'Time format': '时间格式',
  'Disallow past dates': '不允许选择过去的日期',
  Columns: '列宽',
  Auto: '自动',
  Height: '高度',
  'Alternative text': '替代文本',
  'Image source': '图片地址',
  URL: '网址',
  Type: '类型',
  Path: '路径',
  'Show outline': '显示边框',
  'Hide if': '隐藏条件',
  'Options expression': '选项表达式',
  'Input values key': '选项变量',
  'Data source': '数据源',
  'Supported file formats': '允许的文件格式',
  'Upload multiple files': '允许多个文件',
  'Output as string': '输出为字符串',
  Checked: '选中',
  'Not checked': '未选中',
  Submit: '提交',
  Reset: '重置',
  ID: '编号',
  'Version tag': '版本标签',
  // panel hints and the editor's own checks
  'Section contains edits': '本组有修改',
  'Section contains an error': '本组有错误',
  'Toggle section': '展开/收起',
  'Create new list item': '新增一项',
  'Toggle list item': '展开/收起',
  'Delete item': '删除',
  'Must not be empty.': '不能为空。',
  'Must not be empty': '不能为空',
  'Must be unique.': '不能与其他字段重复。',
  'Must not contain spaces.': '不能包含空格。',
  'Must be a variable or a dot separated path.': '须为变量名或以点分隔的路径。',
  'Must not contain numerical path segments.': '路径中不能有纯数字的段。',
  'Must not be a prohibited path.': '不能使用保留路径。',
  'Must not cause two binding paths to collide': '不能与其他字段的绑定路径冲突',
  'Should be a valid number': '须为数字',
  'Should be a valid number.': '须为数字。',
  'Should be an integer.': '须为整数。',
  'Should be greater than zero.': '须大于 0。',
  'Should be greater than or equal to zero.': '须大于等于 0。',
  'Remove form field': '删除字段',
};
for (const [english, chinese] of Object.entries(FIELD_NAMES)) {
  CHROME[`Remove ${english}`] ??= `删除${chinese}`;
}

/** Where form-js shows what the designer typed (field labels on the canvas, option names): left as is. */
const USER_TEXT =
  '.fjs-form-field, .bio-properties-panel-header-label, .bio-properties-panel-collapsible-entry-header-title';
const ATTRIBUTES = ['placeholder', 'title'];

interface FormFieldType {
  (props: unknown): unknown;
  config: {
    name?: string;
    label?: string;
    create?: (options?: Record<string, unknown>, isNewField?: boolean) => Record<string, unknown>;
  };
}
interface FormFields {
  _formFields: Record<string, FormFieldType>;
  register(type: string, field: FormFieldType): void;
}

/** Registers each field type again under its Chinese name, with a Chinese default label. */
class ChineseFieldNames {
  static $inject = ['formFields'];

  constructor(formFields: FormFields) {
    for (const [type, field] of Object.entries(formFields._formFields)) {
      const english = field.config.name ?? field.config.label ?? '';
      const name = FIELD_NAMES[english];
      if (!name) continue;
      const create = field.config.create;
      const localized = ((props: unknown) => field(props)) as FormFieldType;
      localized.config = {
        ...field.config,
        name,
        ...(create
          ? {
              create: (options: Record<string, unknown> = {}, isNewField?: boolean) => {
                const created = create(options, isNewField);
                if (options.label === undefined && typeof created.label === 'string')
                  created.label = FIELD_NAMES[created.label] ?? created.label;
                // a new select or group's first option, {label: 'Value', value: 'value'}
                if (Array.isArray(created.values))
                  created.values = (created.values as { label?: unknown }[]).map((v) =>
                    v.label === 'Value' ? { ...v, label: '选项 1' } : v,
                  );
                if (typeof created.dateLabel === 'string')
                  created.dateLabel = FIELD_NAMES[created.dateLabel] ?? created.dateLabel;
                return created;
              },
            }
          : {}),
      };
      formFields.register(type, localized);
    }
  }
}

export const chineseFieldNamesModule = {
  __init__: ['flowdeskChineseFieldNames'],
  flowdeskChineseFieldNames: ['type', ChineseFieldNames],
};

/** What to swap under a root: the strings, and which text nodes and elements may be touched. */
interface Swaps {
  strings: Record<string, string>;
  /** May this text node's text be swapped (its parent element given)? */
  text(parent: Element): boolean;
  /** May this element's placeholder and title be swapped? */
  attributes(element: Element): boolean;
}

const EDITOR: Swaps = {
  strings: CHROME,
  text: (parent) => !parent.closest(USER_TEXT),
  attributes: (element) => !element.closest(USER_TEXT),
};

/**
 * The form viewer's own words (start and task forms, the designer's preview): an empty select's
 * "Select", the search boxes, an empty option list or table, the file picker. Everything else in a
 * rendered form is the designer's text, so only those places are touched.
 */
const VIEWER: Swaps = {
  strings: {
    Select: '请选择',
    Search: '搜索',
    'No results': '无匹配项',
    'All values selected': '已全部选择',
    'Nothing to show.': '暂无数据',
    Browse: '选择文件',
    'No files selected': '未选择文件',
  },
  text: (parent) =>
    parent.matches(
      '.fjs-select-placeholder, .fjs-dropdownlist-empty, .fjs-table-td, .fjs-filepicker-button, .fjs-filepicker-container span',
    ),
  attributes: (element) => element instanceof HTMLInputElement,
};

function swapText(node: Text, swaps: Swaps): void {
  const text = node.data.trim();
  const chinese = text && swaps.strings[text];
  if (!chinese || !node.parentElement || !swaps.text(node.parentElement)) return;
  node.data = node.data.replace(text, chinese);
}

function swapAttributes(element: Element, swaps: Swaps): void {
  if (!swaps.attributes(element)) return;
  for (const name of ATTRIBUTES) {
    const value = element.getAttribute(name);
    const chinese = value && swaps.strings[value.trim()];
    if (chinese) element.setAttribute(name, chinese);
  }
}

function swapTree(root: Node, swaps: Swaps): void {
  if (root instanceof Text) return swapText(root, swaps);
  if (!(root instanceof Element)) return;
  swapAttributes(root, swaps);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node instanceof Text) swapText(node, swaps);
    else if (node instanceof Element) swapAttributes(node, swaps);
  }
}

function keepChinese(root: HTMLElement, swaps: Swaps): () => void {
  swapTree(root, swaps);
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'characterData') swapText(m.target as Text, swaps);
      else if (m.type === 'attributes') swapAttributes(m.target as Element, swaps);
      else m.addedNodes.forEach((node) => swapTree(node, swaps));
    }
  });
  observer.observe(root, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ATTRIBUTES,
  });
  return () => observer.disconnect();
}

/** Keeps the editor's chrome under `root` in Chinese; returns the function that stops it. */
export const keepEditorChinese = (root: HTMLElement): (() => void) => keepChinese(root, EDITOR);

/** Keeps a rendered form's own words (not the designer's) in Chinese; returns the function that stops it. */
export const keepFormChinese = (root: HTMLElement): (() => void) => keepChinese(root, VIEWER);
