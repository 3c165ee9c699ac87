// title: Where a page of an agency's measures ends
// description: The sort keys of the next rows of agency_measures after a key, reading only the agency's relationships (no measure), so a page then reads just its own measures.
// param: name: str — the agency's id
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: doc_id: str = '' — only measures of this document (empty: every document)
// param: after: int = -1 — only keys after this one
// param: limit: int(1..10001) = 100 — keys to return
// returns: sort_key
// mode: read
MATCH (a:Agency {id: $name})-[r:ASSIGNED]->(:Measure)
WHERE r.sort_key > $after AND ($role = 'any' OR r.role = $role) AND ($doc_id = '' OR r.doc_id = $doc_id)
RETURN r.sort_key AS sort_key
ORDER BY sort_key
LIMIT $limit
