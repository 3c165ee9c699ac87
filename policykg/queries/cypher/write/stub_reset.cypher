// title: Turn a deleted document others implement into a stub
// description: Its own metadata goes; its id, 文号 (as title) and jurisdiction stay, and loaded becomes false.
// param: doc_id: str — the document's id
// mode: write
MATCH (d:Document {id: $doc_id})
WHERE EXISTS { MATCH (:Document)-[:IMPLEMENTS]->(d) }
SET d.title = coalesce(d.doc_number, d.title), d.issuer = NULL, d.date_written = NULL, d.date_issued = NULL,
    d.date_published = NULL, d.year = NULL, d.source = NULL, d.attachments = NULL, d.loaded = false
