// The reports of a view that follows the filter bar: its parameters come from the URL, so a
// filter change, a reload or a shared link asks for the same reports. Create one per page, in the
// page's script (the queries are effects and live as long as the page).
import { api } from '../api/index';
import { Query, reportQuery, WAIT } from '../api/query.svelte';
import type { Dimensions, ReportResult } from '../api/types';
import type { QueryParams } from '../api/urls';
import type { FilterState } from '../state/filters';
import { drillLevel } from '../state/regions';
import { currentFilters, currentReportParams } from '../state/url.svelte';
import { newContactsHeadline } from './demand';
import { coordinatesOf, type Headline } from './shape';

export type ReportParams = Record<string, string>;

/** The filters' parameters changed for one report; null leaves it idle, WAIT shows it loading. */
export type AdjustParams = (params: ReportParams) => QueryParams | null | typeof WAIT;

export class FilteredReports {
  readonly filters: FilterState = $derived(currentFilters());
  readonly params: ReportParams = $derived(currentReportParams());

  // The region list says how deep a chosen region is and where each region sits on the map.
  #dimensions = new Query<Dimensions | null>(() => ({ key: 'dimensions', load: () => api.dimensions() }));
  // Until the list has come (or failed), a chosen region's depth is unknown; asking without the
  // level would fetch the coarser breakdown only to throw it away.
  #regionsKnown = $derived(!this.params.region || this.#dimensions.status === 'ready' || this.#dimensions.status === 'error');
  #drill = $derived(drillLevel(this.params.region, this.#dimensions.data?.regions));

  /** Region id → longitude/latitude, for map charts of reports whose rows carry region ids only. */
  readonly coordinates = $derived(coordinatesOf(this.#dimensions.data?.regions));

  report(name: string, adjust: AdjustParams = (params) => params): Query<ReportResult> {
    return reportQuery(name, () => adjust(this.params));
  }

  /**
   * A report per area: with a region chosen, broken down one level below it (a country's
   * provinces) rather than shown as the one region.
   */
  byArea(name: string): Query<ReportResult> {
    return reportQuery(name, () => {
      if (!this.#regionsKnown) return WAIT;
      return this.#drill ? { ...this.params, level: this.#drill } : this.params;
    });
  }
}

/**
 * New contacts over the filters, as the Campaigns and Regions views show them: the headline total
 * with its change, and the demand report behind "Demand over time".
 */
export class NewContacts {
  readonly headline: Headline | null;
  /** The demand report over the filters: contacts per period × region. */
  readonly demand: Query<ReportResult>;

  constructor(reports: FilteredReports) {
    // Always with the previous period, since a headline shows its change whatever the compare
    // switch says; by year, the coarsest grain, so as few cells as possible are small enough to be
    // suppressed for aggregate-only roles.
    const totals = reports.report('demand', (params) => ({ ...params, grain: 'year', compare: 'previous' }));
    this.headline = $derived(totals.data ? newContactsHeadline(totals.data) : null);
    this.demand = reports.report('demand');
  }
}
