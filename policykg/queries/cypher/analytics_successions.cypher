// title: Reform lineage, for analytics
// description: Every predecessor → successor pair of institutional reforms, with the date.
// returns: predecessor, successor, date
// mode: read
MATCH (a:Agency)-[s:SUCCEEDED_BY]->(b:Agency)
RETURN a.name AS predecessor, b.name AS successor, s.date AS date
ORDER BY predecessor, successor
