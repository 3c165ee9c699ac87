// title: Measures per agency (units without tasks included, with zero)
// returns: agency, resolved, measures, leads
// mode: read
MATCH (a:Agency)
OPTIONAL MATCH (a)-[r:ASSIGNED]->(m:Measure)
RETURN a.name AS agency, a.resolved AS resolved, count(m) AS measures,
       sum(CASE WHEN r.role = 'lead' THEN 1 ELSE 0 END) AS leads
ORDER BY measures DESC, agency
