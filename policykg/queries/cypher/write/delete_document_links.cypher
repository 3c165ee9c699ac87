// title: Delete a document's own links
// description: Every relationship from the Document node (its sections, measures, own targets, the documents it implements); its owned nodes are deleted per label before.
// param: doc_id: str — the document's id
// mode: write
MATCH (:Document {id: $doc_id})-[r]->()
DELETE r
