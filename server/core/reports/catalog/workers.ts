import type { ReportDefinition } from '../definitions.ts';

export const WORKERS_REPORTS: ReportDefinition[] = [];
