// title: Overdue as of a date
// description: Measures whose due date is before the given day, with their lead (or jointly responsible) agencies; what a supervision office (督查) chases. Due dates are the deadlines as written, normalised to one day.
// param: as_of: str — the ISO date to judge by, e.g. 2019-06-30
// param: agency: str = '' — only measures naming this agency (id, i.e. canonical name) in any role
// param: limit: int(1..10000) = 100 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: due_date, deadline, id, ref, text, doc_id, document, lead, joint
// mode: read
MATCH (d:Document)-[:INCLUDES]->(m:Measure)
WHERE m.due_date IS NOT NULL AND m.due_date < $as_of
  AND ($agency = '' OR EXISTS { MATCH (m)<-[:ASSIGNED]-(x:Agency) WHERE x.id = $agency })
WITH d, m ORDER BY m.due_date, m.id SKIP $offset
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
WITH d, m LIMIT $limit
OPTIONAL MATCH (a:Agency)-[r:ASSIGNED]->(m)
WITH d, m, a, r ORDER BY r.position, a.id SKIP 0
WITH d, m,
     collect(CASE WHEN r.role = 'lead' THEN a.name ELSE NULL END) AS lead,
     collect(CASE WHEN r.role = 'joint' THEN a.name ELSE NULL END) AS joint
RETURN m.due_date AS due_date, m.deadline AS deadline, m.id AS id, m.ref AS ref, m.text AS text, d.id AS doc_id,
       d.title AS document, lead, joint
ORDER BY due_date, id
