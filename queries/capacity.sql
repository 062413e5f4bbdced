-- capacity: who is overloaded, who has room. Per multiplier (a user with the multiplier role): the
-- active load (access contacts assigned to them whose overall status is active or assigned, i.e.
-- waiting to be accepted), the capacity (declared, else the default_capacity setting; 0 when D.T's
-- workload status is too_many), utilisation against the nominal capacity, free capacity, workload
-- status, languages, gender, the areas they serve, their unavailable dates and whether they are
-- unavailable at the as-of date.
-- Filters apply to the multipliers: region keeps those who serve a place inside the region or a
-- place containing it; language those who speak it; gender those of that gender.
-- Load is the dataset's current state (the snapshot); as_of judges the unavailable dates.
-- params: region, language, gender, as_of, default_capacity
WITH supply AS (
  SELECT * FROM multiplier_supply($default_capacity, $as_of)
),
areas AS (
  SELECT s.user_id,
         string_agg(coalesce(l.name, a.location_id::VARCHAR), ', ' ORDER BY coalesce(l.name, a.location_id::VARCHAR)) AS areas_served
  FROM supply s, unnest(s.location_ids) AS a(location_id)
  LEFT JOIN locations l ON l.location_id = a.location_id
  GROUP BY s.user_id
)
SELECT
  s.user_id,
  s.display_name AS multiplier,
  s.gender,
  array_to_string(s.languages, ', ') AS languages,
  a.areas_served,
  s.workload_status,
  s.nominal_capacity,
  s.capacity,
  s.active_load,
  s.waiting_acceptance,
  round(s.active_load * 100.0 / nullif(s.nominal_capacity, 0), 1)::DOUBLE AS utilisation_pct,
  s.free_capacity,
  s.unavailable_now,
  s.unavailable_until::VARCHAR AS unavailable_until,
  nullif(array_to_string(list_transform(list_sort(s.unavailable), r -> r.start_date::VARCHAR || '/' || r.end_date::VARCHAR), ', '), '') AS unavailable_dates
FROM supply s
LEFT JOIN areas a ON a.user_id = s.user_id
WHERE ($region IS NULL OR EXISTS (
        SELECT 1 FROM multiplier_coverage mc WHERE mc.user_id = s.user_id AND mc.location_id = $region))
  AND ($language IS NULL OR list_contains(s.languages, $language))
  AND ($gender IS NULL OR s.gender = $gender)
ORDER BY utilisation_pct DESC NULLS LAST, s.display_name, s.user_id;
