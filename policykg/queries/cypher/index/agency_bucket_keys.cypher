// title: The next keys of one bucket
// description: The sort keys of one key bucket after a key, of one role (its place is the key's last two bits, policykg.ingest.assignment_sort_key), sorted, at most $limit.
// param: bucket: str — the bucket's id
// param: role: str{lead|support|joint|any} = any — lead, support, joint, or any role
// param: after: int = -1 — only keys after this one
// param: limit: int(1..10001) = 100 — keys to return
// returns: keys
// mode: read
MATCH (b:KeyBucket {id: $bucket})-[f:FILED]->(:Measure)
WHERE f.sort_key > $after
  AND ($role = 'any' OR f.sort_key % 4 = list_position(['joint', 'lead', 'support'], $role) - 1)
RETURN list_slice(list_sort(collect(f.sort_key)), 1, $limit) AS keys
