// LadybugDB plans a statement again on every call when its LIMIT is a parameter (about 1 ms here,
// more than the read): the keys are collected, sorted and sliced instead, under one cached plan.
// The role is read from the key's last two bits (policykg.ingest.assignment_sort_key: ROLE_ORDER
// joint, lead, support), which costs less than comparing the role text of every relationship.
MATCH (a:Agency {id: $name})-[r:ASSIGNED]->(:Measure)
WHERE r.sort_key > $after
  AND ($role = 'any' OR r.sort_key % 4 = list_position(['joint', 'lead', 'support'], $role) - 1)
RETURN list_slice(list_sort(collect(r.sort_key)), 1, $limit) AS keys
