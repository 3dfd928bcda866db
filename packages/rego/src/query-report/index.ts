export { evalQueryReport, type QueryReport, type QueryReportRow } from './eval-query-report.ts'
export { formatQueryReportJson, formatQueryReportPretty } from './format-query-report.ts'
