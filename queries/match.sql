-- match: for one outreach contact, every multiplier ranked by fit, each with the reasons in words.
-- Fit, as a dispatcher weighs it:
-- * language_match: speaks one of the contact's languages (NULL when the contact has none recorded);
-- * gender_match: same gender as the contact (NULL when either is not recorded);
-- * distance_km: haversine distance between the centroid of the contact's place and the nearest
--   centroid of a place the multiplier serves (NULL when a centroid is unknown); serves_area: one of
--   the multiplier's places is the contact's place, contains it or lies inside it;
-- * free_capacity of capacity (0 when D.T's workload status is too_many);
-- * available: not unavailable at the as-of date and not too_many;
-- * follow_through_pct: share of their assignment episodes (old enough to judge) with a first
--   contact attempt within attempt_within_days of the assignment.
-- score (0-100) = 25 × language_match + 25 × proximity + 20 × gender_match
--   + 10 × free_capacity / nominal_capacity + 10 × available
--   + 10 × follow-through share (0.5 when there is nothing to judge yet),
-- where proximity is 1 when the multiplier serves the contact's area, else 50 / (50 + distance_km)
-- (0 when unknown). The meeting is in person: a free worker on another continent must not outrank
-- one who can reach the seeker, so reach weighs as much as language and more than free capacity.
-- An unknown fit counts 0; ties go to more free capacity, then the shorter distance.
-- The report's run() refuses a contact id that is not an outreach contact before this runs.
-- params: contact_id, as_of, default_capacity, attempt_within_days
WITH contact AS (
  SELECT c.contact_id, coalesce(c.languages, []) AS languages, c.gender, c.location_ids[1] AS place_id,
         l.latitude, l.longitude, c.assigned_to
  FROM contacts c
  LEFT JOIN locations l ON l.location_id = c.location_ids[1]
  WHERE c.contact_id = $contact_id AND c.contact_type = 'access'
),
supply AS (
  SELECT * FROM multiplier_supply($default_capacity, $as_of)
),
nearest AS (
  SELECT s.user_id, min(haversine_km(c.latitude, c.longitude, l.latitude, l.longitude)) AS distance_km
  FROM supply s, unnest(s.location_ids) AS sv(location_id), contact c
  JOIN locations l ON l.location_id = sv.location_id
  GROUP BY s.user_id
),
serving AS (
  SELECT DISTINCT mc.user_id FROM multiplier_coverage mc, contact c WHERE mc.location_id = c.place_id
),
record AS (
  SELECT * FROM follow_through($as_of, $attempt_within_days)
),
fit AS (
  SELECT
    s.*,
    c.languages AS contact_languages, c.gender AS contact_gender,
    list_intersect(s.languages, c.languages) AS shared_languages,
    CASE WHEN len(c.languages) = 0 THEN NULL ELSE len(list_intersect(s.languages, c.languages)) > 0 END AS language_match,
    CASE WHEN c.gender IS NULL OR s.gender IS NULL THEN NULL ELSE s.gender = c.gender END AS gender_match,
    n.distance_km,
    sv.user_id IS NOT NULL AS serves_area,
    NOT s.unavailable_now AND s.workload_status IS DISTINCT FROM 'too_many' AS available,
    coalesce(r.judged_assignments, 0) AS judged_assignments,
    coalesce(r.attempted_in_time, 0) AS attempted_in_time,
    r.attempted_in_time * 100.0 / nullif(r.judged_assignments, 0) AS follow_through_pct,
    s.user_id IS NOT DISTINCT FROM c.assigned_to AS assigned_now
  FROM supply s
  CROSS JOIN contact c
  LEFT JOIN nearest n ON n.user_id = s.user_id
  LEFT JOIN serving sv ON sv.user_id = s.user_id
  LEFT JOIN record r ON r.user_id = s.user_id
),
scored AS (
  SELECT
    f.*,
    25 * coalesce(f.language_match::INTEGER, 0)
    + 25 * CASE WHEN f.serves_area THEN 1 WHEN f.distance_km IS NULL THEN 0 ELSE 50 / (50 + f.distance_km) END
    + 20 * coalesce(f.gender_match::INTEGER, 0)
    + 10 * coalesce(f.free_capacity / nullif(f.nominal_capacity, 0), 0)
    + 10 * f.available::INTEGER
    + 10 * coalesce(f.follow_through_pct / 100, 0.5) AS score
  FROM fit f
),
explained AS (
  SELECT
    s.*,
    concat_ws('; ',
      CASE WHEN s.language_match IS NULL THEN 'contact''s language not recorded'
           WHEN s.language_match THEN 'speaks ' || array_to_string(s.shared_languages, '/')
           ELSE 'does not speak ' || array_to_string(s.contact_languages, '/') END,
      CASE WHEN s.gender_match IS NULL THEN 'gender not recorded'
           WHEN s.gender_match THEN s.gender || ' like the contact'
           ELSE s.gender || ', the contact is ' || s.contact_gender END,
      CASE WHEN s.distance_km IS NULL AND s.serves_area THEN 'serves the contact''s area, distance unknown'
           WHEN s.distance_km IS NULL THEN 'distance unknown'
           WHEN s.serves_area THEN 'serves the contact''s area, ' || round(s.distance_km)::BIGINT || ' km'
           ELSE round(s.distance_km)::BIGINT || ' km' END,
      CASE WHEN s.workload_status = 'too_many' THEN 'workload: too many contacts, no capacity'
           ELSE s.free_capacity || ' free of ' || s.capacity END,
      CASE WHEN s.unavailable_now THEN 'unavailable until ' || s.unavailable_until::VARCHAR END,
      CASE WHEN s.workload_status = 'existing' THEN 'workload: existing contacts only' END,
      CASE WHEN s.judged_assignments = 0 THEN 'no past assignments to judge'
           ELSE round(s.follow_through_pct)::BIGINT || '% attempted within ' || $attempt_within_days || ' days ('
                || s.attempted_in_time || ' of ' || s.judged_assignments || ')' END,
      CASE WHEN s.assigned_now THEN 'assigned to this contact now' END
    ) AS reasons
  FROM scored s
)
SELECT
  row_number() OVER (ORDER BY e.score DESC, e.free_capacity DESC, e.distance_km ASC NULLS LAST, e.display_name, e.user_id)::INTEGER AS rank,
  e.user_id,
  e.display_name AS multiplier,
  round(e.score, 1)::DOUBLE AS score,
  e.language_match,
  array_to_string(e.shared_languages, ', ') AS shared_languages,
  e.gender,
  e.gender_match,
  round(e.distance_km, 1)::DOUBLE AS distance_km,
  e.serves_area,
  e.free_capacity,
  e.capacity,
  e.nominal_capacity,
  e.active_load,
  e.available,
  e.unavailable_now,
  e.workload_status,
  round(e.follow_through_pct, 1)::DOUBLE AS follow_through_pct,
  e.judged_assignments::INTEGER AS judged_assignments,
  e.assigned_now,
  e.reasons
FROM explained e
ORDER BY rank;
