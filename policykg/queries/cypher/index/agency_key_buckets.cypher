// title: An agency's key buckets after a key
// description: The buckets of the agency key index (policykg.graph.key_index) that may hold keys after $after, in no set order; a page reads them by lo.
// param: name: str — the agency's id
// param: after: int = -1 — only buckets that may hold keys after this one
// returns: agency, id, lo
// mode: read
MATCH (a:Agency {id: $name})-[:HAS_KEYS]->(b:KeyBucket)
WHERE b.hi > $after
RETURN a.name AS agency, b.id AS id, b.lo AS lo
