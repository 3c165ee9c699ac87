// title: Section tree of a document with measure counts
// param: doc_id: str — the document id
// returns: parent, child, measures
// mode: read
MATCH (:Document {id: $doc_id})-[:HAS_SECTION]->(s:Section)
OPTIONAL MATCH (p:Section)-[:HAS_SUBSECTION]->(s)
OPTIONAL MATCH (s)-[:HAS_MEASURE]->(m:Measure)
RETURN p.path AS parent, s.path AS child, count(m) AS measures
ORDER BY child
