-- funnel: D.T seeker-path stages in order. For each stage: contacts there now, contacts that have
-- reached at least that stage, and conversion from the previous stage (reached / reached before).
-- Closed contacts keep the stage they reached. params: from, to, region, language, gender, source, campaign
WITH stages AS (
  SELECT unnest(enum_range(NULL::seeker_path)) AS stage
),
cohort AS (
  SELECT coalesce(s.seeker_path, 'none') AS seeker_path  -- D.T's default stage
  FROM seekers($region, $language, $gender, $source, $campaign) s
  WHERE s.created_at >= $from::DATE AND s.created_at < $to::DATE + INTERVAL 1 DAY
),
counted AS (
  SELECT
    st.stage,
    (SELECT count(*) FROM cohort c WHERE c.seeker_path = st.stage)::INTEGER AS contacts_now,
    (SELECT count(*) FROM cohort c WHERE c.seeker_path >= st.stage)::INTEGER AS reached
  FROM stages st
)
SELECT
  stage::VARCHAR AS stage,
  contacts_now,
  reached,
  CASE WHEN lag(reached) OVER (ORDER BY stage) > 0
       THEN round(reached * 100.0 / lag(reached) OVER (ORDER BY stage), 1) END::DOUBLE AS conversion_from_previous_pct
FROM counted
ORDER BY stage;
