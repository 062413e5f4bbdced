-- campaign_response: which places and campaigns (or sources) bring contacts that go on to meet
-- someone. Per place (the contact's primary location, or its ancestor at `level`) and campaign or
-- source (`by`; multi-valued: a contact counts once under each of its campaigns/sources, and once
-- under NULL when it has none): contacts created in the window (new_contacts), and the share that
-- reached contact established, a first meeting, and ongoing meetings or coaching (later) within
-- `within_days` of creation; meetings held in those days per new contact. per_place=false gives
-- one row per campaign or source over all places (place NULL), to rank campaigns as a whole.
-- A stage counts as reached at the first event that shows it: a seeker_path_changed to that stage
-- or beyond, or a quick button (established / scheduled / met). A meeting is a "meeting complete"
-- quick button; a first meeting reached without one still counts as one meeting.
-- Contacts with no events at all (e.g. loaded from a list CSV only) are judged by their current
-- seeker_path and met_count instead, whatever the days; contacts_without_history says how many.
-- Contacts created less than `within_days` before the data ends have had less time to get there.
-- compare=previous: the window of equal length just before `from`, judged the same way
-- (previous_*), and the change (new_contacts_delta; met_delta_pts in percentage points). NULL
-- without compare=previous.
-- params: from, to, region, language, gender, source, campaign, level, per_place, by, within_days, compare
WITH cohort AS (
  SELECT
    w.contact_id, w.cohort, w.created_at, w.seeker_path, w.met_count,
    w.created_at + to_days($within_days::INTEGER) AS deadline,
    CASE WHEN $per_place THEN coalesce(p.place_id, w.primary_location_id) END AS place_id,
    CASE WHEN $by = 'source' THEN w.sources ELSE w.campaigns END AS origins
  FROM seekers_in_window($from, $to, $compare, $region, $language, $gender, $source, $campaign) w
  LEFT JOIN places_at_level($level) p ON p.location_id = w.primary_location_id
),
history AS (
  SELECT
    e.contact_id,
    min(e.occurred_at) FILTER (WHERE e.kind IN ('established', 'scheduled', 'met')
      OR (e.kind = 'seeker_path_changed' AND TRY_CAST(e.new_value AS seeker_path) >= 'established'::seeker_path)) AS established_at,
    min(e.occurred_at) FILTER (WHERE e.kind = 'met'
      OR (e.kind = 'seeker_path_changed' AND TRY_CAST(e.new_value AS seeker_path) >= 'met'::seeker_path)) AS first_meeting_at,
    min(e.occurred_at) FILTER (WHERE e.kind = 'seeker_path_changed' AND TRY_CAST(e.new_value AS seeker_path) >= 'ongoing'::seeker_path) AS later_at,
    count(*) FILTER (WHERE e.kind = 'met' AND e.occurred_at <= c.deadline) AS meeting_events
  FROM cohort c
  JOIN events e ON e.contact_id = c.contact_id
  GROUP BY e.contact_id
),
outcomes AS (
  SELECT
    c.cohort, c.place_id,
    unnest(values_or_unset(c.origins)) AS campaign_or_source,
    h.contact_id IS NULL AS without_history,
    CASE WHEN h.contact_id IS NULL THEN c.seeker_path >= 'established'::seeker_path ELSE coalesce(h.established_at <= c.deadline, false) END AS established,
    CASE WHEN h.contact_id IS NULL THEN c.seeker_path >= 'met'::seeker_path ELSE coalesce(h.first_meeting_at <= c.deadline, false) END AS met,
    CASE WHEN h.contact_id IS NULL THEN c.seeker_path >= 'ongoing'::seeker_path ELSE coalesce(h.later_at <= c.deadline, false) END AS later,
    CASE WHEN h.contact_id IS NULL
         THEN greatest(coalesce(c.met_count, 0), CASE WHEN c.seeker_path >= 'met'::seeker_path THEN 1 ELSE 0 END)
         ELSE greatest(h.meeting_events, CASE WHEN h.first_meeting_at <= c.deadline THEN 1 ELSE 0 END)
    END AS meetings
  FROM cohort c
  LEFT JOIN history h ON h.contact_id = c.contact_id
),
by_place AS (
  SELECT
    o.place_id,
    o.campaign_or_source,
    count(*) FILTER (WHERE o.cohort = 'current') AS new_contacts,
    count(*) FILTER (WHERE o.cohort = 'current' AND o.established) AS established,
    count(*) FILTER (WHERE o.cohort = 'current' AND o.met) AS met,
    count(*) FILTER (WHERE o.cohort = 'current' AND o.later) AS later,
    coalesce(sum(o.meetings) FILTER (WHERE o.cohort = 'current'), 0) AS meetings,
    count(*) FILTER (WHERE o.cohort = 'current' AND o.without_history) AS without_history,
    count(*) FILTER (WHERE o.cohort = 'previous') AS previous_new_contacts,
    count(*) FILTER (WHERE o.cohort = 'previous' AND o.met) AS previous_met,
    coalesce(sum(o.meetings) FILTER (WHERE o.cohort = 'previous'), 0) AS previous_meetings
  FROM outcomes o
  GROUP BY o.place_id, o.campaign_or_source
)
SELECT
  b.place_id,
  coalesce(l.name, b.place_id::VARCHAR) AS place,
  b.campaign_or_source,
  b.new_contacts::INTEGER AS new_contacts,
  round(b.established * 100.0 / nullif(b.new_contacts, 0), 1)::DOUBLE AS established_pct,
  round(b.met * 100.0 / nullif(b.new_contacts, 0), 1)::DOUBLE AS met_pct,
  round(b.later * 100.0 / nullif(b.new_contacts, 0), 1)::DOUBLE AS later_pct,
  b.meetings::INTEGER AS meetings,
  round(b.meetings / nullif(b.new_contacts, 0), 3)::DOUBLE AS meetings_per_contact,
  b.without_history::INTEGER AS contacts_without_history,
  CASE WHEN $compare = 'previous' THEN b.previous_new_contacts END::INTEGER AS previous_new_contacts,
  CASE WHEN $compare = 'previous' THEN round(b.previous_met * 100.0 / nullif(b.previous_new_contacts, 0), 1) END::DOUBLE AS previous_met_pct,
  CASE WHEN $compare = 'previous' THEN round(b.previous_meetings / nullif(b.previous_new_contacts, 0), 3) END::DOUBLE AS previous_meetings_per_contact,
  CASE WHEN $compare = 'previous' THEN b.new_contacts - b.previous_new_contacts END::INTEGER AS new_contacts_delta,
  CASE WHEN $compare = 'previous'
       THEN round(b.met * 100.0 / nullif(b.new_contacts, 0) - b.previous_met * 100.0 / nullif(b.previous_new_contacts, 0), 1)
  END::DOUBLE AS met_delta_pts
FROM by_place b
LEFT JOIN locations l ON l.location_id = b.place_id
ORDER BY place NULLS LAST, meetings_per_contact DESC NULLS LAST, new_contacts DESC, campaign_or_source NULLS LAST;
