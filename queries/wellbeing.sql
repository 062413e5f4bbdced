-- wellbeing: burnout and underload signals per multiplier at the as-of day, one row per signal with
-- the numbers that triggered it (value, threshold, the worker's own baseline where there is one, the
-- window they were measured over) and a sentence saying so. A multiplier with no signal has no row.
-- Burnout signals:
--   load_above_capacity   active load above capacity on each of the last overload_days days or more
--   workload_too_many     D.T workload status "too many"
--   slow_first_attempt    Kaplan–Meier median days from assignment to first attempt, over the episodes
--                         assigned in the last recent_days, above latency_factor × the same median over
--                         the baseline_days before them (not reached counts as above when the recent
--                         contacts have been watched that long)
--   overdue_updates       overdue_update_count or more update requests unanswered for update_days
--   inactive_contacts     more than inactive_share_pct % of its current contacts without any activity of
--                         its own for inactive_days (counted from assignment for newer contacts)
--   declines_rising       declined assignments per assignment in the last recent_days at least
--                         decline_rise_factor × the rate over the baseline days before, with at least
--                         min_declines declines
--   activity_drop         its own logged activity per week in the last recent_days down by
--                         activity_drop_pct % or more against the baseline days before, while its average
--                         load stayed at load_stayed_pct % or more of what it was
-- Underload signal:
--   underload             on each of the last underload_days days available and at least
--                         underload_free_pct % of capacity free, while outreach contacts that fit it
--                         (a shared language, same gender, placed in an area it serves; unknown language
--                         or gender fits) wait in the dispatch queue (status new or unassigned). Not for
--                         workers who asked for no new contacts (workload existing or too many).
-- Load is reconstructed from assignment episodes (a contact counts from its assignment until its next
-- assignment or a close or pause); capacity is the multipliers data's, else default_capacity.
-- params: as_of, default_capacity, overload_days, recent_days, baseline_days, latency_factor,
--         min_episodes, update_days, overdue_update_count, inactive_days, inactive_share_pct,
--         decline_rise_factor, min_declines, activity_drop_pct, load_stayed_pct, underload_days,
--         underload_free_pct
WITH bounds AS (
  SELECT
    $as_of::DATE AS as_of_day,
    end_of_day($as_of) AS now_ts,
    end_of_day($as_of) - to_days($recent_days::INTEGER) AS recent_start,
    end_of_day($as_of) - to_days(($recent_days + $baseline_days)::INTEGER) AS baseline_start
),
workers AS (
  SELECT m.user_id, m.display_name, m.workload_status, m.gender, m.languages, m.location_ids, m.unavailable,
    multiplier_capacity(m.capacity, $default_capacity::INTEGER) AS capacity
  FROM multipliers m
  WHERE is_multiplier(m.roles)
),
-- A year of daily load is enough to see how long an overload has lasted.
daily AS (
  SELECT d.user_id, d.day, d.load, w.capacity
  FROM multiplier_daily_load($as_of::DATE - 364, $as_of) d
  JOIN workers w USING (user_id)
),

-- load_above_capacity: the days since the last day the load was within capacity.
overload AS (
  SELECT w.user_id, w.capacity,
    (b.as_of_day - coalesce(max(d.day) FILTER (WHERE d.load <= d.capacity), b.as_of_day - 365))::INTEGER AS days_over,
    max(d.load) FILTER (WHERE d.day = b.as_of_day) AS load_now
  FROM workers w CROSS JOIN bounds b LEFT JOIN daily d USING (user_id)
  GROUP BY w.user_id, w.capacity, b.as_of_day
),
load_signals AS (
  SELECT o.user_id, 'burnout' AS kind, 'load_above_capacity' AS signal,
    o.days_over::DOUBLE AS value, $overload_days::DOUBLE AS threshold, NULL::DOUBLE AS baseline, 'days' AS unit,
    b.as_of_day - o.days_over + 1 AS window_start, b.as_of_day AS window_end,
    format('active load above capacity {} on each of the last {} days (load now {}; threshold {} days)',
      o.capacity, o.days_over, o.load_now, $overload_days) AS evidence
  FROM overload o, bounds b
  WHERE o.days_over >= $overload_days
),

too_many_signals AS (
  SELECT w.user_id, 'burnout' AS kind, 'workload_too_many' AS signal,
    NULL::DOUBLE AS value, NULL::DOUBLE AS threshold, NULL::DOUBLE AS baseline, NULL AS unit,
    NULL::DATE AS window_start, b.as_of_day AS window_end,
    'workload status set to "too many" in D.T' AS evidence
  FROM workers w, bounds b
  WHERE w.workload_status = 'too_many'
),

-- slow_first_attempt: Kaplan–Meier over the recent and the baseline episodes of each worker.
attempt_waits AS (
  SELECT
    {'user_id': em.user_id, 'period': CASE WHEN em.assigned_at >= b.recent_start THEN 'recent' ELSE 'baseline' END} AS series,
    em.duration_days, em.reached
  FROM episode_milestones($as_of) em, bounds b
  WHERE em.milestone = 'first_attempt' AND em.assigned_at >= b.baseline_start
),
attempt_medians AS (
  SELECT series.user_id AS user_id, series.period AS period,
    km_quantile(time_days, survival, 0.5) AS median_days,
    sum(events + censored)::INTEGER AS episodes,
    max(time_days) AS longest_days
  FROM km_curve('attempt_waits')
  GROUP BY series
),
latency AS (
  SELECT r.user_id, r.median_days AS recent_median, r.episodes AS recent_episodes, r.longest_days AS recent_longest,
    p.median_days AS baseline_median, p.episodes AS baseline_episodes,
    $latency_factor * p.median_days AS threshold
  FROM attempt_medians r JOIN attempt_medians p ON p.user_id = r.user_id AND p.period = 'baseline'
  WHERE r.period = 'recent'
),
latency_signals AS (
  SELECT l.user_id, 'burnout' AS kind, 'slow_first_attempt' AS signal,
    round(l.recent_median, 2)::DOUBLE AS value, round(l.threshold, 2)::DOUBLE AS threshold, round(l.baseline_median, 2)::DOUBLE AS baseline, 'days' AS unit,
    b.recent_start::DATE AS window_start, b.as_of_day AS window_end,
    format('median {} days from assignment to first attempt over the {} contacts assigned in the last {} days, against {} days over the {} assigned in the {} days before (threshold {}× = {} days)',
      coalesce(CAST(round(l.recent_median, 1) AS VARCHAR), 'not reached yet: more than ' || round(l.recent_longest, 1)),
      l.recent_episodes, $recent_days, round(l.baseline_median, 1), l.baseline_episodes, $baseline_days,
      $latency_factor, round(l.threshold, 1)) AS evidence
  FROM latency l, bounds b
  WHERE l.baseline_median IS NOT NULL
    AND l.recent_episodes >= $min_episodes AND l.baseline_episodes >= $min_episodes
    AND (l.recent_median > l.threshold OR (l.recent_median IS NULL AND l.recent_longest > l.threshold))
),

overdue_counts AS (
  SELECT user_id, count(*)::INTEGER AS requests, max(open_days) AS oldest_days
  FROM overdue_update_requests($as_of, $update_days)
  GROUP BY user_id
),
overdue_signals AS (
  SELECT o.user_id, 'burnout' AS kind, 'overdue_updates' AS signal,
    o.requests::DOUBLE AS value, $overdue_update_count::DOUBLE AS threshold, NULL::DOUBLE AS baseline, 'requests' AS unit,
    NULL::DATE AS window_start, b.as_of_day AS window_end,
    format('{} update requests unanswered for {} days or more (oldest {} days; threshold {})',
      o.requests, $update_days, round(o.oldest_days, 1), $overdue_update_count) AS evidence
  FROM overdue_counts o, bounds b
  WHERE o.requests >= $overdue_update_count
),

-- inactive_contacts: its current contacts with nothing logged by it since inactive_days ago.
current_activity AS (
  SELECT c.user_id, c.contact_id,
    greatest(c.assigned_at, (
      SELECT max(x.occurred_at) FROM events x
      WHERE x.contact_id = c.contact_id AND x.actor_id = c.user_id AND x.occurred_at < end_of_day($as_of))) AS last_activity_at
  FROM current_episodes($as_of) c
),
inactive AS (
  SELECT a.user_id, count(*)::INTEGER AS contacts,
    count(*) FILTER (WHERE a.last_activity_at < b.now_ts - to_days($inactive_days::INTEGER))::INTEGER AS inactive
  FROM current_activity a, bounds b
  GROUP BY a.user_id
),
inactive_signals AS (
  SELECT i.user_id, 'burnout' AS kind, 'inactive_contacts' AS signal,
    round(100.0 * i.inactive / i.contacts, 1)::DOUBLE AS value, $inactive_share_pct::DOUBLE AS threshold, NULL::DOUBLE AS baseline, 'pct' AS unit,
    (b.as_of_day - $inactive_days::INTEGER + 1) AS window_start, b.as_of_day AS window_end,
    format('{} of {} current contacts without any activity of its own in the last {} days (threshold over {}%)',
      i.inactive, i.contacts, $inactive_days, $inactive_share_pct) AS evidence
  FROM inactive i, bounds b
  WHERE 100.0 * i.inactive / i.contacts > $inactive_share_pct
),

-- declines_rising and activity_drop compare the recent window with the baseline window before it.
offers AS (
  SELECT w.user_id,
    count(*) FILTER (WHERE w.assigned_at >= b.recent_start)::INTEGER AS recent_offers,
    count(*) FILTER (WHERE w.assigned_at < b.recent_start)::INTEGER AS baseline_offers
  FROM worker_episodes($as_of) w, bounds b
  WHERE w.assigned_at >= b.baseline_start
  GROUP BY w.user_id
),
own_events AS (
  SELECT x.actor_id AS user_id,
    count(*) FILTER (WHERE x.kind = 'declined' AND x.occurred_at >= b.recent_start)::INTEGER AS recent_declines,
    count(*) FILTER (WHERE x.kind = 'declined' AND x.occurred_at < b.recent_start)::INTEGER AS baseline_declines,
    count(*) FILTER (WHERE x.occurred_at >= b.recent_start)::INTEGER AS recent_activity,
    count(*) FILTER (WHERE x.occurred_at < b.recent_start)::INTEGER AS baseline_activity
  FROM events x
  JOIN contacts c ON c.contact_id = x.contact_id AND c.contact_type = 'access', bounds b
  WHERE x.actor_id IS NOT NULL AND x.occurred_at >= b.baseline_start AND x.occurred_at < b.now_ts
  GROUP BY x.actor_id
),
declines AS (
  SELECT o.user_id, e.recent_declines, e.baseline_declines, o.recent_offers, o.baseline_offers,
    100.0 * e.recent_declines / o.recent_offers AS recent_pct,
    CASE WHEN o.baseline_offers > 0 THEN 100.0 * e.baseline_declines / o.baseline_offers ELSE 0 END AS baseline_pct
  FROM offers o JOIN own_events e USING (user_id)
  WHERE o.recent_offers > 0
),
decline_signals AS (
  SELECT d.user_id, 'burnout' AS kind, 'declines_rising' AS signal,
    round(d.recent_pct, 1)::DOUBLE AS value, round($decline_rise_factor * d.baseline_pct, 1)::DOUBLE AS threshold, round(d.baseline_pct, 1)::DOUBLE AS baseline, 'pct' AS unit,
    b.recent_start::DATE AS window_start, b.as_of_day AS window_end,
    format('declined {} of {} assignments in the last {} days ({}%), against {} of {} in the {} days before ({}%)',
      d.recent_declines, d.recent_offers, $recent_days, round(d.recent_pct, 1),
      d.baseline_declines, d.baseline_offers, $baseline_days, round(d.baseline_pct, 1)) AS evidence
  FROM declines d, bounds b
  WHERE d.recent_declines >= $min_declines AND d.recent_pct >= $decline_rise_factor * d.baseline_pct
),
average_load AS (
  SELECT d.user_id,
    avg(d.load) FILTER (WHERE d.day >= b.recent_start::DATE) AS recent_load,
    avg(d.load) FILTER (WHERE d.day < b.recent_start::DATE AND d.day >= b.baseline_start::DATE) AS baseline_load
  FROM daily d, bounds b
  GROUP BY d.user_id
),
activity AS (
  SELECT e.user_id, e.recent_activity, e.baseline_activity,
    e.recent_activity * 7.0 / $recent_days AS recent_per_week,
    e.baseline_activity * 7.0 / $baseline_days AS baseline_per_week,
    l.recent_load, l.baseline_load
  FROM own_events e JOIN average_load l USING (user_id)
),
activity_signals AS (
  SELECT a.user_id, 'burnout' AS kind, 'activity_drop' AS signal,
    round(a.recent_per_week, 1)::DOUBLE AS value,
    round((100 - $activity_drop_pct) / 100.0 * a.baseline_per_week, 1)::DOUBLE AS threshold,
    round(a.baseline_per_week, 1)::DOUBLE AS baseline, 'events_per_week' AS unit,
    b.recent_start::DATE AS window_start, b.as_of_day AS window_end,
    format('{} logged actions a week in the last {} days against {} in the {} days before, while its average load went from {} to {}',
      round(a.recent_per_week, 1), $recent_days, round(a.baseline_per_week, 1), $baseline_days,
      round(a.baseline_load, 1), round(a.recent_load, 1)) AS evidence
  FROM activity a, bounds b
  WHERE a.baseline_activity > 0 AND a.baseline_load > 0
    AND a.recent_per_week <= (100 - $activity_drop_pct) / 100.0 * a.baseline_per_week
    AND a.recent_load >= $load_stayed_pct / 100.0 * a.baseline_load
),

-- underload: free capacity and availability over the window, and fitting contacts waiting now.
underload_window AS (
  SELECT w.user_id, w.capacity,
    max(d.load) AS max_load,
    bool_or(len(list_filter(coalesce(w.unavailable, []), r -> d.day BETWEEN r.start_date AND r.end_date)) > 0) AS away
  FROM workers w JOIN daily d USING (user_id), bounds b
  WHERE d.day > b.as_of_day - $underload_days::INTEGER
    AND coalesce(w.workload_status, 'active') NOT IN ('too_many', 'existing')
  GROUP BY w.user_id, w.capacity
),
-- Only workers with the free capacity are matched against the queue: matching every worker with every
-- waiting contact of its areas is tens of millions of pairs at a million contacts.
candidates AS (
  SELECT u.user_id, u.capacity, u.max_load
  FROM underload_window u
  WHERE NOT u.away AND 100.0 * (u.capacity - u.max_load) / u.capacity >= $underload_free_pct
),
queue AS (
  SELECT s.contact_id, c.languages, c.gender, c.location_ids, c.created_at
  FROM contact_status_at($as_of) s JOIN contacts c USING (contact_id)
  WHERE s.status IN ('new', 'unassigned')
),
-- Places are matched by equality joins through the location lineage (an area served contains the
-- contact's place when the area is one of the place's ancestors), which keeps this a hash join.
queue_in_area AS (
  SELECT DISTINCT a.user_id, p.contact_id
  FROM (SELECT contact_id, unnest(location_ids) AS location_id FROM queue) p
  JOIN location_lineage ll ON ll.location_id = p.location_id
  JOIN (SELECT w.user_id, unnest(w.location_ids) AS area_id FROM workers w JOIN candidates USING (user_id)) a
    ON a.area_id = ll.ancestor_id
),
fitting AS (
  SELECT w.user_id, count(*)::INTEGER AS waiting, min(q.created_at) AS oldest_created_at
  FROM queue_in_area qa
  JOIN workers w ON w.user_id = qa.user_id
  JOIN queue q ON q.contact_id = qa.contact_id
  WHERE (len(coalesce(q.languages, [])) = 0 OR len(list_intersect(q.languages, w.languages)) > 0)
    AND (q.gender IS NULL OR q.gender = w.gender)
  GROUP BY w.user_id
),
underload_signals AS (
  SELECT u.user_id, 'underload' AS kind, 'underload' AS signal,
    round(100.0 * (u.capacity - u.max_load) / u.capacity, 1)::DOUBLE AS value, $underload_free_pct::DOUBLE AS threshold, NULL::DOUBLE AS baseline, 'pct' AS unit,
    (b.as_of_day - $underload_days::INTEGER + 1) AS window_start, b.as_of_day AS window_end,
    format('load at most {} of capacity {} on each of the last {} days (at least {}% free; threshold {}%), while {} fitting contacts wait in the dispatch queue (the oldest created {} days ago)',
      u.max_load, u.capacity, $underload_days, round(100.0 * (u.capacity - u.max_load) / u.capacity, 1), $underload_free_pct,
      f.waiting, date_diff('day', f.oldest_created_at::DATE, b.as_of_day)) AS evidence
  FROM candidates u JOIN fitting f USING (user_id), bounds b
),

signals AS (
  SELECT * FROM load_signals
  UNION ALL SELECT * FROM too_many_signals
  UNION ALL SELECT * FROM latency_signals
  UNION ALL SELECT * FROM overdue_signals
  UNION ALL SELECT * FROM inactive_signals
  UNION ALL SELECT * FROM decline_signals
  UNION ALL SELECT * FROM activity_signals
  UNION ALL SELECT * FROM underload_signals
)
SELECT
  s.user_id AS multiplier_id,
  w.display_name AS multiplier_name,
  s.kind,
  s.signal,
  s.value,
  s.threshold,
  s.baseline,
  s.unit,
  s.window_start::DATE AS window_start,
  s.window_end::DATE AS window_end,
  s.evidence
FROM signals s JOIN workers w USING (user_id)
ORDER BY s.kind, w.display_name, s.user_id,
  list_position(['load_above_capacity', 'workload_too_many', 'slow_first_attempt', 'overdue_updates', 'inactive_contacts', 'declines_rising', 'activity_drop', 'underload'], s.signal);
