// title: Every agency with its level and kind, for analytics
// description: All agencies, including those with no task, with the attributes the E-I index groups by.
// returns: agency, agency_id, level, kind, resolved
// mode: read
MATCH (a:Agency)
RETURN a.name AS agency, a.id AS agency_id, a.level AS level, a.kind AS kind, a.resolved AS resolved
ORDER BY agency_id
