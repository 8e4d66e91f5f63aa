export * from './form.contract';
export * from './report.contract';
export * from './work-order.contract';
export * from './attachment-refs';
