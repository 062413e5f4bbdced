// Every report, in the order the catalogue lists them. Each group lives in its own file.
import { BASIC_REPORTS, type ReportDefinition } from '../definitions.ts';
import { DEMAND_REPORTS } from './demand.ts';
import { DISPATCH_REPORTS } from './dispatch.ts';
import { WORKERS_REPORTS } from './workers.ts';

import { REPORT_PRIVACY } from '../privacy.ts';

export const REPORTS: ReportDefinition[] = [...BASIC_REPORTS, ...DEMAND_REPORTS, ...DISPATCH_REPORTS, ...WORKERS_REPORTS]
  .map((report) => ({ ...report, privacy: report.privacy ?? REPORT_PRIVACY[report.name] }));
