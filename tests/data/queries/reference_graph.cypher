// title: Membership and lineage edges between agencies
// returns: source, rel, target, date
// mode: read
MATCH (a:Agency)-[r]->(b:Agency)
RETURN a.name AS source, type(r) AS rel, b.name AS target, r.date AS date
ORDER BY source, rel, target
