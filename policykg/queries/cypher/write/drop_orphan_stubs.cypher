// title: Drop the stubs only this document implemented
// description: A stub (a document known only because another implements it) goes once nothing implements it. Runs before the document's own links are deleted: the stubs it implements that its new version does not keep and that no other document implements.
// param: doc_id: str — the document being replaced or deleted
// param: keep: list — ids of the documents its new version implements (none for a delete)
// mode: write
MATCH (:Document {id: $doc_id})-[:IMPLEMENTS]->(t:Document)
WHERE t.loaded = false
  AND NOT t.id IN $keep
  AND NOT EXISTS { MATCH (o:Document)-[:IMPLEMENTS]->(t) WHERE o.id <> $doc_id }
DETACH DELETE t
