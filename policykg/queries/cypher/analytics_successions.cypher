// title: Reform lineage, for analytics
// description: Every predecessor → successor pair of institutional reforms, with the date.
// returns: predecessor, successor, date, predecessor_id, successor_id
// mode: read
MATCH (a:Agency)-[s:SUCCEEDED_BY]->(b:Agency)
RETURN a.name AS predecessor, b.name AS successor, s.date AS date, a.id AS predecessor_id, b.id AS successor_id
ORDER BY predecessor_id, successor_id
