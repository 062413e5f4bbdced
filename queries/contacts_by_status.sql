-- contacts_by_status: outreach contacts created in the window, by overall status in D.T's order.
-- params: from, to, region, language, gender, source, campaign
SELECT
  s.overall_status::VARCHAR AS overall_status,
  count(*)::INTEGER AS contacts,
  round(count(*) * 100.0 / sum(count(*)) OVER (), 1)::DOUBLE AS share_pct
FROM seekers($region, $language, $gender, $source, $campaign) s
WHERE s.created_at >= $from::DATE AND s.created_at < $to::DATE + INTERVAL 1 DAY
GROUP BY s.overall_status
ORDER BY s.overall_status;
