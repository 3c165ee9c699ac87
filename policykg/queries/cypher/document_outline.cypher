// title: Outline of one document
// description: The numbering tree of a document: every heading in reading order with its level, the measures standing directly under it and the measures under it at any depth.
// param: id: str — the document id
// returns: id, path, heading, level, ordinal, measures_here, measures_total
// mode: read
MATCH (d:Document)-[:HAS_SECTION]->(s:Section)
WHERE d.id = $id
OPTIONAL MATCH (s)-[:HAS_MEASURE]->(m:Measure)
WITH d, s, count(DISTINCT m.id) AS measures_here
OPTIONAL MATCH (d)-[:INCLUDES]->(x:Measure)
WHERE x.section_path = s.path OR x.section_path STARTS WITH (s.path + '/')
WITH s, measures_here, count(DISTINCT x.id) AS measures_total
RETURN s.id AS id, s.path AS path, s.heading AS heading, s.level AS level, s.ordinal AS ordinal,
       measures_here, measures_total
ORDER BY ordinal, path, id
