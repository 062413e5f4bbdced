-- trial: the contacts of a champion/challenger trial, one row each, for the statistics in
-- server/core/reports/trial.ts. A contact is in the trial when its first assignment to any multiplier
-- went to a member of either group between start and to (a contact handled before, or first by
-- someone outside the trial, is not); it stays in that member's group whatever happens later
-- (intention to treat). Per contact: the days it has been watched by the as-of day, the days from that
-- assignment to the first attempt, contact established and first meeting while it stayed with that
-- member (NULL = not reached by the as-of day), and the days after which an unreached first attempt is
-- censored (next assignment, close or pause, or the as-of day) for the time-to-first-attempt curves.
-- params: champion, challenger (multiplier ids), start, to, as_of, region, language, gender, source, campaign
WITH members AS (
  SELECT unnest(string_split($champion, ',')) AS user_id, 'champion' AS trial_group
  UNION ALL
  SELECT unnest(string_split($challenger, ',')) AS user_id, 'challenger' AS trial_group
),
first_assignments AS (
  SELECT w.*, row_number() OVER (PARTITION BY w.contact_id ORDER BY w.assigned_at, w.user_id) AS nth
  FROM worker_episodes($as_of) w
)
SELECT
  m.trial_group,
  f.user_id AS multiplier_id,
  f.contact_id,
  f.assigned_at,
  days_from(f.assigned_at, end_of_day($as_of)) AS watched_days,
  CASE WHEN f.first_attempt_at < end_of_day($as_of) THEN days_from(f.assigned_at, f.first_attempt_at) END AS first_attempt_days,
  CASE WHEN f.established_at < end_of_day($as_of) THEN days_from(f.assigned_at, f.established_at) END AS established_days,
  CASE WHEN f.first_meeting_at < end_of_day($as_of) THEN days_from(f.assigned_at, f.first_meeting_at) END AS first_meeting_days,
  days_from(f.assigned_at, f.censor_at) AS censored_days
FROM first_assignments f
JOIN members m ON m.user_id = f.user_id
JOIN seekers($region, $language, $gender, $source, $campaign) s ON s.contact_id = f.contact_id
WHERE f.nth = 1 AND f.assigned_at >= $start::DATE AND f.assigned_at < $to::DATE + 1
ORDER BY m.trial_group, f.assigned_at, f.contact_id;
