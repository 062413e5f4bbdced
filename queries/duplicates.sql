-- duplicates: likely duplicate outreach contacts, so that two multipliers never call the same seeker.
-- A pair matches on the same phone (the importer normalises numbers to digits without the 00
-- prefix before hashing, so "+92 300 4417823" and "00923004417823" agree), the same e-mail
-- (lower-cased before hashing), or the same name in the same place (names compared without accents
-- or case, white space collapsed; places overlap in their location ids). match_reason lists every
-- way the pair matches. different_multipliers: both are assigned to multipliers and not the same
-- one; those pairs come first. Only comparisons of hashes are made here: no hash is ever output.
-- Filters keep a pair when either contact matches them; only_different_multipliers keeps the
-- pairs assigned to two different multipliers. Common names make many same-name pairs in a big
-- city, so only the first `limit` pairs in that order are listed; pairs_found counts them all.
-- params: region, language, gender, source, campaign, only_different_multipliers, limit
WITH candidates AS MATERIALIZED (
  SELECT c.contact_id, c.name, c.overall_status, c.assigned_to, c.phone_hashes, c.email_hashes, c.location_ids,
         normalised_name(c.name) AS name_key, f.contact_id IS NOT NULL AS in_filter
  FROM contacts c
  LEFT JOIN (SELECT contact_id FROM seekers($region, $language, $gender, $source, $campaign)) f ON f.contact_id = c.contact_id
  WHERE c.contact_type = 'access'
),
match_keys AS (
  SELECT contact_id, 1 AS reason_order, unnest(list_distinct(phone_hashes)) AS match_key FROM candidates
  UNION ALL
  SELECT contact_id, 2, unnest(list_distinct(email_hashes)) FROM candidates
  UNION ALL
  SELECT contact_id, 3, name_key || '|' || unnest(list_distinct(location_ids))::VARCHAR
  FROM candidates WHERE name_key IS NOT NULL
),
pairs AS (
  SELECT a.contact_id AS id_a, b.contact_id AS id_b,
         min(a.reason_order) AS strongest,
         concat_ws(', ',
           CASE WHEN bool_or(a.reason_order = 1) THEN 'same phone' END,
           CASE WHEN bool_or(a.reason_order = 2) THEN 'same e-mail' END,
           CASE WHEN bool_or(a.reason_order = 3) THEN 'same name in the same place' END) AS match_reason
  FROM match_keys a
  -- Each pair once, the lower id first (numeric ids compare as numbers: shorter is lower).
  JOIN match_keys b ON b.reason_order = a.reason_order AND b.match_key = a.match_key
   AND (len(a.contact_id) < len(b.contact_id) OR (len(a.contact_id) = len(b.contact_id) AND a.contact_id < b.contact_id))
  WHERE a.match_key IS NOT NULL
  GROUP BY a.contact_id, b.contact_id
),
-- Judged narrow (ids and flags), then only the listed pairs get their names: counting every pair
-- through a window over the wide rows held millions of names in one partition (5–10 s at 1 M).
judged AS MATERIALIZED (
  SELECT p.id_a, p.id_b, p.match_reason, p.strongest,
    coalesce(is_multiplier(ma.roles) AND is_multiplier(mb.roles) AND ca.assigned_to <> cb.assigned_to, false) AS different_multipliers
  FROM pairs p
  JOIN candidates ca ON ca.contact_id = p.id_a
  JOIN candidates cb ON cb.contact_id = p.id_b
  LEFT JOIN multipliers ma ON ma.user_id = ca.assigned_to
  LEFT JOIN multipliers mb ON mb.user_id = cb.assigned_to
  WHERE (ca.in_filter OR cb.in_filter)
),
kept AS MATERIALIZED (
  SELECT * FROM judged WHERE NOT $only_different_multipliers OR different_multipliers
),
listed AS (
  SELECT * FROM kept
  ORDER BY different_multipliers DESC, strongest, len(id_a), id_a, len(id_b), id_b
  LIMIT $limit
)
SELECT
  l.id_a AS contact_id_a, ca.name AS name_a, ca.overall_status::VARCHAR AS status_a, ca.assigned_to AS assigned_to_a, ma.display_name AS assigned_to_name_a,
  l.id_b AS contact_id_b, cb.name AS name_b, cb.overall_status::VARCHAR AS status_b, cb.assigned_to AS assigned_to_b, mb.display_name AS assigned_to_name_b,
  l.match_reason, l.different_multipliers,
  (SELECT count(*) FROM kept)::INTEGER AS pairs_found
FROM listed l
JOIN candidates ca ON ca.contact_id = l.id_a
JOIN candidates cb ON cb.contact_id = l.id_b
LEFT JOIN multipliers ma ON ma.user_id = ca.assigned_to
LEFT JOIN multipliers mb ON mb.user_id = cb.assigned_to
ORDER BY l.different_multipliers DESC, l.strongest, len(l.id_a), l.id_a, len(l.id_b), l.id_b;
