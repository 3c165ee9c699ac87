// title: Where a page of an agency's measures ends
// description: The sort keys of the next rows of agency_measures after a key, as one list, reading only the agency's relationships (no measure), so a page then reads just its own rows (agency_measures_rows). A page filtered to one document is read in one go instead (its list is short), so this takes no document.
// param: name: str — the agency's id
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: after: int = -1 — only keys after this one
// param: limit: int(1..10001) = 100 — keys to return
// returns: keys
// mode: read
MATCH (a:Agency {id: $name})-[r:ASSIGNED]->(:Measure)
WHERE r.sort_key > $after AND ($role = 'any' OR r.role = $role)
WITH r.sort_key AS sort_key
ORDER BY sort_key
LIMIT $limit
RETURN collect(sort_key) AS keys
