// title: Assignments of one agency, optionally one role
// param: name: str — canonical agency name
// param: role: str = any — lead, support, joint or any
// returns: measure, role, as_written, position, doc_id
// mode: read
MATCH (a:Agency {name: $name})-[r:ASSIGNED]->(m:Measure)
WHERE $role = 'any' OR r.role = $role
RETURN m.id AS measure, r.role AS role, r.as_written AS as_written, r.position AS position, r.doc_id AS doc_id
ORDER BY measure, role
