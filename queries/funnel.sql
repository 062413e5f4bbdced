-- funnel: D.T seeker-path stages in order, for the outreach contacts created in the window. For
-- each stage: contacts there now, contacts that have reached at least that stage, and conversion
-- from the previous stage (reached / reached before). Closed contacts keep the stage they reached;
-- a contact with no seeker path is at D.T's default, none.
-- compare=previous: the same for the contacts created in the window of equal length just before
-- `from` (previous_*), and the change: reached_delta (contacts) and conversion_delta_pts
-- (percentage points). NULL without compare=previous.
-- Stages are compared as the seeker_path ENUM: a bare string literal would compare alphabetically.
-- params: from, to, region, language, gender, source, campaign, compare
WITH stages AS (
  SELECT unnest(enum_range(NULL::seeker_path))::seeker_path AS stage
),
cohort AS (
  SELECT w.cohort, coalesce(w.seeker_path, 'none'::seeker_path) AS seeker_path
  FROM seekers_in_window($from, $to, $compare, $region, $language, $gender, $source, $campaign) w
),
at_stage AS (
  SELECT
    st.stage,
    count(c.cohort) FILTER (WHERE c.cohort = 'current') AS contacts_now,
    count(c.cohort) FILTER (WHERE c.cohort = 'previous') AS previous_contacts_now
  FROM stages st
  LEFT JOIN cohort c ON c.seeker_path = st.stage
  GROUP BY st.stage
),
reached AS (
  SELECT
    *,
    sum(contacts_now) OVER (ORDER BY stage DESC) AS reached,
    sum(previous_contacts_now) OVER (ORDER BY stage DESC) AS previous_reached
  FROM at_stage
),
converted AS (
  SELECT
    *,
    reached * 100.0 / nullif(lag(reached) OVER (ORDER BY stage), 0) AS conversion,
    previous_reached * 100.0 / nullif(lag(previous_reached) OVER (ORDER BY stage), 0) AS previous_conversion
  FROM reached
)
SELECT
  stage::VARCHAR AS stage,
  contacts_now::INTEGER AS contacts_now,
  reached::INTEGER AS reached,
  round(conversion, 1)::DOUBLE AS conversion_from_previous_pct,
  CASE WHEN $compare = 'previous' THEN previous_contacts_now END::INTEGER AS previous_contacts_now,
  CASE WHEN $compare = 'previous' THEN previous_reached END::INTEGER AS previous_reached,
  CASE WHEN $compare = 'previous' THEN round(previous_conversion, 1) END::DOUBLE AS previous_conversion_from_previous_pct,
  CASE WHEN $compare = 'previous' THEN reached - previous_reached END::INTEGER AS reached_delta,
  CASE WHEN $compare = 'previous' THEN round(conversion - previous_conversion, 1) END::DOUBLE AS conversion_delta_pts
FROM converted
ORDER BY converted.stage;
