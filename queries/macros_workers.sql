-- Building blocks of the worker reports (latency, accountability, wellbeing, trial). Installed after
-- macros.sql. Names are distinct from the other groups' macro files: every file is installed on the
-- same connection, and a later CREATE OR REPLACE would silently redefine an earlier one.

-- "Now" for a report judged at an as-of date: the end of that day, so what happened on it has happened.
CREATE OR REPLACE TEMP MACRO end_of_day(p_as_of) AS (p_as_of::DATE + 1)::TIMESTAMP;

-- Seconds between two times, in days (fractions kept: a latency of 6 hours is 0.25 days).
CREATE OR REPLACE TEMP MACRO days_from(p_start, p_end) AS (epoch(p_end) - epoch(p_start)) / 86400.0;

-- The capacity a multiplier is held to: the multipliers data, else the setting's default.
CREATE OR REPLACE TEMP MACRO multiplier_capacity(p_capacity, p_default) AS coalesce(p_capacity, p_default);

-- Assignment episodes of outreach contacts that had started by the as-of day, each with the
-- time it stops counting for its multiplier (end_at: next assignment or close/pause, NULL while
-- it goes on) and the time an unreached milestone is censored at: min(next assignment, close or
-- pause, now). Closed-unreachable contacts stay in the risk set until closed, so slow workers do
-- not look fast.
CREATE OR REPLACE TEMP MACRO worker_episodes(p_as_of) AS TABLE
SELECT
  e.*,
  least(e.next_assigned_at, e.stopped_at) AS end_at,  -- least() skips NULLs
  least(e.next_assigned_at, e.stopped_at, end_of_day(p_as_of)) AS censor_at
FROM assignment_episodes e
JOIN contacts c ON c.contact_id = e.contact_id AND c.contact_type = 'access'
WHERE e.assigned_at < end_of_day(p_as_of);

-- One row per episode and milestone (accepted, first_attempt, established, first_meeting):
-- reached by now or not, and the days from assignment to the milestone, or to the censoring time
-- when it was not reached. A milestone reached after a close and reopen still counts as reached.
-- still_waiting: not reached, and censored only because "now" came (neither reassigned nor stopped).
CREATE OR REPLACE TEMP MACRO episode_milestones(p_as_of) AS TABLE
WITH long AS (
  SELECT w.contact_id, w.user_id, w.assigned_at, w.next_assigned_at, w.censor_at, m.milestone, m.milestone_order, m.reached_at
  FROM worker_episodes(p_as_of) w,
  LATERAL (SELECT unnest([
    {'milestone': 'accepted', 'milestone_order': 1, 'reached_at': w.accepted_at},
    {'milestone': 'first_attempt', 'milestone_order': 2, 'reached_at': w.first_attempt_at},
    {'milestone': 'established', 'milestone_order': 3, 'reached_at': w.established_at},
    {'milestone': 'first_meeting', 'milestone_order': 4, 'reached_at': w.first_meeting_at}
  ], recursive := true)) m
)
SELECT
  contact_id, user_id, assigned_at, milestone, milestone_order,
  coalesce(reached_at < end_of_day(p_as_of), false) AS reached,
  CASE WHEN reached_at < end_of_day(p_as_of) THEN days_from(assigned_at, reached_at)
       ELSE days_from(assigned_at, censor_at) END AS duration_days,
  NOT coalesce(reached_at < end_of_day(p_as_of), false) AND censor_at = end_of_day(p_as_of) AS still_waiting
FROM long;

-- Kaplan–Meier product-limit curve of each series of a table (named by p_observations: a CTE or
-- view with columns series, duration_days, reached). One step per distinct time: at risk = the
-- observations lasting at least that long; at equal times events come before censorings, so a
-- contact censored at t is still at risk for the events at t. Matches stats/survival.ts.
CREATE OR REPLACE TEMP MACRO km_curve(p_observations) AS TABLE
WITH tallies AS (
  SELECT series, duration_days AS time_days,
         count(*) FILTER (WHERE reached)::INTEGER AS events,
         count(*) FILTER (WHERE NOT reached)::INTEGER AS censored
  FROM query_table(p_observations)
  GROUP BY series, duration_days
),
at_risk AS (
  SELECT *,
    sum(events + censored) OVER (PARTITION BY series ORDER BY time_days DESC ROWS UNBOUNDED PRECEDING)::INTEGER AS at_risk
  FROM tallies
)
SELECT series, time_days, at_risk, events, censored,
  product(1.0 - events::DOUBLE / at_risk) OVER (PARTITION BY series ORDER BY time_days ROWS UNBOUNDED PRECEDING) AS survival
FROM at_risk;

-- The q-quantile of a Kaplan–Meier curve: the first time the share still waiting drops to 1 - q or
-- below (1e-12 absorbs rounding in products that should land exactly on 1 - q, as kmQuantile
-- does). NULL = not reached: never the last time seen, which would make slow workers look fast.
CREATE OR REPLACE TEMP MACRO km_quantile(p_time, p_survival, p_q) AS
  min(p_time) FILTER (WHERE p_survival <= 1 - p_q + 1e-12);

-- The overall status of each contact at the end of the as-of day: its last status change by then,
-- or the imported status when no change is logged.
CREATE OR REPLACE TEMP MACRO contact_status_at(p_as_of) AS TABLE
SELECT c.contact_id,
  coalesce(
    (SELECT arg_max(x.new_value, x.occurred_at) FROM events x
     WHERE x.contact_id = c.contact_id AND x.kind = 'status_changed' AND x.occurred_at < end_of_day(p_as_of)),
    c.overall_status::VARCHAR) AS status
FROM contacts c
WHERE c.contact_type = 'access' AND c.created_at < end_of_day(p_as_of);

-- The episodes that are a multiplier's current contacts at the end of the as-of day: the latest
-- assignment by then, and the contact active or waiting to be accepted (PRODUCT.md: active load).
CREATE OR REPLACE TEMP MACRO current_episodes(p_as_of) AS TABLE
SELECT w.*
FROM worker_episodes(p_as_of) w
JOIN contact_status_at(p_as_of) s ON s.contact_id = w.contact_id
WHERE (w.next_assigned_at IS NULL OR w.next_assigned_at >= end_of_day(p_as_of))
  AND s.status IN ('active', 'assigned');

-- Update requests still open at the end of the as-of day and older than p_days: a request with no
-- answer logged after it. Attributed to the multiplier the contact is assigned to at the as-of day.
-- One row per contact (its oldest open request).
CREATE OR REPLACE TEMP MACRO overdue_update_requests(p_as_of, p_days) AS TABLE
WITH open_requests AS (
  SELECT r.contact_id, min(r.occurred_at) AS requested_at
  FROM events r
  JOIN contacts c ON c.contact_id = r.contact_id AND c.contact_type = 'access'
  WHERE r.kind = 'update_requested' AND r.occurred_at < end_of_day(p_as_of)
    AND NOT EXISTS (
      SELECT 1 FROM events a
      WHERE a.contact_id = r.contact_id AND a.kind = 'update_answered'
        AND a.occurred_at > r.occurred_at AND a.occurred_at < end_of_day(p_as_of))
  GROUP BY r.contact_id
)
SELECT o.contact_id, w.user_id, o.requested_at, days_from(o.requested_at, end_of_day(p_as_of)) AS open_days
FROM open_requests o
JOIN worker_episodes(p_as_of) w ON w.contact_id = o.contact_id
  AND (w.next_assigned_at IS NULL OR w.next_assigned_at >= end_of_day(p_as_of))
WHERE o.requested_at + to_days(p_days::INTEGER) <= end_of_day(p_as_of);

-- Each multiplier's active load at the end of every day from p_start to p_end: the outreach
-- contacts assigned to it, counted from the day of assignment until the next assignment or a close
-- or pause (a contact ended on day d no longer counts at the end of d).
CREATE OR REPLACE TEMP MACRO multiplier_daily_load(p_start, p_end) AS TABLE
WITH episodes AS (
  SELECT user_id, assigned_at::DATE AS start_day, end_at::DATE AS end_day
  FROM worker_episodes(p_end)
),
changes AS (
  SELECT user_id, greatest(start_day, p_start::DATE) AS day, count(*) AS delta
  FROM episodes GROUP BY ALL
  UNION ALL
  SELECT user_id, greatest(end_day, p_start::DATE), -count(*)
  FROM episodes WHERE end_day IS NOT NULL AND end_day <= p_end::DATE GROUP BY ALL
),
per_day AS (
  SELECT user_id, day, sum(delta) AS delta FROM changes GROUP BY ALL
),
days AS (
  SELECT m.user_id, d.day::DATE AS day
  FROM multipliers m, range(p_start::DATE, p_end::DATE + 1, INTERVAL 1 DAY) d(day)
  WHERE is_multiplier(m.roles)
)
SELECT d.user_id, d.day,
  coalesce(sum(p.delta) OVER (PARTITION BY d.user_id ORDER BY d.day ROWS UNBOUNDED PRECEDING), 0)::INTEGER AS load
FROM days d LEFT JOIN per_day p ON p.user_id = d.user_id AND p.day = d.day;
