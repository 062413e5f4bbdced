-- Shared building blocks of the report SQL, installed as TEMP macros on every read connection
-- (never stored in the database file). Parameters arrive bound; these only compose them.

-- Every location with each of its ancestors (itself included), so a region filter at any level of
-- the tree (country, admin1, admin2, city) matches contacts placed anywhere below it.
CREATE OR REPLACE TEMP VIEW location_lineage AS
WITH RECURSIVE walk(location_id, ancestor_id, ancestor_level, depth) AS (
  SELECT location_id, location_id, level, 0 FROM locations
  UNION ALL
  SELECT w.location_id, l.parent_id, p.level, w.depth + 1
  FROM walk w JOIN locations l ON l.location_id = w.ancestor_id
  JOIN locations p ON p.location_id = l.parent_id
  WHERE l.parent_id IS NOT NULL AND l.parent_id <> l.location_id AND w.depth < 10
)
SELECT location_id, ancestor_id, ancestor_level FROM walk;

-- Outreach contacts (type access: user and personal contacts are never seekers) matching the
-- global filters other than the window. NULL means "no filter".
CREATE OR REPLACE TEMP MACRO seekers(p_region, p_language, p_gender, p_source, p_campaign) AS TABLE
SELECT c.*, c.location_ids[1] AS primary_location_id
FROM contacts c
WHERE c.contact_type = 'access'
  -- A semi-join on unnested ids, not a correlated EXISTS: the latter took minutes at a million contacts.
  AND (p_region IS NULL OR c.contact_id IN (
        SELECT x.contact_id
        FROM (SELECT contact_id, unnest(location_ids) AS location_id FROM contacts) x
        JOIN location_lineage ll ON ll.location_id = x.location_id AND ll.ancestor_id = p_region))
  AND (p_language IS NULL OR list_contains(c.languages, p_language))
  AND (p_gender IS NULL OR c.gender = p_gender)
  AND (p_source IS NULL OR list_contains(c.sources, p_source))
  AND (p_campaign IS NULL OR list_contains(c.campaigns, p_campaign));

-- The start of the time bucket a timestamp falls in, for the grain parameter.
CREATE OR REPLACE TEMP MACRO period_start(p_grain, ts) AS
  date_trunc(p_grain, ts)::DATE;

-- Workers who take contacts.
CREATE OR REPLACE TEMP MACRO is_multiplier(roles) AS list_contains(roles, 'multiplier');

-- One row per assignment of a contact to a multiplier, ending at the contact's next assignment.
-- Milestone times are the first time each was reached during that episode. Durations are not
-- computed here: the reports censor unreached episodes at min(episode end, close, as-of), so slow
-- workers do not look fast.
CREATE OR REPLACE TEMP VIEW assignment_episodes AS
WITH assigned AS (
  SELECT e.contact_id, e.target_user_id AS user_id, e.occurred_at AS assigned_at,
         lead(e.occurred_at) OVER (PARTITION BY e.contact_id ORDER BY e.occurred_at, e.event_id) AS next_assigned_at
  FROM events e
  WHERE e.kind = 'assigned' AND e.target_user_id IS NOT NULL
),
during AS (
  -- A plain range join (no OR, no IS NULL) so DuckDB hashes on contact_id instead of a nested loop.
  -- The end is inclusive here because D.T logs a decline in the same second as the reassignment
  -- back to the dispatcher; every milestone but the decline excludes that second below.
  SELECT a.contact_id, a.user_id, a.assigned_at, a.next_assigned_at, x.kind, x.new_value, x.occurred_at, x.actor_id,
         x.occurred_at < coalesce(a.next_assigned_at, 'infinity'::TIMESTAMP) AS before_next
  FROM assigned a
  JOIN multipliers m ON m.user_id = a.user_id AND is_multiplier(m.roles)
  LEFT JOIN events x ON x.contact_id = a.contact_id AND x.occurred_at >= a.assigned_at
    AND x.occurred_at <= coalesce(a.next_assigned_at, 'infinity'::TIMESTAMP)
)
SELECT
  contact_id, user_id, assigned_at, next_assigned_at,
  min(occurred_at) FILTER (WHERE before_next AND kind = 'accepted') AS accepted_at,
  min(occurred_at) FILTER (WHERE kind = 'declined' AND coalesce(actor_id, user_id) = user_id) AS declined_at,
  min(occurred_at) FILTER (WHERE before_next AND (kind IN ('attempt', 'established', 'scheduled', 'met', 'no_show')
    OR (kind = 'seeker_path_changed' AND new_value IN ('attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching')))) AS first_attempt_at,
  min(occurred_at) FILTER (WHERE before_next AND (kind IN ('established', 'scheduled', 'met')
    OR (kind = 'seeker_path_changed' AND new_value IN ('established', 'scheduled', 'met', 'ongoing', 'coaching')))) AS established_at,
  min(occurred_at) FILTER (WHERE before_next AND (kind = 'met'
    OR (kind = 'seeker_path_changed' AND new_value IN ('met', 'ongoing', 'coaching')))) AS first_meeting_at,
  min(occurred_at) FILTER (WHERE before_next AND kind = 'status_changed' AND new_value IN ('closed', 'paused')) AS stopped_at
FROM during
GROUP BY contact_id, user_id, assigned_at, next_assigned_at;

-- The place a contact is counted in, rolled up to a level of the tree (0 country ... 3 city): the
-- ancestor at that level, or the place itself when it sits higher than the level asked for.
CREATE OR REPLACE TEMP MACRO place_at_level(p_location, p_level) AS coalesce(
  (SELECT ll.ancestor_id FROM location_lineage ll WHERE ll.location_id = p_location AND ll.ancestor_level = p_level LIMIT 1),
  p_location);

-- Each location with the place it rolls up to at a level of the tree (0 country ... 3 city): the
-- same answer as place_at_level, as a table to join once instead of a subquery per row, which took
-- minutes at a million contacts. Places with no ancestor at that level (or p_level NULL) are absent:
-- coalesce with the location itself.
CREATE OR REPLACE TEMP MACRO places_at_level(p_level) AS TABLE
SELECT ll.location_id, min(ll.ancestor_id) AS place_id
FROM location_lineage ll
WHERE ll.ancestor_level = p_level
GROUP BY ll.location_id;
