-- accountability: per multiplier, what it owes at the as-of day, with the contacts' ids for the
-- dispatchers who follow it up. Current contacts (assigned to it and active or waiting to be
-- accepted) not attempted within attempt_days of assignment (counted once those days have passed;
-- attempted late or not at all), of which still not attempted; and update requests left unanswered
-- for update_days or more (a request with no answer after it; the contact counted once, under the
-- multiplier it is assigned to now). Every multiplier is listed, zeros included.
-- params: as_of, attempt_days, update_days, region, language, gender, source, campaign
WITH scope AS (
  SELECT contact_id FROM seekers($region, $language, $gender, $source, $campaign)
),
current_contacts AS (
  SELECT ce.* FROM current_episodes($as_of) ce JOIN scope USING (contact_id)
),
late AS (
  SELECT user_id, contact_id,
    first_attempt_at IS NULL OR first_attempt_at >= end_of_day($as_of) AS not_yet
  FROM current_contacts
  WHERE assigned_at + to_days($attempt_days::INTEGER) <= end_of_day($as_of)
    AND (first_attempt_at IS NULL OR first_attempt_at > assigned_at + to_days($attempt_days::INTEGER))
),
overdue AS (
  SELECT o.* FROM overdue_update_requests($as_of, $update_days) o JOIN scope USING (contact_id)
),
per_multiplier AS (
  SELECT m.user_id, m.display_name,
    (SELECT count(*) FROM current_contacts c WHERE c.user_id = m.user_id)::INTEGER AS current_contacts,
    (SELECT count(*) FROM late l WHERE l.user_id = m.user_id)::INTEGER AS not_attempted_in_time,
    (SELECT count(*) FROM late l WHERE l.user_id = m.user_id AND l.not_yet)::INTEGER AS still_not_attempted,
    coalesce((SELECT list(l.contact_id ORDER BY try_cast(l.contact_id AS BIGINT), l.contact_id) FROM late l WHERE l.user_id = m.user_id), []) AS not_attempted_contact_ids,
    (SELECT count(*) FROM overdue o WHERE o.user_id = m.user_id)::INTEGER AS overdue_updates,
    (SELECT max(o.open_days) FROM overdue o WHERE o.user_id = m.user_id) AS oldest_overdue_update_days,
    coalesce((SELECT list(o.contact_id ORDER BY try_cast(o.contact_id AS BIGINT), o.contact_id) FROM overdue o WHERE o.user_id = m.user_id), []) AS overdue_update_contact_ids
  FROM multipliers m
  WHERE is_multiplier(m.roles)
)
SELECT
  user_id AS multiplier_id,
  display_name AS multiplier_name,
  current_contacts,
  not_attempted_in_time,
  still_not_attempted,
  not_attempted_contact_ids,
  overdue_updates,
  round(oldest_overdue_update_days, 1)::DOUBLE AS oldest_overdue_update_days,
  overdue_update_contact_ids
FROM per_multiplier
ORDER BY not_attempted_in_time + overdue_updates DESC, display_name, user_id;
