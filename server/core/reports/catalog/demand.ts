import type { ReportDefinition } from '../definitions.ts';

export const DEMAND_REPORTS: ReportDefinition[] = [];
