-- worker_gap: where workers are missing. Per region (the contact's place rolled up to `level`) and
-- per language × gender (the contact's first language and gender, 'unknown' when not recorded):
-- the demand in the window (outreach contacts created) against the multipliers who fit it and their
-- free capacity now. A multiplier fits when they serve the region (one of their places is inside it
-- or contains it), speak the language, are of the same gender, and their workload status is not
-- too_many. A contact whose language or gender is not recorded fits any multiplier on that count;
-- one with no place fits multipliers anywhere.
-- gap = demand_contacts - free_capacity. coverage_status: 'no fitting multiplier' (nobody serves this
-- demand at all: the areas a dispatcher must decide about), 'short' (gap > 0), 'covered'.
-- multipliers_in_region counts every multiplier serving the region, fitting or not.
-- only_uncovered=true keeps the 'no fitting multiplier' rows. Rows with no fitting multiplier come
-- first, then the biggest gaps.
-- params: from, to, region, language, gender, source, campaign, level, as_of, default_capacity, only_uncovered
WITH demand_by_place AS (
  SELECT s.primary_location_id AS location_id,
         coalesce(s.languages[1], 'unknown') AS language,
         coalesce(s.gender, 'unknown') AS gender,
         count(*) AS contacts
  FROM seekers($region, $language, $gender, $source, $campaign) s
  WHERE s.created_at >= $from::DATE AND s.created_at < $to::DATE + 1
  GROUP BY ALL
),
demand AS (
  SELECT place_at_level(d.location_id, $level) AS region_id, d.language, d.gender, sum(d.contacts) AS demand_contacts
  FROM demand_by_place d
  GROUP BY ALL
),
supply AS (
  SELECT * FROM multiplier_supply($default_capacity, $as_of)
),
-- Who serves each region; a NULL region (contact without a place) is served by everyone.
serving AS (
  SELECT mc.user_id, mc.location_id AS region_id FROM multiplier_coverage mc
  UNION ALL
  SELECT s.user_id, NULL FROM supply s
),
fit AS (
  SELECT
    d.region_id, d.language, d.gender, d.demand_contacts,
    count(DISTINCT sv.user_id) AS multipliers_in_region,
    count(DISTINCT sp.user_id) FILTER (WHERE sp.workload_status IS DISTINCT FROM 'too_many'
      AND (d.language = 'unknown' OR list_contains(sp.languages, d.language))
      AND (d.gender = 'unknown' OR sp.gender = d.gender)) AS fitting_multipliers,
    coalesce(sum(sp.free_capacity) FILTER (WHERE sp.workload_status IS DISTINCT FROM 'too_many'
      AND (d.language = 'unknown' OR list_contains(sp.languages, d.language))
      AND (d.gender = 'unknown' OR sp.gender = d.gender)), 0) AS free_capacity
  FROM demand d
  LEFT JOIN serving sv ON sv.region_id IS NOT DISTINCT FROM d.region_id
  LEFT JOIN supply sp ON sp.user_id = sv.user_id
  GROUP BY d.region_id, d.language, d.gender, d.demand_contacts
),
rows AS (
  SELECT
    f.*,
    f.demand_contacts - f.free_capacity AS gap,
    CASE WHEN f.fitting_multipliers = 0 THEN 'no fitting multiplier'
         WHEN f.demand_contacts > f.free_capacity THEN 'short'
         ELSE 'covered' END AS coverage_status
  FROM fit f
)
SELECT
  r.region_id::VARCHAR AS region_id,
  CASE WHEN r.region_id IS NULL THEN 'unknown' ELSE coalesce(l.name, r.region_id::VARCHAR) END AS region,
  r.language,
  r.gender,
  r.demand_contacts::INTEGER AS demand_contacts,
  r.fitting_multipliers::INTEGER AS fitting_multipliers,
  r.free_capacity::INTEGER AS free_capacity,
  r.gap::INTEGER AS gap,
  r.coverage_status,
  r.multipliers_in_region::INTEGER AS multipliers_in_region
FROM rows r
LEFT JOIN locations l ON l.location_id = r.region_id
WHERE NOT $only_uncovered OR r.coverage_status = 'no fitting multiplier'
ORDER BY CASE r.coverage_status WHEN 'no fitting multiplier' THEN 0 WHEN 'short' THEN 1 ELSE 2 END,
         r.gap DESC, r.demand_contacts DESC, region, r.language, r.gender;
