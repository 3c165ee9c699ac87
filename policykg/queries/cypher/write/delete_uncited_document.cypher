// title: Delete a document no other implements
// description: The Document node itself, when no document implements it (otherwise stub_reset kept it as a stub).
// param: doc_id: str — the document's id
// mode: write
MATCH (d:Document {id: $doc_id})
WHERE NOT EXISTS { MATCH (:Document)-[:IMPLEMENTS]->(d) }
DETACH DELETE d
