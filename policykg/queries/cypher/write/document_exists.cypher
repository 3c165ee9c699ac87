// title: Is the document loaded?
// description: The guard of a delete: a plan stops here, changing nothing, when the document is not loaded (absent, or only a stub others implement).
// param: doc_id: str — the document's id
// returns: n
// mode: write
MATCH (d:Document {id: $doc_id})
WHERE d.loaded = true
RETURN count(d) AS n
