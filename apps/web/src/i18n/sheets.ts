/** Texts of the import/export buttons and dialog of every master-data list (namespace `sheets`). */
export const sheetsEn = {
  export: 'Export',
  exportXlsx: 'Excel (.xlsx)',
  exportCsv: 'CSV',
  import: 'Import',
  title: '{{noun}} import',
  step1: 'Download a template, fill it in (Chinese or English headers), then choose the file.',
  templateXlsx: 'Template (.xlsx)',
  templateCsv: 'Template (CSV)',
  choose: 'Click or drop an .xlsx or .csv file here',
  limit: 'Up to 200 MB. Every row is checked before anything is written.',
  dryRun: 'Check only (dry run), write nothing',
  upsert: 'Update records whose code exists already (upsert)',
  start: 'Check and import',
  startDry: 'Check',
  close: 'Close',
  uploading: 'Uploading… {{percent}}%',
  validating: 'Checking rows… {{done}}',
  writing: 'Writing… {{done}} of {{total}}',
  imported: '{{inserted}} created, {{updated}} updated from {{rows}} rows.',
  validated: 'All {{rows}} rows are valid; nothing was written (dry run).',
  invalid: '{{count}} problems found; nothing was written.',
  moreErrors: 'and {{count}} more in the error report',
  errorReport: 'Download error report',
  row: 'Row',
  column: 'Column',
  value: 'Value',
  problem: 'Problem',
  noFile: 'Choose a file first.',
  locationNoun: 'Location',
  locations: 'Locations',
};

export type SheetsMessages = typeof sheetsEn;

export const sheetsZhCN: SheetsMessages = {
  export: '导出',
  exportXlsx: 'Excel (.xlsx)',
  exportCsv: 'CSV',
  import: '导入',
  title: '{{noun}}导入',
  step1: '下载模板并填写（中文或英文表头均可），然后选择文件。',
  templateXlsx: '模板 (.xlsx)',
  templateCsv: '模板 (CSV)',
  choose: '点击或拖入 .xlsx 或 .csv 文件',
  limit: '最大 200 MB。写入前会先校验每一行。',
  dryRun: '仅校验（试运行），不写入',
  upsert: '编码已存在时更新该记录',
  start: '校验并导入',
  startDry: '校验',
  close: '关闭',
  uploading: '上传中… {{percent}}%',
  validating: '正在校验… 已读 {{done}} 行',
  writing: '正在写入… {{done}} / {{total}}',
  imported: '共 {{rows}} 行：新建 {{inserted}} 条，更新 {{updated}} 条。',
  validated: '{{rows}} 行全部有效；试运行未写入任何数据。',
  invalid: '发现 {{count}} 个问题，未写入任何数据。',
  moreErrors: '另有 {{count}} 个问题见错误报告',
  errorReport: '下载错误报告',
  row: '行',
  column: '列',
  value: '值',
  problem: '问题',
  noFile: '请先选择文件。',
  locationNoun: '库位',
  locations: '库位',
};

export type SheetsNamespaces = { sheets: SheetsMessages };

export function sheetsTexts(lang: 'en' | 'zh-CN'): SheetsNamespaces {
  return { sheets: lang === 'zh-CN' ? sheetsZhCN : sheetsEn };
}
