// title: Measures of one document in document order
// param: doc_id: str — the document id
// returns: id, ref, text, section_path, ordinal
// mode: read
MATCH (d:Document {id: $doc_id})-[:INCLUDES]->(m:Measure)
RETURN m.id AS id, m.ref AS ref, m.text AS text, m.section_path AS section_path, m.ordinal AS ordinal
ORDER BY m.ordinal
