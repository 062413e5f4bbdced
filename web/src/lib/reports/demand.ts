// Reading the demand report (one row per period × region: contacts, previous_contacts) the ways
// the views need: the new-contacts headline, and one total per period.
import { pickMeasure, type ResultLike } from './columns';
import { aggregate, headline, type Headline } from './shape';

/** New contacts in the window with the change against the previous one; null if it has no measure. */
export function newContactsHeadline(demand: ResultLike): Headline | null {
  const contacts = pickMeasure(demand, ['contacts']);
  return contacts ? headline(demand, contacts, 'New contacts') : null;
}

/** A region-less total per period is the sum over regions (each contact has one place). */
export function demandPerPeriod(demand: ResultLike): ResultLike {
  return aggregate(demand, ['period'], ['contacts', 'previous_contacts']);
}
