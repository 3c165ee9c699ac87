// title: Deadlines over time
// description: Measures with a due date (the deadline as one ISO day), earliest first, with the agencies responsible and their roles: what falls due when, and on whom. The timeline chart and /agencies/{name}/timeline group these rows by month.
// param: agency: str = '' — only measures naming this agency (id, i.e. canonical name; empty: every agency)
// param: role: str{lead|support|joint|any} = any — the role the agency holds on the measure
// param: since: str = '' — only due on or after this ISO date (empty: no lower bound)
// param: until: str = '' — only due before this ISO date (empty: no upper bound)
// param: limit: int(1..10000) = 1000 — rows per page
// param: offset: int(0..) = 0 — rows to skip
// returns: due_date, due_date_derived, deadline, agency, role, id, ref, text, doc_id, document
// mode: read
MATCH (d:Document)-[:INCLUDES]->(m:Measure)<-[r:ASSIGNED]-(a:Agency)
WHERE m.due_date IS NOT NULL AND ($agency = '' OR a.id = $agency) AND ($role = 'any' OR r.role = $role)
  AND ($since = '' OR m.due_date >= $since) AND ($until = '' OR m.due_date < $until)
WITH m.due_date AS due_date, m.due_date_derived AS due_date_derived, m.deadline AS deadline, a.name AS agency,
     r.role AS role, m.id AS id, m.ref AS ref, m.text AS text, d.id AS doc_id, d.title AS document
// SKIP and LIMIT in separate clauses: LadybugDB's top-k operator crashes on a large SKIP.
ORDER BY due_date, id, agency SKIP $offset
WITH due_date, due_date_derived, deadline, agency, role, id, ref, text, doc_id, document
LIMIT $limit
RETURN due_date, due_date_derived, deadline, agency, role, id, ref, text, doc_id, document
ORDER BY due_date, id, agency
