-- contacts_by_status: outreach contacts created in the window, by overall status in D.T's order.
-- compare=previous: the contacts created in the window of equal length just before `from`, by
-- status (previous_contacts), and the change (delta, delta_pct: relative to the previous count).
-- NULL without compare=previous. A status with contacts in either window gets a row.
-- params: from, to, region, language, gender, source, campaign, compare
WITH by_status AS (
  SELECT
    w.overall_status,
    count(*) FILTER (WHERE w.cohort = 'current') AS contacts,
    count(*) FILTER (WHERE w.cohort = 'previous') AS previous_contacts
  FROM seekers_in_window($from, $to, $compare, $region, $language, $gender, $source, $campaign) w
  GROUP BY w.overall_status
)
SELECT
  overall_status::VARCHAR AS overall_status,
  contacts::INTEGER AS contacts,
  round(contacts * 100.0 / nullif(sum(contacts) OVER (), 0), 1)::DOUBLE AS share_pct,
  CASE WHEN $compare = 'previous' THEN previous_contacts END::INTEGER AS previous_contacts,
  CASE WHEN $compare = 'previous' THEN contacts - previous_contacts END::INTEGER AS delta,
  CASE WHEN $compare = 'previous' AND previous_contacts > 0
       THEN round((contacts - previous_contacts) * 100.0 / previous_contacts, 1) END::DOUBLE AS delta_pct
FROM by_status
ORDER BY by_status.overall_status;
