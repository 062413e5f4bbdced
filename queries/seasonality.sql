-- seasonality: outreach contacts created per week of the year (ISO weeks 1-53, counted in ISO
-- years, so a week never splits across two years) or per month of the year, year by year, with
-- each period's share of its year's contacts, so recurring peaks (Ramadan, Christmas) line up
-- across years. Periods with no contacts between the first and the last contact are listed with 0,
-- so a quiet week shows as a dip, not a gap. The window defaults to all history.
-- params: from, to, grain (week | month), region, language, gender, source, campaign
WITH created AS (
  SELECT date_trunc($grain, s.created_at)::DATE AS period_start
  FROM seekers($region, $language, $gender, $source, $campaign) s
  WHERE s.created_at >= $from::DATE AND s.created_at < $to::DATE + INTERVAL 1 DAY
),
counted AS (
  SELECT period_start, count(*) AS contacts FROM created GROUP BY period_start
),
calendar AS (
  SELECT unnest(generate_series(
    min(period_start)::TIMESTAMP, max(period_start)::TIMESTAMP,
    CASE WHEN $grain = 'week' THEN INTERVAL 7 DAY ELSE INTERVAL 1 MONTH END
  ))::DATE AS period_start
  FROM counted
  HAVING count(*) > 0
),
periods AS (
  SELECT
    CASE WHEN $grain = 'week' THEN isoyear(k.period_start) ELSE year(k.period_start) END AS year,
    CASE WHEN $grain = 'week' THEN week(k.period_start) ELSE month(k.period_start) END AS period_of_year,
    k.period_start,
    coalesce(c.contacts, 0) AS contacts
  FROM calendar k
  LEFT JOIN counted c ON c.period_start = k.period_start
)
SELECT
  year::INTEGER AS year,
  period_of_year::INTEGER AS period_of_year,
  period_start,
  contacts::INTEGER AS contacts,
  round(contacts * 100.0 / nullif(sum(contacts) OVER (PARTITION BY year), 0), 1)::DOUBLE AS share_of_year_pct
FROM periods
ORDER BY period_start;
