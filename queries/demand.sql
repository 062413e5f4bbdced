-- demand: how many outreach contacts were created (handed to dispatch) in each period of the
-- window, by region (the contact's primary location rolled up to `level`: 0 country, 1 admin1,
-- 2 admin2, 3 city), or by source, campaign, language or gender (`by`).
-- Sources, campaigns and languages are multi-valued: a contact counts once under each of its
-- values, so the rows of a period can add up to more than the contacts created in it. A contact
-- with no value (no location, source, ...) counts once under a NULL breakdown.
-- compare=previous: previous_contacts are the contacts of the window of equal length just before
-- `from`, moved forward by that length so that both windows share period labels; delta and
-- delta_pct compare the two. These columns are NULL without compare=previous.
-- params: from, to, grain, region, language, gender, source, campaign, level, by, compare
WITH windowed AS (
  -- only the columns needed: unnesting whole contact rows is what makes this slow at scale
  SELECT
    w.cohort,
    period_start($grain, w.aligned_at) AS period,
    CASE WHEN $by = 'region' THEN coalesce(p.place_id, w.primary_location_id) END AS region_id,
    CASE $by
      WHEN 'source' THEN w.sources
      WHEN 'campaign' THEN w.campaigns
      WHEN 'language' THEN w.languages
      WHEN 'gender' THEN [w.gender]
      ELSE [NULL]
    END AS breakdown_values
  FROM seekers_in_window($from, $to, $compare, $region, $language, $gender, $source, $campaign) w
  LEFT JOIN places_at_level($level) p ON p.location_id = w.primary_location_id
),
counted AS (
  SELECT cohort, period, region_id, unnest(values_or_unset(breakdown_values)) AS value
  FROM windowed
),
by_period AS (
  SELECT
    period, region_id, value,
    count(*) FILTER (WHERE cohort = 'current')::INTEGER AS contacts,
    count(*) FILTER (WHERE cohort = 'previous')::INTEGER AS previous_contacts
  FROM counted
  GROUP BY period, region_id, value
)
SELECT
  b.period,
  b.region_id,
  CASE WHEN $by = 'region' THEN coalesce(l.name, b.region_id::VARCHAR) ELSE b.value END AS breakdown,
  b.contacts,
  CASE WHEN $compare = 'previous' THEN b.previous_contacts END AS previous_contacts,
  CASE WHEN $compare = 'previous' THEN b.contacts - b.previous_contacts END::INTEGER AS delta,
  CASE WHEN $compare = 'previous' AND b.previous_contacts > 0
       THEN round((b.contacts - b.previous_contacts) * 100.0 / b.previous_contacts, 1) END::DOUBLE AS delta_pct
FROM by_period b
LEFT JOIN locations l ON l.location_id = b.region_id
ORDER BY b.period, b.contacts DESC, breakdown NULLS LAST;
