import type { ReportDefinition } from '../definitions.ts';

export const DISPATCH_REPORTS: ReportDefinition[] = [];
