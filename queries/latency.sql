-- latency: how long contacts wait after assignment to be accepted, to get a first contact attempt,
-- to reach "contact established" and a first meeting. Per group (multiplier, region or month of
-- assignment) and milestone: the assignment episodes in the window, how many reached the milestone,
-- how many were censored (not reached: reassigned, closed or paused first, or still waiting at the
-- as-of day) and of those how many are still waiting; the Kaplan–Meier median and 90th percentile in
-- days (NULL = not reached: fewer than half / 90% got there, counting the censored ones as waiting
-- as long as they were seen), and, for contrast only, the naive median of the reached ones alone.
-- params: from, to (day of assignment), as_of, by (multiplier | region | month), level (with by=region),
--         region, language, gender, source, campaign
WITH episodes AS (
  SELECT em.*, coalesce(pl.place_id, s.primary_location_id) AS place_id
  FROM episode_milestones($as_of) em
  JOIN seekers($region, $language, $gender, $source, $campaign) s ON s.contact_id = em.contact_id
  LEFT JOIN places_at_level($level) pl ON pl.location_id = s.primary_location_id
  WHERE em.assigned_at >= $from::DATE AND em.assigned_at < $to::DATE + 1
),
observations AS (
  SELECT
    {
      'multiplier_id': CASE WHEN $by = 'multiplier' THEN user_id END,
      'region_id': CASE WHEN $by = 'region' THEN place_id END,
      'month': CASE WHEN $by = 'month' THEN period_start('month', assigned_at) END,
      'milestone': milestone,
      'milestone_order': milestone_order
    } AS series,
    duration_days, reached, still_waiting
  FROM episodes
),
counts AS (
  SELECT series,
    count(*)::INTEGER AS episodes,
    count(*) FILTER (WHERE reached)::INTEGER AS reached,
    count(*) FILTER (WHERE still_waiting)::INTEGER AS still_waiting,
    median(duration_days) FILTER (WHERE reached) AS naive_median_days
  FROM observations GROUP BY series
),
quantiles AS (
  SELECT series,
    km_quantile(time_days, survival, 0.5) AS median_days,
    km_quantile(time_days, survival, 0.9) AS p90_days
  FROM km_curve('observations') GROUP BY series
)
SELECT
  c.series.multiplier_id AS multiplier_id,
  m.display_name AS multiplier_name,
  c.series.region_id::VARCHAR AS region_id,
  l.name AS region_name,
  c.series.month AS month,
  c.series.milestone AS milestone,
  c.episodes,
  c.reached,
  (c.episodes - c.reached)::INTEGER AS censored,
  c.still_waiting,
  round(q.median_days, 2)::DOUBLE AS median_days,
  round(q.p90_days, 2)::DOUBLE AS p90_days,
  round(c.naive_median_days, 2)::DOUBLE AS naive_median_days
FROM counts c
JOIN quantiles q ON q.series = c.series
LEFT JOIN multipliers m ON m.user_id = c.series.multiplier_id
LEFT JOIN locations l ON l.location_id = c.series.region_id
ORDER BY multiplier_name NULLS LAST, c.series.multiplier_id, region_name NULLS LAST, c.series.region_id, c.series.month, c.series.milestone_order;
