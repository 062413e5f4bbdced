import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDtLabels, isDtSettings } from './dt-labels.ts';

const SAMPLES = new URL('../../../fixtures/dt-samples/', import.meta.url);
const settings = JSON.parse(fs.readFileSync(new URL('rest/contacts_settings.json', SAMPLES), 'utf8'));

describe('D.T labels', () => {
  it('knows D.T default labels without the settings file', () => {
    const labels = buildDtLabels(null);
    expect(
      ['New Contact', 'Not Ready', 'Dispatch Needed', 'Waiting to be accepted', 'Active', 'Paused', 'Archived'].map((label) =>
        labels.optionKey('overall_status', label),
      ),
    ).toEqual(['new', 'unassignable', 'unassigned', 'assigned', 'active', 'paused', 'closed']);
    expect(labels.optionKey('seeker_path', 'First Meeting Complete')).toBe('met');
    expect(labels.optionLabel('seeker_path', 'coaching')).toBe('Being Coached');
    expect(labels.optionKey('reason_closed', 'No longer responding')).toBe('no_longer_responding');
    expect(labels.optionKey('sources', 'Phone Call')).toBeUndefined(); // added by the sample instance, not a default
  });

  it.each([
    ['Seeker Path', 'seeker_path'],
    ['Contact Status', 'overall_status'],
    ['Reason Archived', 'reason_closed'],
    ['Reason Not Ready', 'reason_unassignable'],
    ['Creation Date', 'post_date'],
    ['Contact Attempted', 'quick_button_no_answer'],
    ['Meeting No-show', 'quick_button_no_show'],
    ['Faith Milestones', 'milestones'],
    ['Locations', 'location_grid'],
    ['Phone', 'contact_phone'],
    ['contact status', 'overall_status'],
  ])('field name %s is %s', (name, key) => {
    expect(buildDtLabels(null).fieldKey(name)).toBe(key);
  });

  it("takes the instance's added options and labels from contacts_settings.json", () => {
    const labels = buildDtLabels(settings);
    expect(labels.optionKey('sources', 'Phone Call')).toBe('phone');
    expect(labels.optionKey('sources', 'Website Form')).toBe('website_form');
    expect(labels.optionKey('languages', 'Bengali')).toBe('bn');
    expect(labels.field('languages')?.type).toBe('multi_select');
  });

  it('never maps an empty label back to "none" or "not-set"', () => {
    const labels = buildDtLabels(settings);
    expect(labels.optionLabel('age', 'not-set')).toBe('');
    expect(labels.optionKey('age', '')).toBeUndefined();
    expect(labels.optionKey('reason_paused', ' ')).toBeUndefined();
  });

  it('matches labels regardless of case, exact spelling first', () => {
    expect(buildDtLabels(null).optionKey('overall_status', 'archived')).toBe('closed');
  });

  it('maps location names once the grid is known', () => {
    const labels = buildDtLabels(null, [{ location_id: 100050711, name: 'China' }]);
    expect(labels.locationId('China')).toBe(100050711);
    expect(labels.locationId('Atlantis')).toBeUndefined();
  });

  it('recognises the contacts settings and nothing else', () => {
    expect(isDtSettings(settings)).toBe(true);
    expect(isDtSettings({ fields: {}, post_type: 'groups' })).toBe(false);
    expect(isDtSettings({ posts: [], total: 0 })).toBe(false);
    expect(() => buildDtLabels({ posts: [] })).toThrow(/settings/);
  });
});
