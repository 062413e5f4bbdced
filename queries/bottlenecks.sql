-- bottlenecks: where the queue is stuck, by region (the contact's place rolled up to `level`), judged
-- at the end of the as-of day:
-- * the dispatch queue: outreach contacts whose overall status is unassigned or new; their number,
--   and the oldest and median age in days since they (last) entered the queue, or were created;
-- * contacts waiting for acceptance (status assigned): their number, and the oldest and median wait
--   in days since their last assignment (or creation when none is recorded);
-- * active contacts stuck in a seeker-path stage longer than D.T's own thresholds: stuck_none_days
--   at none, stuck_attempted_days at attempted, stuck_later_days at any later stage. Time in a stage
--   runs from the last seeker-path change, or the last assignment, or creation when there is none.
--   Paused and closed contacts are not stuck: nobody is expected to move them.
-- Statuses and stages are the dataset's current state; events after the as-of day are ignored.
-- Regions with the most contacts held up come first.
-- params: region, language, gender, source, campaign, level, as_of, stuck_none_days, stuck_attempted_days, stuck_later_days
WITH held AS (
  SELECT s.contact_id, s.overall_status, coalesce(s.seeker_path, 'none'::seeker_path) AS stage,
         s.created_at, s.primary_location_id
  FROM seekers($region, $language, $gender, $source, $campaign) s
  WHERE s.overall_status IN ('new', 'unassigned', 'assigned', 'active')
    AND s.created_at < as_of_end($as_of)
),
history AS (
  SELECT e.contact_id,
         max(e.occurred_at) FILTER (WHERE e.kind = 'status_changed' AND e.new_value IN ('new', 'unassigned')) AS queued_at,
         max(e.occurred_at) FILTER (WHERE e.kind = 'assigned') AS last_assigned_at,
         max(e.occurred_at) FILTER (WHERE e.kind = 'seeker_path_changed') AS stage_changed_at
  FROM events e
  WHERE e.contact_id IN (SELECT contact_id FROM held)
    AND e.kind IN ('status_changed', 'assigned', 'seeker_path_changed')
    AND e.occurred_at < as_of_end($as_of)
  GROUP BY e.contact_id
),
aged AS (
  SELECT
    h.contact_id, h.overall_status, h.stage, h.primary_location_id,
    CASE WHEN h.overall_status IN ('new', 'unassigned')
         THEN days_between(greatest(h.created_at, coalesce(x.queued_at, h.created_at)), as_of_end($as_of)) END AS queue_days,
    CASE WHEN h.overall_status = 'assigned'
         THEN days_between(greatest(h.created_at, coalesce(x.last_assigned_at, h.created_at)), as_of_end($as_of)) END AS waiting_days,
    CASE WHEN h.overall_status = 'active'
         THEN days_between(greatest(h.created_at, coalesce(x.stage_changed_at, x.last_assigned_at, h.created_at)), as_of_end($as_of)) END AS stage_days
  FROM held h
  LEFT JOIN history x ON x.contact_id = h.contact_id
),
judged AS (
  SELECT a.*,
         a.stage_days > CASE a.stage WHEN 'none' THEN $stuck_none_days
                                     WHEN 'attempted' THEN $stuck_attempted_days
                                     ELSE $stuck_later_days END AS stuck
  FROM aged a
),
-- Each place rolled up once, not once per contact.
regions AS (
  SELECT p.location_id, place_at_level(p.location_id, $level) AS region_id
  FROM (SELECT DISTINCT primary_location_id AS location_id FROM held WHERE primary_location_id IS NOT NULL) p
),
by_place AS (
  SELECT j.*, g.region_id
  FROM judged j
  LEFT JOIN regions g ON g.location_id = j.primary_location_id
),
by_region AS (
  SELECT
    region_id,
    count(queue_days) AS queue_contacts,
    max(queue_days) AS queue_oldest_days,
    median(queue_days) AS queue_median_days,
    count(waiting_days) AS waiting_acceptance_contacts,
    max(waiting_days) AS waiting_oldest_days,
    median(waiting_days) AS waiting_median_days,
    count(stage_days) AS active_contacts,
    count(*) FILTER (WHERE stuck) AS stuck_contacts,
    count(*) FILTER (WHERE stuck AND stage = 'none') AS stuck_at_none,
    count(*) FILTER (WHERE stuck AND stage = 'attempted') AS stuck_at_attempted,
    count(*) FILTER (WHERE stuck AND stage > 'attempted'::seeker_path) AS stuck_later,
    max(stage_days) FILTER (WHERE stuck) AS stuck_oldest_days
  FROM by_place
  GROUP BY region_id
)
SELECT
  r.region_id::VARCHAR AS region_id,
  CASE WHEN r.region_id IS NULL THEN 'unknown' ELSE coalesce(l.name, r.region_id::VARCHAR) END AS region,
  r.queue_contacts::INTEGER AS queue_contacts,
  round(r.queue_oldest_days, 1)::DOUBLE AS queue_oldest_days,
  round(r.queue_median_days, 1)::DOUBLE AS queue_median_days,
  r.waiting_acceptance_contacts::INTEGER AS waiting_acceptance_contacts,
  round(r.waiting_oldest_days, 1)::DOUBLE AS waiting_oldest_days,
  round(r.waiting_median_days, 1)::DOUBLE AS waiting_median_days,
  r.active_contacts::INTEGER AS active_contacts,
  r.stuck_contacts::INTEGER AS stuck_contacts,
  r.stuck_at_none::INTEGER AS stuck_at_none,
  r.stuck_at_attempted::INTEGER AS stuck_at_attempted,
  r.stuck_later::INTEGER AS stuck_later,
  round(r.stuck_oldest_days, 1)::DOUBLE AS stuck_oldest_days
FROM by_region r
LEFT JOIN locations l ON l.location_id = r.region_id
ORDER BY r.queue_contacts + r.waiting_acceptance_contacts + r.stuck_contacts DESC, region;
