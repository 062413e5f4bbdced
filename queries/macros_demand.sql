-- Building blocks of the demand reports (demand, campaign_response, seasonality) and of the
-- compare=previous option of funnel and contacts_by_status. Installed after macros.sql.

-- Outreach contacts created in the window [p_from, p_to] (inclusive days), and, when p_compare is
-- 'previous', those created in the window of equal length just before it. Each row says which
-- window it belongs to (cohort 'current' or 'previous') and carries aligned_at: its creation time,
-- moved forward by the window's length for the previous window, so that a contact created at
-- from - L + x buckets with the current contacts created at from + x and both windows share one
-- set of period labels.
CREATE OR REPLACE TEMP MACRO seekers_in_window(p_from, p_to, p_compare, p_region, p_language, p_gender, p_source, p_campaign) AS TABLE
WITH bounds AS (
  SELECT p_from::DATE AS window_start, p_to::DATE + 1 AS window_end, ((p_to::DATE - p_from::DATE) + 1)::INTEGER AS window_days
)
SELECT
  s.*,
  CASE WHEN s.created_at >= b.window_start THEN 'current' ELSE 'previous' END AS cohort,
  CASE WHEN s.created_at >= b.window_start THEN s.created_at ELSE s.created_at + to_days(b.window_days) END AS aligned_at
FROM seekers(p_region, p_language, p_gender, p_source, p_campaign) s, bounds b
WHERE s.created_at < b.window_end
  AND s.created_at >= CASE WHEN p_compare = 'previous' THEN b.window_start - b.window_days ELSE b.window_start END;

-- The values a contact is counted under for a breakdown of multi-valued fields: every value of the
-- list, each once; a contact with none is counted once under NULL ("not set"), so no contact is lost.
-- (list_distinct only where a duplicate is possible: it is the costly part at a million contacts.)
CREATE OR REPLACE TEMP MACRO values_or_unset(p_values) AS
  CASE WHEN len(p_values) = 0 OR p_values IS NULL THEN [NULL]
       WHEN len(p_values) = 1 THEN p_values
       ELSE list_distinct(p_values) END;
