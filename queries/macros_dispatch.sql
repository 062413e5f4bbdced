-- Building blocks of the dispatch reports (capacity, worker_gap, bottlenecks, duplicates, match).
-- Installed after macros.sql; parameters arrive bound, these only compose them.

-- "Now" for a current-state report judged at the as-of date: the end of that day, so everything
-- that happened on the as-of day has happened.
CREATE OR REPLACE TEMP MACRO as_of_end(p_as_of) AS (p_as_of::DATE + 1)::TIMESTAMP;

-- Whole and fractional days from a time to "now", for ages and waits.
CREATE OR REPLACE TEMP MACRO days_between(p_since, p_now) AS
  date_diff('second', p_since, p_now) / 86400.0;

-- Each multiplier's supply, as the dispatcher weighs it. Load is the snapshot's: contacts assigned
-- to the worker whose overall status is active or assigned (waiting to be accepted), since both
-- take the worker's time. Capacity is the declared one, else the default setting; D.T's workload
-- status too_many means the worker asked for no more, so the capacity a dispatcher can use is 0.
-- Utilisation is judged against the nominal capacity, so an overloaded too_many worker still shows
-- how full they are.
CREATE OR REPLACE TEMP MACRO multiplier_supply(p_default_capacity, p_as_of) AS TABLE
WITH load AS (
  SELECT c.assigned_to AS user_id,
         count(*) FILTER (WHERE c.overall_status IN ('active', 'assigned')) AS active_load,
         count(*) FILTER (WHERE c.overall_status = 'assigned') AS waiting_acceptance
  FROM contacts c
  WHERE c.contact_type = 'access' AND c.assigned_to IS NOT NULL
  GROUP BY c.assigned_to
),
supply AS (
  SELECT
    m.user_id, m.display_name, m.gender, coalesce(m.languages, []) AS languages,
    coalesce(m.location_ids, []) AS location_ids, m.workload_status, m.user_status,
    coalesce(m.capacity, p_default_capacity)::INTEGER AS nominal_capacity,
    CASE WHEN m.workload_status = 'too_many' THEN 0 ELSE coalesce(m.capacity, p_default_capacity) END::INTEGER AS capacity,
    coalesce(l.active_load, 0)::INTEGER AS active_load,
    coalesce(l.waiting_acceptance, 0)::INTEGER AS waiting_acceptance,
    coalesce(m.unavailable, []) AS unavailable,
    list_filter(coalesce(m.unavailable, []), r -> p_as_of::DATE BETWEEN r.start_date AND r.end_date) AS current_leave
  FROM multipliers m
  LEFT JOIN load l ON l.user_id = m.user_id
  WHERE is_multiplier(m.roles)
)
SELECT
  s.* EXCLUDE (current_leave),
  greatest(s.capacity - s.active_load, 0)::INTEGER AS free_capacity,
  len(s.current_leave) > 0 AS unavailable_now,
  list_max(list_transform(s.current_leave, r -> r.end_date)) AS unavailable_until
FROM supply s;

-- The places each multiplier serves, for region matching: a multiplier serves a region when one of
-- their places is inside it (they travel there) or contains it (a worker for a whole country serves
-- its cities). A served place missing from the location grid still serves itself.
CREATE OR REPLACE TEMP VIEW multiplier_coverage AS
WITH served AS (
  SELECT m.user_id, unnest(m.location_ids) AS served_id
  FROM multipliers m
  WHERE is_multiplier(m.roles)
)
SELECT DISTINCT user_id, location_id FROM (
  SELECT s.user_id, s.served_id AS location_id FROM served s
  UNION ALL
  SELECT s.user_id, ll.ancestor_id FROM served s JOIN location_lineage ll ON ll.location_id = s.served_id
  UNION ALL
  SELECT s.user_id, ll.location_id FROM served s JOIN location_lineage ll ON ll.ancestor_id = s.served_id
);

-- A name as it is compared for duplicates: accents stripped, lower-case, runs of white space as one
-- space, trimmed. Empty names never match.
CREATE OR REPLACE TEMP MACRO normalised_name(p_name) AS
  nullif(trim(regexp_replace(lower(strip_accents(p_name)), '\s+', ' ', 'g')), '');

-- Great-circle distance in km between two centroids (haversine, mean Earth radius 6371 km).
CREATE OR REPLACE TEMP MACRO haversine_km(p_lat1, p_lon1, p_lat2, p_lon2) AS
  2 * 6371.0 * asin(sqrt(
    pow(sin(radians(p_lat2 - p_lat1) / 2), 2)
    + cos(radians(p_lat1)) * cos(radians(p_lat2)) * pow(sin(radians(p_lon2 - p_lon1) / 2), 2)));

-- Each multiplier's follow-through record at the as-of date: of their assignment episodes that began
-- at least p_within_days before the end of the as-of day (younger ones cannot be judged yet), the
-- ones with a first contact attempt within p_within_days of the assignment.
-- Episodes and attempts are those of assignment_episodes in macros.sql (an episode runs from an
-- assignment to the contact's next one; an attempt is a quick button or a seeker-path move to
-- attempted or beyond), but found in one ordered pass over the events instead of joining every
-- assignment to every event of its contact, which match runs once per request.
CREATE OR REPLACE TEMP MACRO follow_through(p_as_of, p_within_days) AS TABLE
WITH stream AS (
  SELECT e.contact_id, e.occurred_at, e.event_id, e.target_user_id,
         e.kind = 'assigned' AS is_assignment
  FROM events e
  WHERE (e.kind = 'assigned' AND e.target_user_id IS NOT NULL)
     OR e.kind IN ('attempt', 'established', 'scheduled', 'met', 'no_show')
     OR (e.kind = 'seeker_path_changed' AND e.new_value IN ('attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching'))
),
numbered AS (
  -- An event at the same instant as an assignment belongs to the episode that assignment starts.
  SELECT s.*,
         sum(s.is_assignment::INTEGER) OVER (PARTITION BY s.contact_id
           ORDER BY s.occurred_at, s.is_assignment DESC, s.event_id ROWS UNBOUNDED PRECEDING) AS episode_no
  FROM stream s
),
episodes AS (
  SELECT contact_id, episode_no,
         any_value(target_user_id) FILTER (WHERE is_assignment) AS user_id,
         min(occurred_at) FILTER (WHERE is_assignment) AS assigned_at,
         min(occurred_at) FILTER (WHERE NOT is_assignment) AS first_attempt_at
  FROM numbered
  WHERE episode_no > 0
  GROUP BY contact_id, episode_no
)
SELECT
  e.user_id,
  count(*)::INTEGER AS judged_assignments,
  count(*) FILTER (WHERE e.first_attempt_at <= e.assigned_at + to_days(p_within_days::INTEGER))::INTEGER AS attempted_in_time
FROM episodes e
JOIN multipliers m ON m.user_id = e.user_id AND is_multiplier(m.roles)
WHERE e.assigned_at + to_days(p_within_days::INTEGER) <= as_of_end(p_as_of)
GROUP BY e.user_id;
