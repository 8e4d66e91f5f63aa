import { formatBusinessDateTime } from '@app/common';
import type { WorkOrderDetailReply } from '@app/contracts';

const escape = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function local(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  return formatBusinessDateTime(new Date(iso), timeZone);
}

const STATUS: Record<string, string> = {
  draft: '草稿 draft',
  running: '处理中 running',
  rejected: '已驳回 rejected',
  completed: '已完成 completed',
  discarded: '已取消 discarded',
};

/**
 * The printable view (工单打印): a self-contained HTML page (no scripts, no external resources, every
 * value escaped) with an A4 print stylesheet; browsers print it or save it as PDF.
 */
export function renderPrintView(order: WorkOrderDetailReply, timeZone: string): string {
  const fields: [string, unknown][] = [
    ['工单编号 Number', order.number],
    ['标题 Title', order.title],
    ['状态 Status', STATUS[order.status] ?? order.status],
    ['所属系统 System', order.systemId],
    ['项目 Project', order.projectId],
    ['来源 Source', order.source],
    ['是否有偿 Paid', order.compensation],
    ['房号 Room', order.roomNumber],
    ['描述 Description', order.description],
    ['创建时间 Created', local(order.createdAt, timeZone)],
    ['当前环节 Current', order.currentNodes.join(', ')],
    ['评价 Evaluation', order.evaluationScore ? `${order.evaluationScore}/5 ${order.evaluation ?? ''}` : ''],
    ['关闭 Closed', order.closedAt ? `${local(order.closedAt, timeZone)} ${order.closeReason ?? ''}` : ''],
  ];
  const row = ([k, v]: [string, unknown]) => `<tr><th>${escape(k)}</th><td>${escape(v)}</td></tr>`;
  const data = Object.entries(order.formData).map(([k, v]) =>
    row([k, typeof v === 'object' ? JSON.stringify(v) : v]),
  );
  const timeline = order.timeline.map(
    (t) =>
      `<tr><td>${escape(local(t.at, timeZone))}</td><td>${escape(t.kind)}</td><td>${escape(t.text)}</td><td>${escape(t.actorId)}</td><td>${escape(local(t.endedAt, timeZone))}</td></tr>`,
  );
  const attachments = order.attachmentUrls.map((u) => `<li>${escape(u)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(order.number)} ${escape(order.title)}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 11pt; color: #000; }
h1 { font-size: 16pt; margin: 0 0 8pt; } h2 { font-size: 12pt; margin: 14pt 0 4pt; }
table { width: 100%; border-collapse: collapse; page-break-inside: auto; } tr { page-break-inside: avoid; }
th, td { border: 1px solid #444; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { width: 28%; background: #eee; }
</style></head><body>
<h1>工单 Work order ${escape(order.number)}</h1>
<table>${fields.map(row).join('')}</table>
<h2>表单数据 Form data</h2><table>${data.join('') || '<tr><td>—</td></tr>'}</table>
${attachments ? `<h2>附件 Attachments</h2><ul>${attachments}</ul>` : ''}
<h2>流转记录 Timeline</h2>
<table><tr><th>时间</th><th>类型</th><th>内容</th><th>处理人</th><th>结束</th></tr>${timeline.join('')}</table>
</body></html>`;
}
